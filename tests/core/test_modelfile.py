"""Model files: round trip, atomic saves, and every kind of bad file refused with one error."""

from __future__ import annotations

import errno
import io
import json
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import handwrite
from handwrite import modelfile
from handwrite.modelfile import FORMAT_VERSION, PLAIN_FORMAT_VERSION, ModelFileError, load_model
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
    # A model that does not refuse is written in the first version, which older readers open.
    assert meta["format"] == "handwrite-model" and meta["version"] == PLAIN_FORMAT_VERSION == 1
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
            "out_channels must be a whole number from 1 to 4096",
        ),
        (
            lambda m: m["architecture"]["layers"].__setitem__(
                0, {"type": "Dense", "in_features": 784, "out_features": 65536}
            ),
            "51,629,514 parameters, more than 50,000,000",
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


# -- hostile files: every one is a ModelFileError naming the file, and costs little ---------


def with_metadata_text(src: Path, dst: Path, text: str) -> Path:
    """``src`` with its metadata replaced by ``text`` verbatim (JSON that json.dumps would
    never write: 1e400, nesting 100,000 deep)."""
    raw = npy_bytes(np.frombuffer(text.encode(), np.uint8))
    return rewrite(src, dst, lambda n, d: raw if n == "metadata.npy" else d)


def metadata_of(path: Path) -> dict:
    with np.load(path, allow_pickle=False) as z:
        return json.loads(z["metadata"].tobytes())


def refused(path: Path, match: str) -> ModelFileError:
    with pytest.raises(ModelFileError, match=match) as info:
        load_model(path)
    assert str(path) in str(info.value) and "unforeseen" not in str(info.value)
    return info.value


def test_metadata_nested_100000_deep(tmp_path: Path, saved: Path) -> None:
    text = json.dumps(metadata_of(saved))[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    refused(with_metadata_text(saved, tmp_path / "deep.npz", text), "nests 100001 levels")


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ('"type": "Flatten"', '"type": ["Flatten"]', "layer 6: unknown layer"),
        ('"out_features": 128', '"out_features": 1e400', "1e400, too large"),
        ('"out_features": 128', '"out_features": 128.0', "out_features must be a whole number"),
        ('"out_features": 128', '"out_features": 9223372036854775808', "larger than 64 bits"),
        ('"out_features": 128', '"out_features": -1', "out_features must be"),
        ('"out_features": 128', '"out_features": "128"', "out_features must be"),
        ('"out_features": 128', '"out_features": {"a": 1}', "out_features must be"),
        ('"input_shape": [1, 28, 28]', '"input_shape": [1, 28, 28, 1]', "input_shape"),
        ('"loss": "cross_entropy"', '"loss": ["cross_entropy"]', "unknown loss"),
        ('"classes": ["0"', '"classes": [{"0": 0}', "classes must be short strings"),
        ('"epochs": 2', '"epochs": NaN', "NaN"),
        ('"epochs": 2', '"epochs": -Infinity', "-Infinity"),
    ],
)
def test_hand_edited_metadata_of_any_type(tmp_path, saved, old, new, match) -> None:
    text = json.dumps(metadata_of(saved))
    assert old in text
    refused(with_metadata_text(saved, tmp_path / "m.npz", text.replace(old, new, 1)), match)


def test_training_curves_with_1e400(tmp_path: Path, saved: Path) -> None:
    meta = metadata_of(saved)
    meta["history"] = {"batch_step": [1], "batch_loss": [0.5], "batches_per_epoch": 1}
    text = json.dumps(meta).replace('"batch_loss": [0.5]', '"batch_loss": [1e400]')
    refused(with_metadata_text(saved, tmp_path / "inf.npz", text), "1e400")


def test_a_declared_shape_whose_size_overflows_64_bits(tmp_path: Path, saved: Path) -> None:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "|u1", "fortran_order": False, "shape": (2**32, 2**32)}
    )
    path = rewrite(
        saved, tmp_path / "wrap.npz", lambda n, d: header.getvalue() if n == "metadata.npy" else d
    )
    refused(path, r"shape \(4294967296, 4294967296\), expected \(N,\)")


