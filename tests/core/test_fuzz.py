"""Property-based fuzzing of the two files the window opens at start without asking.

Any input either loads (and then predicts) or raises the one documented error naming the
file: never another exception, and never more than a few megabytes of memory (traced with
tracemalloc around each load; NumPy reports its arrays to it). The inputs are valid files
mutated the ways hostile or damaged files differ: a JSON value replaced anywhere in the
metadata (by another type, a huge or negative number, ``NaN``, ``1e400``, ``2**63``, deep
nesting), bytes overwritten, cut off or inserted, an array replaced by one of another dtype
or shape.
"""

from __future__ import annotations

import io
import json
import math
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from handwrite.modelfile import ModelFileError, load_model
from handwrite.nn import Model
from handwrite.personal import PersonalDataError, PersonalDataset

#: What one load may allocate at its peak: the files are a few tens of kilobytes.
PEAK_BYTES = 16 * 1024 * 1024
FUZZ = settings(
    max_examples=100,
    deadline=2000,
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,
    # tmp_path is shared by the examples: each one writes its file over the last one
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

ARCHITECTURE = {
    "name": "fuzz",
    "input_shape": [1, 28, 28],
    "classes": [str(d) for d in range(10)],
    "loss": "cross_entropy",
    "layers": [
        {"type": "Conv2D", "in_channels": 1, "out_channels": 2, "kernel_size": 3, "stride": 1,
         "padding": 0},
        {"type": "MaxPool2D", "kernel_size": 2, "stride": 2},
        {"type": "LocalContrastNorm", "kernel_size": 3, "sigma": 1.0, "eps": 0.0001},
        {"type": "ReLU"},
        {"type": "Flatten"},
        {"type": "Dropout", "p": 0.5},
        {"type": "Dense", "in_features": 338, "out_features": 10},
    ],
}  # fmt: skip


def npy(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    return buf.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, Any]]:
    """A small valid model file (every kind of layer with arguments) and its metadata."""
    model = Model.from_architecture(ARCHITECTURE, seed=1)
    model.metadata["training"] = {"epochs": 2, "test_accuracy": 0.5, "lr": 0.001}
    model.metadata["history"] = {
        "batch_step": [1, 2],
        "batch_loss": [2.3, 2.1],
        "epoch": [1],
        "batches_per_epoch": 2,
    }
    path = tmp_path_factory.mktemp("fuzz") / "base.npz"
    model.save(path)
    data = path.read_bytes()
    meta = json.loads(np.load(io.BytesIO(members_of(data)["metadata.npy"])).tobytes())
    return data, meta


# -- strategies ------------------------------------------------------------------------------

#: JSON text for one value: what json.dumps writes and what it never would.
RAW_TOKENS = ["1e400", "-1e400", "NaN", "Infinity", "-Infinity", str(2**63), str(-(2**64)),
              "9" * 400, "1e-400", "-0", '"\\ud800"']  # fmt: skip

json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 1, 2, 3, 4096, 4097, 2**31, 2**62, 10**9]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths_in(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (a tuple of keys and indices) to a value inside ``value``."""
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += paths_in(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += paths_in(v, (*prefix, i))
    return found


MARK = "\x00RAW\x00"


@st.composite
def metadata_texts(draw: st.DrawFn, meta: dict[str, Any]) -> str:
    """The metadata JSON with one to three values replaced, removed or nested deep."""
    meta = json.loads(json.dumps(meta))
    raw: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        paths = paths_in(meta)[1:]
        if not paths:  # everything deleted already
            break
        where = draw(st.sampled_from(paths))
        parent = meta
        for key in where[:-1]:
            parent = parent[key]
        how = draw(st.sampled_from(["value", "raw", "delete", "deep"]))
        if how == "delete":
            del parent[where[-1]]
            continue
        if how == "value":
            new: Any = draw(json_values)
        elif how == "raw":
            raw.append(draw(st.sampled_from(RAW_TOKENS)))
            new = f"{MARK}{len(raw) - 1}{MARK}"
        else:
            new = f"{MARK}deep{draw(st.integers(30, 20_000))}{MARK}"
        parent[where[-1]] = new
    text = json.dumps(meta)
    for i, token in enumerate(raw):
        text = text.replace(f'"{MARK}{i}{MARK}"', token)
    while f'"{MARK}deep' in text:
        start = text.index(f'"{MARK}deep')
        end = text.index(f'{MARK}"', start + 1) + len(MARK) + 1
        depth = int(text[start + len(MARK) + 5 : end - len(MARK) - 1])
        text = text[:start] + "[" * depth + "]" * depth + text[end:]
    return text


@st.composite
def damaged_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with bytes overwritten, cut off, or inserted."""
    how = draw(st.sampled_from(["overwrite", "truncate", "insert"]))
    if how == "truncate":
        return data[: int(draw(st.floats(0, 1, exclude_max=True)) * len(data))]
    out = bytearray(data)
    # positions spread evenly over the file (hypothesis's integers favour small ones)
    where = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(1, 8))):
        at = int(where.integers(0, len(out)))
        chunk = draw(st.binary(min_size=1, max_size=16))
        if how == "overwrite":
            out[at : at + len(chunk)] = chunk
        else:
            out[at:at] = chunk
    return bytes(out)


