"""MNIST for training: found quietly, or offered for download with a cancellable progress dialog."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton

from handwrite import mnist
from handwrite.gui import dialogs
from handwrite.gui.training_panel import IDLE
from handwrite.trainer import ArrayData


class FakeSource:
    """Stands in for ``mnist.load_mnist``: MNIST is not on disk; a "download" reports progress
    and then waits for cancellation (or succeeds at once with ``data``)."""

    def __init__(self, data: ArrayData | None = None, fail: str | None = None) -> None:
        self.data = data
        self.fail = fail
        self.calls: list[bool] = []
        self.waiting = threading.Event()

    def __call__(
        self,
        data_dir: Any = None,
        *,
        download: bool = True,
        progress: Any = None,
        cancel: threading.Event | None = None,
        **kwargs: Any,
    ) -> Any:
        self.calls.append(download)
        if not download:
            raise mnist.MnistNotFoundError("MNIST was not found. Tried:\n  - nowhere\n")
        if self.fail:
            raise mnist.DownloadError(self.fail, [self.fail])
        if progress is not None:
            progress("train-images-idx3-ubyte.gz", 0, 9_912_422)
            progress("train-images-idx3-ubyte.gz", 9_912_422, 9_912_422)  # always reported
            progress("train-labels-idx1-ubyte.gz", 0, 28_881)
        if self.data is not None:
            return self.data
        self.waiting.set()
        assert cancel is not None and cancel.wait(20), "the dialog never cancelled"
        raise mnist.DownloadCancelled("cancelled")


def test_declining_the_download_leaves_the_panel_ready(
    make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, dialog_log: Any
) -> None:
    source = FakeSource()
    monkeypatch.setattr(mnist, "load_mnist", source)
    window = make_window()
    with qtbot.waitSignal(window.mnist.unavailable, timeout=5000):
        window.training_panel.start_button.click()
    assert source.calls == [False]
    assert "nowhere" in dialog_log.mnist_offers[0]
    assert window.training_panel.state == IDLE
    assert not window.training.is_running() and not dialog_log.errors


def test_the_download_shows_progress_and_can_be_cancelled(
    make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, dialog_log: Any
) -> None:
    source = FakeSource()
    monkeypatch.setattr(mnist, "load_mnist", source)
    dialog_log.mnist_answer = dialogs.DataChoice.DOWNLOAD
    window = make_window()
    window.training_panel.start_button.click()
    qtbot.waitUntil(lambda: window.mnist.progress_dialog is not None, timeout=5000)
    dialog = window.mnist.progress_dialog
    qtbot.waitUntil(lambda: "train-labels" in dialog.labelText(), timeout=5000)
    assert "0.0 of 0.0 MB" in dialog.labelText()
    assert source.waiting.wait(5)
    with qtbot.waitSignal(window.mnist.unavailable, timeout=5000):
        dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert source.calls == [False, True]
    assert window.mnist.progress_dialog is None
    assert window.training_panel.state == IDLE
    assert not dialog_log.errors  # cancelling is not an error


def test_a_failed_download_is_explained(
    make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, dialog_log: Any
) -> None:
    monkeypatch.setattr(mnist, "load_mnist", FakeSource(fail="mirror: HTTP 503"))
    dialog_log.mnist_answer = dialogs.DataChoice.DOWNLOAD
    window = make_window()
    with qtbot.waitSignal(window.mnist.unavailable, timeout=5000):
        window.training_panel.start_button.click()
    title, message, details = dialog_log.errors[0]
    assert "MNIST" in title and "HTTP 503" in details
    assert window.training_panel.state == IDLE


def test_a_finished_download_starts_training(
    make_window: Any,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    dialog_log: Any,
    small_data: ArrayData,
) -> None:
    monkeypatch.setattr(mnist, "load_mnist", FakeSource(data=small_data))
    dialog_log.mnist_answer = dialogs.DataChoice.DOWNLOAD
    window = make_window()
    from dataclasses import replace

    panel = window.training_panel
    panel.set_settings(replace(panel.settings(), arch="mlp", epochs=1))
    with qtbot.waitSignal(window.training.started, timeout=10_000):
        panel.start_button.click()
    with qtbot.waitSignal(window.training.running_changed, timeout=60_000):
        panel.stop_button.click()
    assert window.mnist.data is small_data


def test_choosing_the_folder_that_holds_mnist(
    make_window: Any,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    dialog_log: Any,
    mnist_dir: Any,
    tmp_path: Any,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.delenv("HANDWRITE_DATA", raising=False)  # MNIST is nowhere the program looks
    monkeypatch.setenv("HANDWRITE_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(mnist_dir))
    )
    dialog_log.mnist_answer = dialogs.DataChoice.CHOOSE_FOLDER
    window = make_window()
    window.mnist.loaded.connect(lambda data: window.training.stop())  # no need to train here
    with qtbot.waitSignal(window.mnist.loaded, timeout=20_000) as loaded:
        window.mnist.request()
    assert len(loaded.args[0].train_images) == 60000
    assert window.settings.data_dir == mnist_dir
    assert len(dialog_log.mnist_offers) == 1


def test_stop_while_the_data_loads_starts_nothing(
    make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, small_data: ArrayData
) -> None:
    release = threading.Event()

    def slow_load(*args: Any, **kwargs: Any) -> ArrayData:
        assert release.wait(10)
        return small_data

    monkeypatch.setattr(mnist, "load_mnist", slow_load)
    window = make_window()
    panel = window.training_panel
    panel.start_button.click()
    assert panel.stop_button.isEnabled()
    panel.stop_button.click()
    release.set()
    with qtbot.waitSignal(window.mnist.loaded, timeout=5000):
        pass
    assert panel.state == IDLE
    assert not window.training.is_running()