def damage(data: bytes, name: str, offset: int, garbage: bytes) -> bytes:
    """``data`` (a zip) with ``garbage`` written ``offset`` bytes into the compressed data of
    member ``name`` (after its local header: 30 bytes, the name and an extra field)."""
    local = data.rindex(b"PK\x03\x04", 0, data.index(name.encode()))
    extra = int.from_bytes(data[local + 28 : local + 30], "little")
    begin = local + 30 + len(name) + extra + offset
    return data[:begin] + garbage + data[begin + len(garbage) :]


def test_damaged_compressed_data(tmp_path: Path, saved: Path) -> None:
    data = damage(saved.read_bytes(), "7.weight.npy", 200, b"\xff" * 64)
    path = tmp_path / "damaged.npz"
    path.write_bytes(data)
    refused(path, "'7.weight' cannot be read")


def test_unsupported_compression_method(tmp_path: Path, saved: Path) -> None:
    data = bytearray(saved.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        pos = data.find(signature)
        while pos != -1:
            data[pos + offset : pos + offset + 2] = (99).to_bytes(2, "little")
            pos = data.find(signature, pos + 4)
    path = tmp_path / "method99.npz"
    path.write_bytes(bytes(data))
    refused(path, "cannot be read")


@pytest.mark.parametrize(
    ("layer", "match"),
    [
        ({"type": "LocalContrastNorm", "kernel_size": 100_001}, "kernel_size must be"),
        ({"type": "LocalContrastNorm", "sigma": 0}, "sigma must be a number above 0"),
        ({"type": "MaxPool2D", "kernel_size": 2, "stride": 10_000}, "stride must be"),
        ({"type": "Dropout", "p": 1.0}, "p must be a number from 0 below 1"),
    ],
)
def test_every_layer_argument_is_bounded(tmp_path, saved, layer, match) -> None:
    path = edit_metadata(
        saved, tmp_path / "m.npz", lambda m: m["architecture"]["layers"].insert(2, layer)
    )
    refused(path, match)


def conv_model_metadata(padding: int, channels: int) -> dict:
    """An architecture whose first convolution has ``padding`` and ``channels``: its maps
    are (28 + 2 * padding - 4) pixels on a side, pooled by 64x64 windows."""
    side = (28 + 2 * padding - 4 - 64) // 64 + 1
    meta = metadata_of_model(presets.build("mlp"))
    meta["architecture"]["layers"] = [
        {"type": "Conv2D", "in_channels": 1, "out_channels": channels, "kernel_size": 5,
         "padding": padding},
        {"type": "MaxPool2D", "kernel_size": 64, "stride": 64},
        {"type": "Flatten"},
        {"type": "Dense", "in_features": channels * side * side, "out_features": 10},
    ]  # fmt: skip
    return meta


def metadata_of_model(model) -> dict:
    from handwrite.nn.saving import _file_metadata

    return _file_metadata(model, None, None)


def metadata_only_file(path: Path, meta: dict) -> Path:
    """A model file holding only ``meta``: no arrays (a few hundred bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.npy", npy_bytes(np.frombuffer(json.dumps(meta).encode(), np.uint8)))
    return path


def test_a_padding_of_3000_is_refused(tmp_path: Path) -> None:
    meta = conv_model_metadata(3000, 32)
    refused(metadata_only_file(tmp_path / "pad.npz", meta), "padding must be")


def test_activations_beyond_the_budget_are_refused(tmp_path: Path) -> None:
    from handwrite.nn.model import MAX_ACTIVATION_VALUES_PER_IMAGE

    meta = conv_model_metadata(64, 4096)  # every argument within its bounds
    error = refused(metadata_only_file(tmp_path / "wide.npz", meta), "activation values")
    assert f"{MAX_ACTIVATION_VALUES_PER_IMAGE:,}" in str(error)


PEAK_SCRIPT = """
import json, resource, sys
import numpy as np
from handwrite.modelfile import ModelFileError, load_model
load_model(sys.argv[1])  # a valid file: imports and first allocations done
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
problems = []
for path in sys.argv[2:]:
    try:
        load_model(path)
    except ModelFileError as exc:
        problems.append(exc.problem)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"grew_kib": peak - base, "problems": problems}))
