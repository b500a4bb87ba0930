"""Model files: round trip, atomic saves, and every kind of bad file refused with one error."""

from __future__ import annotations

import errno
import io
import json
import os
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest

import handwrite
from handwrite import modelfile
from handwrite.modelfile import FORMAT_VERSION, ModelFileError, load_model
from handwrite.nn import make_optimizer, presets


@pytest.fixture
def model():
    m = presets.build("cnn", seed=3)
    m.metadata["training"] = {"epochs": 2, "test_accuracy": 0.5}
    return m


@pytest.fixture
def saved(tmp_path: Path, model) -> Path:
    path = tmp_path / "model.npz"
    model.save(path)
    return path


def images(n: int = 5) -> np.ndarray:
    return np.random.default_rng(0).integers(0, 256, (n, 28, 28), dtype=np.uint8)


def rewrite(src: Path, dst: Path, change) -> Path:
    """Copy the npz ``src`` to ``dst`` letting ``change(name, bytes)`` edit or drop members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            out = change(info.filename, zin.read(info))
            if out is not None:
                zout.writestr(info.filename, out)
    return dst


def npy_bytes(a: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=allow_pickle)
    return buf.getvalue()


def edit_metadata(src: Path, dst: Path, edit) -> Path:
    def change(name: str, data: bytes):
        if name != "metadata.npy":
            return data
        meta = json.loads(np.load(io.BytesIO(data)).tobytes())
        edit(meta)
        return npy_bytes(np.frombuffer(json.dumps(meta).encode(), np.uint8))

    return rewrite(src, dst, change)


def test_round_trip_gives_identical_predictions(saved: Path, model) -> None:
    loaded = handwrite.load_model(saved)
    np.testing.assert_array_equal(loaded.predict_proba(images()), model.predict_proba(images()))
    assert loaded.architecture() == model.architecture()
    assert loaded.metadata["training"]["epochs"] == 2


def test_file_layout_is_documented_and_plain(saved: Path) -> None:
    with np.load(saved, allow_pickle=False) as z:
        meta = json.loads(z["metadata"].tobytes().decode("utf-8"))
        assert z["0.weight"].shape == (32, 1, 5, 5)  # (out, in, kh, kw)
        dense = z["7.weight"]
        assert dense.shape == (128, 1024) and dense.dtype == np.float32  # (out, in)
    assert meta["format"] == "handwrite-model" and meta["version"] == FORMAT_VERSION
    assert meta["input_shape"] == [1, 28, 28]
    assert meta["classes"] == [str(d) for d in range(10)]
    assert {"preprocessing", "training", "architecture", "saved"} <= set(meta)


def test_optimizer_state_round_trip(tmp_path: Path, model) -> None:
    opt = make_optimizer("adam", model.parameters(), 1e-3)
    model.train()
    x = images(8).reshape(8, 1, 28, 28).astype(np.float32) / 255
    t = np.arange(8)
    opt.zero_grad()
    model.train_step(x, t)
    opt.step()
    path = tmp_path / "ckpt.npz"
    model.save(path, optimizer=opt)
    loaded, meta, state = modelfile.read_model_file(path)
    assert meta["optimizer"]["name"] == "adam" and meta["optimizer"]["steps"] == 1
    assert set(state) == set(opt.state_dict())
    for k, v in opt.state_dict().items():
        np.testing.assert_array_equal(state[k], v)


def test_atomic_save_keeps_the_old_file_on_a_full_disk(saved: Path, model, monkeypatch) -> None:
    before = saved.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez_compressed", full_disk)
    other = presets.build("mlp")
    with pytest.raises(ModelFileError, match="No space left"):
        other.save(saved)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == ["model.npz"]  # no temp file left


def test_save_into_a_missing_folder_is_a_clear_error(tmp_path: Path, model) -> None:
    with pytest.raises(ModelFileError, match="could not save"):
        model.save(tmp_path / "nope" / "m.npz")


def test_foreign_npz(tmp_path: Path) -> None:
    path = tmp_path / "foreign.npz"
    np.savez(path, a=np.zeros(3))
    with pytest.raises(ModelFileError, match="not a handwrite model file"):
        load_model(path)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "text.npz"
    path.write_text("hello")
    with pytest.raises(ModelFileError, match="not a valid .npz"):
        load_model(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="no such file"):
        load_model(tmp_path / "absent.npz")
    with pytest.raises(ModelFileError, match="folder"):
        load_model(tmp_path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_file(tmp_path: Path, saved: Path, keep: float) -> None:
    data = saved.read_bytes()
    path = tmp_path / "cut.npz"
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ModelFileError):
        load_model(path)


def test_pickled_object_array_is_refused_and_never_run(tmp_path: Path, saved: Path) -> None:
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    evil = np.array([Evil()], dtype=object)

    def change(name: str, data: bytes):
        return npy_bytes(evil, allow_pickle=True) if name == "0.weight.npy" else data

    path = rewrite(saved, tmp_path / "evil.npz", change)
    with pytest.raises(ModelFileError, match="pickle|object"):
        load_model(path)
    # a pickled metadata entry too
    path2 = rewrite(
        saved,
        tmp_path / "evil2.npz",
        lambda n, d: npy_bytes(evil, True) if n == "metadata.npy" else d,
    )
    with pytest.raises(ModelFileError):
        load_model(path2)
    # and a raw pickle posing as a model file
    path3 = tmp_path / "evil3.npz"
    path3.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(ModelFileError):
        load_model(path3)
    assert not marker.exists()


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path, saved: Path) -> None:
    bomb = npy_bytes(np.zeros(300_000_000 // 4, np.float32))  # 300 MB of zeros, ~300 KB packed

    def change(name: str, data: bytes):
        return bomb if name == "0.weight.npy" else data

    path = rewrite(saved, tmp_path / "bomb.npz", change)
    assert path.stat().st_size < 5_000_000
    with pytest.raises(ModelFileError, match="zip bomb|shape|bytes"):
        load_model(path)


def test_newer_format_version(tmp_path: Path, saved: Path) -> None:
    path = edit_metadata(
        saved, tmp_path / "new.npz", lambda m: m.update(version=FORMAT_VERSION + 1)
    )
    with pytest.raises(ModelFileError, match="newer"):
        load_model(path)


def test_nan_weights(tmp_path: Path, saved: Path) -> None:
    def change(name: str, data: bytes):
        if name != "7.bias.npy":
            return data
        a = np.load(io.BytesIO(data))
        a[3] = np.nan
        return npy_bytes(a)

    with pytest.raises(ModelFileError, match="'7.bias'.*NaN"):
        load_model(rewrite(saved, tmp_path / "nan.npz", change))


@pytest.mark.parametrize(
    ("member", "array", "match"),
    [
        (
            "0.weight.npy",
            np.zeros((32, 1, 5, 4), np.float32),
            r"shape \(32, 1, 5, 4\), expected \(32, 1, 5, 5\)",
        ),
        ("0.weight.npy", np.zeros((32, 1, 5, 5), np.float64), "dtype float64"),
        ("0.bias.npy", None, "missing array '0.bias'"),
        ("extra.npy", np.zeros(2, np.float32), "unexpected"),
    ],
)
def test_wrong_names_shapes_and_dtypes(tmp_path, saved, member, array, match) -> None:
    def change(name: str, data: bytes):
        if name == member:
            return None if array is None else npy_bytes(array)
        return data

    path = rewrite(saved, tmp_path / "bad.npz", change)
    if member == "extra.npy":
        with zipfile.ZipFile(path, "a") as z:
            z.writestr(member, npy_bytes(array))
    with pytest.raises(ModelFileError, match=match) as info:
        load_model(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda m: m.update(format="other"), "format"),
        (lambda m: m.update(version="1"), "version"),
        (lambda m: m.pop("architecture"), "architecture"),
        (lambda m: m["architecture"]["layers"].append({"type": "Evil"}), "unknown layer"),
        (
            lambda m: m["architecture"]["layers"].__setitem__(
                0,
                {"type": "Conv2D", "in_channels": 1, "out_channels": 100000, "kernel_size": 999},
            ),
            "parameters",
        ),
        (lambda m: m.update(training=[1, 2]), "training"),
    ],
)
def test_bad_metadata(tmp_path, saved, edit, match) -> None:
    with pytest.raises(ModelFileError, match=match):
        load_model(edit_metadata(saved, tmp_path / "meta.npz", edit))


def test_metadata_that_is_not_json(tmp_path, saved) -> None:
    path = rewrite(
        saved,
        tmp_path / "m.npz",
        lambda n, d: npy_bytes(np.frombuffer(b"\xff\xfe{", np.uint8)) if n == "metadata.npy" else d,
    )
    with pytest.raises(ModelFileError, match="JSON"):
        load_model(path)


def test_saved_files_get_ordinary_permissions(tmp_path: Path, model) -> None:
    path = tmp_path / "m.npz"
    model.save(path)
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
    path.chmod(0o600)
    model.save(path)  # replacing keeps the file's own mode
    assert path.stat().st_mode & 0o777 == 0o600