arrays = st.builds(
    lambda dtype, shape: np.zeros(shape, dtype),
    st.sampled_from(["<f4", "<f8", "|u1", "<i8", ">f4", "<c8", "|b1"]),
    st.lists(st.integers(0, 12), max_size=4).map(tuple),
)


# -- properties ------------------------------------------------------------------------------


def note(outcome: str) -> None:
    """Count ``outcome`` in the statistics (pytest --hypothesis-show-statistics)."""
    if currently_in_test_context():
        event(outcome)


def load_or_refuse(path: Path, error: type[Exception], load: Any) -> Any:
    """``load(path)``, traced: returns what it loaded or None when it raised ``error`` naming
    ``path``; any other exception, or a peak above PEAK_BYTES, fails the test."""
    tracemalloc.start()
    try:
        loaded = load(path)
    except error as exc:
        assert str(path) in str(exc), exc
        assert "unforeseen" not in str(exc), exc  # the reader's last-resort net
        note(f"refused: {str(exc)[len(str(path)) + 2 :][:24]}")
        loaded = None
    else:
        note("loaded")
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{peak:,} bytes traced"
    return loaded


def check_model_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzzed.npz"
    path.write_bytes(data)
    model = load_or_refuse(path, ModelFileError, load_model)
    if model is not None:
        x = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
        p = model.predict_proba(x)
        assert p.shape == (3, len(model.classes)) and np.isfinite(p).all()


@FUZZ
@given(data=st.data())
def test_fuzzed_model_metadata(tmp_path: Path, model_file, data: st.DataObject) -> None:
    base, meta = model_file
    text = data.draw(metadata_texts(meta))
    members = members_of(base)
    members["metadata.npy"] = npy(np.frombuffer(text.encode("utf-8", "replace"), np.uint8))
    check_model_file(tmp_path, zipped(members))


@FUZZ
@given(data=st.data())
def test_fuzzed_model_bytes(tmp_path: Path, model_file, data: st.DataObject) -> None:
    base, _ = model_file
    if data.draw(st.booleans()):
        members = members_of(base)
        name = data.draw(st.sampled_from(sorted(members)))
        members[name] = npy(data.draw(arrays))
        base = zipped(members)
    check_model_file(tmp_path, data.draw(damaged_bytes(base)))


@pytest.fixture(scope="module")
def personal_file(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("fuzz") / "personal.npz"
    dataset = PersonalDataset(path)
    rng = np.random.default_rng(0)
    for label in range(4):
        dataset.add(rng.integers(1, 256, (28, 28), dtype=np.uint8), label, timestamp=label)
    return path.read_bytes()


def check_personal_set(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "personal.npz"
    path.write_bytes(data)
    dataset = load_or_refuse(path, PersonalDataError, PersonalDataset)
    if dataset is not None:
        d = dataset.data
        n = len(d)
        assert d.images.shape == (n, 28, 28) and d.images.dtype == np.uint8
        assert d.labels.shape == (n,) and (d.labels <= 9).all()
        assert np.isfinite(d.timestamps).all() and d.counts().sum() == n


@FUZZ
@given(data=st.data())
def test_fuzzed_personal_sets(tmp_path: Path, personal_file: bytes, data: st.DataObject) -> None:
    members = members_of(personal_file)
    how = data.draw(st.sampled_from(["array", "format", "bytes"]))
    if how == "array":
        name = data.draw(st.sampled_from(sorted(members)))
        members[name] = npy(data.draw(arrays))
    elif how == "format":
        meta = {"format": "handwrite-personal", "version": 1}
        text = data.draw(metadata_texts(meta))
        members["format.npy"] = npy(np.frombuffer(text.encode("utf-8", "replace"), np.uint8))
    blob = zipped(members)
    if how == "bytes":
        blob = data.draw(damaged_bytes(blob))
    check_personal_set(tmp_path, blob)


def test_the_fuzzers_reach_both_outcomes(tmp_path: Path, model_file, personal_file) -> None:
    """The base files load, and simple damage is refused: the properties above are not
    vacuously true."""
    base, meta = model_file
    check_model_file(tmp_path, base)
    assert load_model(tmp_path / "fuzzed.npz").parameter_count() == 3410
    with pytest.raises(ModelFileError):
        (tmp_path / "cut.npz").write_bytes(base[: len(base) // 2])
        load_model(tmp_path / "cut.npz")
    check_personal_set(tmp_path, personal_file)
    assert len(PersonalDataset(tmp_path / "personal.npz")) == 4
    assert math.isfinite(meta["training"]["lr"])
