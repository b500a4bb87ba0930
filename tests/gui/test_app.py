"""``handwrite.gui.app.main``: the entry point of ``handwrite`` and ``handwrite gui [MODEL]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from handwrite.gui import app as app_module
from handwrite.gui import main_window
from handwrite.gui.settings import AppSettings
from handwrite.nn import presets


def test_main_shows_the_model_asked_for_and_returns_when_closed(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model = tmp_path / "asked.npz"
    presets.build("mlp").save(model)
    made: list[main_window.MainWindow] = []

    def make_window(model_path: str | None = None) -> main_window.MainWindow:
        window = main_window.MainWindow(
            settings=AppSettings(tmp_path / "s.ini"),
            model_path=model_path,
            default_model_path=tmp_path / "none.npz",
        )
        made.append(window)
        return window

    def close_it() -> None:
        assert made and made[0].isVisible()
        made[0].close()

    monkeypatch.setattr(app_module, "MainWindow", make_window)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    QTimer.singleShot(0, close_it)
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(qapp.quit)  # never hang the suite
    safety.start(20_000)
    assert app_module.main(str(model)) == 0
    safety.stop()
    assert made[0].document.path == model.resolve()
    assert not qapp.windowIcon().isNull()


def test_the_excepthook_shows_errors_instead_of_dying(
    make_window: Any, monkeypatch: pytest.MonkeyPatch, dialog_log: Any
) -> None:
    window = make_window()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    app_module._install_excepthook(window)
    try:
        raise RuntimeError("a bug")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    title, message, details = dialog_log.errors[0]
    assert "went wrong" in title and "nothing was lost" in message
    assert "RuntimeError: a bug" in details
