"""MNIST on demand: found quietly, or offered for download with a cancellable progress dialog."""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton

from handwrite import mnist
from handwrite.gui import dialogs, mnist_controller
from handwrite.gui.training.run_controller import RunState
from handwrite.mnist import DownloadProgress
from handwrite.trainer import ArrayData

LABELS = "train-labels-idx1-ubyte.gz"


class FakeSource:
    """Stands in for ``mnist.load_mnist_steps``: MNIST is not on disk; a "download" yields
    progress, then succeeds at once with ``data``, or goes on (as a slow download does) until
    it is closed or its ``cancel`` event is set."""

    def __init__(self, data: ArrayData | None = None, fail: str | None = None) -> None:
        self.data = data
        self.fail = fail
        self.calls: list[bool] = []
        self.waiting = threading.Event()
        self.stopped = threading.Event()

    def __call__(
        self,
        data_dir: Any = None,
        *,
        download: bool = True,
        cancel: threading.Event | None = None,
        **kwargs: Any,
    ) -> Generator[DownloadProgress, None, ArrayData]:
        self.calls.append(download)
        if not download:
            raise mnist.MnistNotFoundError("MNIST was not found. Tried:\n  - nowhere\n")
        if self.fail:
            raise mnist.DownloadError(self.fail, [self.fail])
        yield DownloadProgress("train-images-idx3-ubyte.gz", 0, 9_912_422)
        yield DownloadProgress("train-images-idx3-ubyte.gz", 9_912_422, 9_912_422)
        yield DownloadProgress(LABELS, 0, 28_881)
        if self.data is not None:
            return self.data
        self.waiting.set()
        assert cancel is not None
        try:
            while not cancel.wait(0.01):
                yield DownloadProgress(LABELS, 1000, 28_881)
        finally:
            self.stopped.set()  # closed at a yield, or cancelled by the event
        raise mnist.DownloadCancelled("cancelled")


@pytest.fixture
def fake_source(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeSource]:
    """``fake_source(data=..., fail=...)``: a FakeSource in place of MNIST's loader."""

    def install(**kwargs: Any) -> FakeSource:
        source = FakeSource(**kwargs)
        monkeypatch.setattr(mnist, "load_mnist_steps", source)
        return source

    return install


def test_declining_the_download_leaves_the_panel_ready(
    make_window: Any, fake_source: Any, dialog_log: Any, wait_idle: Any
) -> None:
    source = fake_source()
    window = make_window()
    window.training_panel.start_button.click()
    assert window.run.state is RunState.STARTING
    wait_idle(window, 5000)
    assert source.calls == [False]
    assert "nowhere" in dialog_log.mnist_offers[0]
    assert window.training_panel.state is RunState.IDLE
    assert not window.mnist.is_busy() and not dialog_log.errors
    assert "needs the MNIST digits" in window.statusBar().currentMessage()


def test_the_download_shows_progress_and_can_be_cancelled(
    make_window: Any, qtbot: Any, fake_source: Any, dialog_log: Any, wait_idle: Any
) -> None:
    source = fake_source()
    dialog_log.mnist_answer = dialogs.DataChoice.DOWNLOAD
    window = make_window()
    window.training_panel.start_button.click()
    qtbot.waitUntil(lambda: window.mnist.progress_dialog is not None, timeout=5000)
    dialog = window.mnist.progress_dialog
    qtbot.waitUntil(lambda: LABELS.split(".")[0] in dialog.labelText(), timeout=5000)
    assert "0.0 of 0.0 MB" in dialog.labelText()
    assert source.waiting.wait(5)
    dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    wait_idle(window, 5000)
    assert source.stopped.is_set()  # the download itself stopped, not only the dialog
    assert source.calls == [False, True]
    assert window.mnist.progress_dialog is None and not window.mnist.is_busy()
    assert window.training_panel.state is RunState.IDLE
    assert not dialog_log.errors  # cancelling is not an error


def test_download_progress_is_passed_on_at_a_bounded_rate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A progress event per chunk would flood the dialog: the loading thread passes on the
    start and the end of each file, and at most MAX_PROGRESS_RATE events a second between."""

    def chunks(*args: Any, **kwargs: Any) -> Generator[DownloadProgress, None, str]:
        for done in range(0, 1001, 10):
            yield DownloadProgress("file.gz", done, 1000)
        return "the data"

    monkeypatch.setattr(mnist, "load_mnist_steps", chunks)
    ticks = iter(range(1, 1000))  # a chunk every 1/64 s: 64 a second, more than 20
    clock = SimpleNamespace(perf_counter=lambda: next(ticks) / 64)
    monkeypatch.setattr(mnist_controller, "time", clock)
    steps = mnist_controller.find_mnist(None, True, threading.Event())
    passed = []
    while True:
        try:
            passed.append(next(steps).done)
        except StopIteration as stop:
            assert stop.value == "the data"
            break
    # The first, then one in four (1/16 s apart: at most 20 a second), and the last.
    assert passed == list(range(0, 1001, 40))


def test_a_failed_download_is_explained(
    make_window: Any, fake_source: Any, dialog_log: Any, wait_idle: Any
) -> None:
    fake_source(fail="mirror: HTTP 503")
    dialog_log.mnist_answer = dialogs.DataChoice.DOWNLOAD
    window = make_window()
    window.training_panel.start_button.click()
    wait_idle(window, 5000)
    title, message, details = dialog_log.errors[0]
    assert "MNIST" in title and "HTTP 503" in details
    assert window.training_panel.state is RunState.IDLE


def test_a_finished_download_starts_training(
    make_window: Any,
    qtbot: Any,
    fake_source: Any,
    dialog_log: Any,
    small_data: ArrayData,
    wait_idle: Any,
) -> None:
    fake_source(data=small_data)
    dialog_log.mnist_answer = dialogs.DataChoice.DOWNLOAD
    window = make_window()
    panel = window.training_panel
    panel.set_settings(replace(panel.settings(), arch="mlp", epochs=1))
    with qtbot.waitSignal(window.run.started, timeout=10_000):
        panel.start_button.click()
    panel.stop_button.click()
    wait_idle(window)
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
    with qtbot.waitCallback(timeout=20_000) as loaded:
        window.mnist.request(loaded)
    assert len(loaded.args[0].train_images) == 60000
    assert window.settings.data_dir == mnist_dir
    assert len(dialog_log.mnist_offers) == 1
    with qtbot.waitCallback(timeout=1000) as again:  # loaded: answered at once
        window.mnist.request(again)
    assert again.args[0] is loaded.args[0]


def test_stop_while_the_data_loads_starts_nothing(
    make_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch, small_data: ArrayData
) -> None:
    release = threading.Event()

    def slow_load(*args: Any, **kwargs: Any) -> Generator[DownloadProgress, None, ArrayData]:
        assert release.wait(10)
        return small_data
        yield  # a generator, as load_mnist_steps is

    monkeypatch.setattr(mnist, "load_mnist_steps", slow_load)
    window = make_window()
    panel = window.training_panel
    panel.start_button.click()
    assert panel.stop_button.isEnabled() and window.mnist.is_busy()
    panel.stop_button.click()
    assert panel.state is RunState.IDLE  # at once: nothing else waits for the digits
    release.set()
    qtbot.waitUntil(lambda: not window.mnist.is_busy(), timeout=5000)
    assert window.mnist.data is small_data  # loaded all the same, for the next request
    assert window.run.state is RunState.IDLE and window.training_plot.batch_points() == 0
