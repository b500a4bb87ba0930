"""The window starts whatever its remembered files hold: a hostile model, personal set or
settings file gives a dialog and a fallback (the shipped model, an empty personal set with
the bad file set aside under a name of its own, the default settings), never a traceback
or a hang."""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from handwrite.gui.document import DEFAULT_MODEL_PATH
from handwrite.gui.settings import DEFAULT_PEN_WIDTH, AppSettings, TrainingSettings

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")


def npy(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    return buf.getvalue()


def shipped_with_metadata(path: Path, text: str) -> Path:
    with zipfile.ZipFile(DEFAULT_MODEL_PATH) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "metadata.npy":
                data = npy(np.frombuffer(text.encode(), np.uint8))
            zout.writestr(info, data)
    return path


def shipped_metadata() -> str:
    with zipfile.ZipFile(DEFAULT_MODEL_PATH) as z:
        return np.load(io.BytesIO(z.read("metadata.npy"))).tobytes().decode()


def hostile_model(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.npz"
    text = shipped_metadata()
    if kind == "deep":
        return shipped_with_metadata(
            path, text[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
        )
    if kind == "type-list":
        return shipped_with_metadata(path, text.replace('"type": "Flatten"', '"type": ["Flatten"]'))
    if kind == "1e400":
        return shipped_with_metadata(
            path, text.replace('"out_features": 256', '"out_features": 1e400')
        )
    if kind == "damaged":
        data = DEFAULT_MODEL_PATH.read_bytes()
        at = data.index(b"9.weight.npy") + 200
        path.write_bytes(data[:at] + b"\xff" * 64 + data[at + 64 :])
        return path
    if kind == "bad-epoch":
        meta = json.loads(text)
        meta["checkpoint"] = {"epoch": "many", "config": {}}
        meta["optimizer"] = {"name": "adam", "steps": 1}
        return shipped_with_metadata(path, json.dumps(meta))
    raise ValueError(kind)  # fmt: skip


@pytest.fixture
def remembering(settings_path: Path):
    """``remembering(path)``: settings whose last model is ``path``."""

    def remember(path: Path) -> AppSettings:
        settings = AppSettings(settings_path)
        settings.last_model = path
        settings.sync()
        return AppSettings(settings_path)

    return remember


@pytest.mark.parametrize("kind", ["deep", "type-list", "1e400", "damaged"])
def test_a_hostile_remembered_model_falls_back_to_the_shipped_one(
    make_window: Any, qtbot: Any, tmp_path: Path, dialog_log: Any, remembering: Any, kind: str
) -> None:
    bad = hostile_model(kind, tmp_path)
    window = make_window(settings=remembering(bad), default_model_path=DEFAULT_MODEL_PATH)
    qtbot.waitUntil(lambda: bool(dialog_log.errors))
    title, message, details = dialog_log.errors[0]
    assert bad.name in message and "default.npz instead" in message
    assert details.startswith(str(bad))
    assert window.document.path == DEFAULT_MODEL_PATH.resolve()


def test_a_checkpoint_with_a_damaged_run_opens_as_a_plain_model(
    make_window: Any, tmp_path: Path, dialog_log: Any, remembering: Any
) -> None:
    bad = hostile_model("bad-epoch", tmp_path)
    window = make_window(settings=remembering(bad), default_model_path=DEFAULT_MODEL_PATH)
    assert window.document.path == bad.resolve()  # the weights are fine
    assert not window.training_panel.continue_button.isEnabled()  # the run cannot go on
    assert not dialog_log.errors


@posix_only
def test_a_fifo_as_the_remembered_model_does_not_hang_the_start(
    make_window: Any,
    qtbot: Any,
    tmp_path: Path,
    dialog_log: Any,
    remembering: Any,
    deadline: Any,
) -> None:
    fifo = tmp_path / "model.npz"
    os.mkfifo(fifo)
    with deadline(20):
        window = make_window(settings=remembering(fifo), default_model_path=DEFAULT_MODEL_PATH)
    qtbot.waitUntil(lambda: bool(dialog_log.errors))
    assert "named pipe" in dialog_log.errors[0][1]
    assert window.document.path == DEFAULT_MODEL_PATH.resolve()


def personal_file(path: Path, **changes: bytes) -> None:
    members = {
        "format": npy(np.frombuffer(b'{"format": "handwrite-personal", "version": 1}', np.uint8)),
        "images": npy(np.full((1, 28, 28), 200, np.uint8)),
        "labels": npy(np.array([3], np.uint8)),
        "timestamps": npy(np.array([1.0])),
    }
    members.update(changes)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(f"{name}.npy", data)


def header_only(shape: tuple[int, ...]) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "|u1", "fortran_order": False, "shape": shape}
    )
    return buf.getvalue()


HOSTILE_SETS = {
    "0-d labels": {"labels": npy(np.array(3, np.uint8))},
    "deep JSON": {"format": npy(np.frombuffer(b"[" * 2000 + b"]" * 2000, np.uint8))},
    "1e9 images": {"images": header_only((10**9, 28, 28)), "labels": header_only((10**9,))},
}


@pytest.mark.parametrize("kind", list(HOSTILE_SETS))
def test_a_hostile_personal_set_is_set_aside_and_the_window_starts(
    make_window: Any, tmp_path: Path, dialog_log: Any, kind: str
) -> None:
    home = Path(os.environ["HANDWRITE_HOME"])
    personal_file(home / "personal.npz", **HOSTILE_SETS[kind])
    original = (home / "personal.npz").read_bytes()
    earlier = home / "personal.unreadable-earlier.npz"
    earlier.write_bytes(b"set aside before")
    window = make_window()
    assert len(window.personal_set) == 0
    kept = sorted(home.glob("personal.unreadable-2*.npz"))
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert earlier.read_bytes() == b"set aside before"
    title, message, _ = dialog_log.errors[0]
    assert "could not be opened" in title and kept[0].name in message
    # the set works: a sample added now is saved in a new file
    image = np.zeros((28, 28), np.float32)
    image[5:22, 13:15] = 1.0
    window.personal_set.add(image, 1)
    assert (home / "personal.npz").exists() and len(window.personal_set) == 1


def test_two_sets_set_aside_in_the_same_second_do_not_overwrite_each_other(
    make_window: Any, tmp_path: Path, dialog_log: Any
) -> None:
    home = Path(os.environ["HANDWRITE_HOME"])
    contents = []
    for kind in ("0-d labels", "deep JSON"):
        personal_file(home / "personal.npz", **HOSTILE_SETS[kind])
        contents.append((home / "personal.npz").read_bytes())
        make_window()
    kept = sorted(home.glob("personal.unreadable-*.npz"), key=lambda p: p.stat().st_mtime_ns)
    assert sorted(p.read_bytes() for p in kept) == sorted(contents)


def test_settings_nested_deep_or_of_the_wrong_types_give_the_defaults(
    make_window: Any, settings_path: Path
) -> None:
    qs = QSettings(str(settings_path), QSettings.Format.IniFormat)
    qs.setValue("version", 1)
    qs.setValue("training/settings", '{"arch": ' + "[" * 50_000 + "]" * 50_000 + "}")
    qs.setValue("files/recent", "[" * 50_000 + "]" * 50_000)
    qs.setValue("canvas/pen_width", "9" * 5000)
    qs.setValue("files/last_model", ["a", "b"])
    qs.sync()
    window = make_window(settings=AppSettings(settings_path))
    assert window.training_panel.settings() == TrainingSettings()
    assert window.settings.recent_files == [] and window.settings.pen_width == DEFAULT_PEN_WIDTH
    qs.setValue(
        "training/settings",
        json.dumps(
            {"arch": ["cnn"], "optimizer": {"a": 1}, "lr": "fast", "epochs": 5, "limit": [1],
             "augment": "yes", "batch_size": 2**62, "dropout": 1e300, "device": None}
        ),
    )  # fmt: skip
    qs.sync()
    assert AppSettings(settings_path).training == TrainingSettings(epochs=5)  # the good key
    qs.setValue("training/settings", '{"epochs": 5, "batch_size": ' + "9" * 400 + "}")
    qs.sync()
    assert AppSettings(settings_path).training == TrainingSettings()