"""


def refused_files(folder: Path, saved: Path) -> list[Path]:
    """The costliest files a loader must refuse: 49 M parameters declared in a few hundred
    bytes, activations of gigabytes, a huge LCN window, a zip bomb, a FIFO-free lot."""
    many = metadata_of_model(presets.build("mlp"))
    many["architecture"]["layers"] = [
        {"type": "Flatten"},
        {"type": "Dense", "in_features": 784, "out_features": 62_000},
        {"type": "Dense", "in_features": 62_000, "out_features": 10},
    ]
    lcn = metadata_of_model(presets.build("mlp"))
    lcn["architecture"]["layers"].insert(0, {"type": "LocalContrastNorm", "kernel_size": 99_999})
    bomb = npy_bytes(np.zeros(300_000_000 // 4, np.float32))
    return [
        metadata_only_file(folder / "49M.npz", many),
        metadata_only_file(folder / "pad.npz", conv_model_metadata(3000, 32)),
        metadata_only_file(folder / "wide.npz", conv_model_metadata(64, 4096)),
        metadata_only_file(folder / "lcn.npz", lcn),
        rewrite(saved, folder / "bomb.npz", lambda n, d: bomb if n == "0.weight.npy" else d),
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
def test_refused_files_cost_little_memory(tmp_path: Path, saved: Path) -> None:
    files = refused_files(tmp_path, saved)
    assert files[0].stat().st_size < 1000
    out = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(saved), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(out.stdout)
    assert len(result["problems"]) == len(files), result
    assert "missing array '1.weight'" in result["problems"][0]
    assert result["grew_kib"] < 64 * 1024, result  # the 49 M file alone cost 613 MB


def test_predict_proba_refuses_bad_arguments() -> None:
    model = presets.build("mlp")
    for bad in (-5, 0, 1.5, True, "10"):
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            model.predict_proba(images(3), batch_size=bad)
    with pytest.raises(ValueError, match="threads must be a positive integer"):
        model.predict_proba(images(3), threads=0)


def test_a_batch_beyond_the_budget_runs_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    from handwrite.nn import model as model_module

    model = presets.build("cnn", seed=1)
    x = images(20)
    whole = model.predict_proba(x)
    per_image = 4 * model.memory_values_per_image
    monkeypatch.setattr(model_module, "MAX_BATCH_ACTIVATION_BYTES", 3 * per_image)
    assert model.max_batch() == 3
    passes = []
    forward = model.forward
    monkeypatch.setattr(model, "forward", lambda xb: passes.append(len(xb)) or forward(xb))
    np.testing.assert_allclose(model.predict_proba(x), whole, rtol=1e-5, atol=1e-7)
    assert max(passes) == 3 and sum(passes) == 20
    # a training step too: the same step, in pieces of at most 3 images
    model.train()
    t = np.arange(20) % 10
    xf = x[:, None].astype(np.float32) / 255
    model.reseed(np.random.default_rng(0))  # the same dropout masks in both steps
    loss, _ = model.train_step(xf, t)
    grads = [p.grad.copy() for p in model.parameters()]
    model.zero_grad()
    monkeypatch.setattr(model_module, "MAX_BATCH_ACTIVATION_BYTES", 1 << 40)
    model.reseed(np.random.default_rng(0))
    passes.clear()
    model.threads = 1
    reference, _ = model.train_step(xf, t)
    assert loss == pytest.approx(reference, rel=1e-5)
    for g, p in zip(grads, model.parameters(), strict=True):
        np.testing.assert_allclose(g, p.grad, rtol=1e-4, atol=1e-6)
