"""File menu: open and save through the dialogs, bad files, unsaved training, recent files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from handwrite.gui import dialogs
from handwrite.modelfile import load_model
from handwrite.nn import presets


@pytest.fixture
def mlp_file(tmp_path: Path) -> Path:
    model = presets.build("mlp", seed=3)
    model.metadata["training"] = {"epochs": 1, "architecture": "mlp", "test_accuracy": 0.91}
    path = tmp_path / "mlp.npz"
    model.save(path)
    return path


def _answer(monkeypatch: pytest.MonkeyPatch, dialog: str, path: Path | str) -> list[tuple]:
    """Make ``QFileDialog.<dialog>`` (getOpenFileName, getSaveFileName) answer ``path``;
    the calls it gets are listed in the list returned."""
    calls: list[tuple] = []

    def fake(*args: Any, **kwargs: Any) -> tuple[str, str]:
        calls.append(args)
        return str(path), "handwrite models (*.npz)"

    monkeypatch.setattr(QFileDialog, dialog, staticmethod(fake))
    return calls


def _answer_open(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> list[tuple]:
    return _answer(monkeypatch, "getOpenFileName", path)


def _answer_save(monkeypatch: pytest.MonkeyPatch, path: Path | str) -> list[tuple]:
    return _answer(monkeypatch, "getSaveFileName", path)


def test_open_through_the_dialog(
    make_window: Any, monkeypatch: pytest.MonkeyPatch, mlp_file: Path
) -> None:
    window = make_window()
    calls = _answer_open(monkeypatch, mlp_file)
    window.open_action.trigger()
    assert calls
    assert window.document.path == mlp_file.resolve()
    assert window.model.name == "mlp"
    assert "91.00%" in window.status.model_label.text()
    assert "mlp.npz" in window.windowTitle()
    assert not window.drawing_panel.notice.isVisible()
    assert window.settings.recent_files[0] == mlp_file.resolve()
    assert window.settings.last_model == mlp_file.resolve()


def test_a_bad_file_shows_an_error_and_keeps_the_model(
    make_window: Any,
    monkeypatch: pytest.MonkeyPatch,
    mlp_file: Path,
    tmp_path: Path,
    dialog_log: Any,
) -> None:
    window = make_window(model_path=mlp_file)
    before = window.model.state_dict()
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"this is not a zip file")
    _answer_open(monkeypatch, bad)
    window.open_action.trigger()
    assert len(dialog_log.errors) == 1
    title, message, details = dialog_log.errors[0]
    assert "broken.npz" in message and "still loaded" in message
    assert details is not None and "not a handwrite model file" in details
    assert window.document.path == mlp_file.resolve()
    after = window.model.state_dict()
    assert all(np.array_equal(before[k], after[k]) for k in before)

    assert not window.document.open(tmp_path / "missing.npz")
    assert "no such file" in dialog_log.errors[-1][2]


def test_a_bad_model_at_start_is_reported_after_the_window_shows(
    make_window: Any, qtbot: Any, tmp_path: Path, dialog_log: Any
) -> None:
    bad = tmp_path / "bad.npz"
    np.savez(bad, x=np.zeros(3))
    window = make_window(model_path=bad)
    qtbot.waitUntil(lambda: bool(dialog_log.errors))
    assert "bad.npz" in dialog_log.errors[0][1]
    assert "untrained network instead" in dialog_log.errors[0][1]
    assert window.model.name == "cnn" and window.drawing_panel.notice.isVisible()


def test_save_as_then_save(
    make_window: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mlp_file: Path
) -> None:
    window = make_window(model_path=mlp_file)
    target = tmp_path / "saved" / "mine"
    target.parent.mkdir()
    _answer_save(monkeypatch, target)
    assert window.document.save_as()
    saved = target.with_suffix(".npz")
    assert window.document.path == saved.resolve()
    reloaded = load_model(saved)
    for k, v in window.model.state_dict().items():
        np.testing.assert_array_equal(reloaded.state_dict()[k], v)
    assert reloaded.metadata["training"]["test_accuracy"] == 0.91

    calls = _answer_save(monkeypatch, tmp_path / "never.npz")
    window.save_action.trigger()  # the file is known: no dialog
    assert not calls and not (tmp_path / "never.npz").exists()


def test_save_failure_is_an_error_and_nothing_is_lost(
    make_window: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, dialog_log: Any
) -> None:
    window = make_window()
    window.document.set_dirty(True)
    _answer_save(monkeypatch, tmp_path / "no-such-folder" / "x.npz")
    assert not window.document.save_as()
    assert dialog_log.errors and "could not be saved" in dialog_log.errors[0][0]
    assert window.document.dirty


def test_unsaved_training_is_asked_about(
    make_window: Any,
    monkeypatch: pytest.MonkeyPatch,
    mlp_file: Path,
    tmp_path: Path,
    dialog_log: Any,
) -> None:
    window = make_window()
    window.document.set_dirty(True)  # as after a training run
    dialog_log.save_answer = dialogs.SaveChoice.CANCEL
    assert not window.document.open(mlp_file)
    assert len(dialog_log.save_questions) == 1 and window.document.path is None

    dialog_log.save_answer = dialogs.SaveChoice.SAVE
    _answer_save(monkeypatch, tmp_path / "kept.npz")
    assert window.document.open(mlp_file)
    assert (tmp_path / "kept.npz").exists()
    assert window.document.path == mlp_file.resolve() and not window.document.dirty

    window.document.set_dirty(True)
    dialog_log.save_answer = dialogs.SaveChoice.DISCARD
    window.new_action.trigger()
    assert window.document.path is None and not window.document.dirty
    assert window.drawing_panel.notice.isVisible()


def test_recent_files_menu(make_window: Any, mlp_file: Path, tmp_path: Path) -> None:
    window = make_window()
    other = tmp_path / "other.npz"
    presets.build("mlp").save(other)
    window.document.open(mlp_file)
    window.document.open(other)
    actions = [a for a in window.document.recent_menu.actions() if a.text().startswith("&")]
    assert [a.text() for a in actions[:2]] == ["&1 other.npz", "&2 mlp.npz"]
    actions[1].trigger()
    assert window.document.path == mlp_file.resolve()


def test_the_default_model_opens_at_start_and_is_not_overwritten(
    make_window: Any, monkeypatch: pytest.MonkeyPatch, mlp_file: Path, tmp_path: Path
) -> None:
    window = make_window(default_model_path=mlp_file)
    assert window.document.path == mlp_file.resolve()
    calls = _answer_save(monkeypatch, tmp_path / "copy.npz")
    window.save_action.trigger()  # Save on the shipped model asks for a new name
    assert calls and (tmp_path / "copy.npz").exists()
