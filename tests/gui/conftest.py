"""GUI test fixtures: offscreen Qt, no modal dialogs, temporary settings, a trained model."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from handwrite.gui import dialogs  # noqa: E402
from handwrite.gui.document import DEFAULT_MODEL_PATH  # noqa: E402
from handwrite.gui.main_window import MainWindow  # noqa: E402
from handwrite.gui.settings import AppSettings  # noqa: E402
from handwrite.gui.training.run_controller import RunState  # noqa: E402
from handwrite.modelfile import ModelFileError, load_model  # noqa: E402
from handwrite.nn.backend import limit_blas_threads  # noqa: E402
from handwrite.trainer import ArrayData, TrainConfig, Trainer  # noqa: E402


@dataclass
class DialogLog:
    """What the window asked and showed instead of blocking on modal dialogs."""

    errors: list[tuple[str, str, str | None]] = field(default_factory=list)
    save_questions: list[str] = field(default_factory=list)
    mnist_offers: list[str] = field(default_factory=list)
    save_answer: dialogs.SaveChoice = dialogs.SaveChoice.DISCARD
    mnist_answer: dialogs.DataChoice = dialogs.DataChoice.CANCEL


@pytest.fixture(scope="session", autouse=True)
def _blas_as_in_the_app() -> None:
    """One BLAS thread, as handwrite.gui.app.main() sets (first used by a GUI test, so the
    core tests that run before keep the library's default)."""
    limit_blas_threads(1)


@pytest.fixture(autouse=True)
def _personal_set_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows keep "your handwriting" in a temporary folder, never in the user's own."""
    monkeypatch.setenv("HANDWRITE_HOME", str(tmp_path / "handwrite-home"))


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    """Every modal prompt is answered by this log (a test that forgets would hang)."""
    log = DialogLog()

    def show_error(parent: Any, title: str, message: str, details: str | None = None) -> None:
        log.errors.append((title, message, details))

    def ask_save_changes(parent: Any, question: str) -> dialogs.SaveChoice:
        log.save_questions.append(question)
        return log.save_answer

    def ask_for_mnist(parent: Any, message: str) -> dialogs.DataChoice:
        log.mnist_offers.append(message)
        return log.mnist_answer

    monkeypatch.setattr(dialogs, "show_error", show_error)
    monkeypatch.setattr(dialogs, "ask_save_changes", ask_save_changes)
    monkeypatch.setattr(dialogs, "ask_for_mnist", ask_for_mnist)
    return log


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "handwrite.ini"


@pytest.fixture
def make_window(qtbot: Any, settings_path: Path) -> Iterator[Callable[..., MainWindow]]:
    """``make_window(**kwargs)``: a shown MainWindow on temporary settings, with no default
    model unless ``default_model_path`` is given, resized to ``size`` (None: as restored).
    Its threads are stopped at teardown."""
    windows: list[MainWindow] = []

    def make(**kwargs: Any) -> MainWindow:
        kwargs.setdefault("settings", AppSettings(settings_path))
        kwargs.setdefault("default_model_path", settings_path.parent / "no-default.npz")
        size = kwargs.pop("size", (1200, 720))
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        if size is not None:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture
def wait_idle(qtbot: Any) -> Callable[..., None]:
    """``wait_idle(window, timeout_ms)``: wait until the window's run controller is idle
    again (a run's thread has ended, an evaluation is over), on its ``state_changed``."""

    def wait(window: MainWindow, timeout: int = 60_000) -> None:
        if window.run.state is not RunState.IDLE:
            with qtbot.waitSignal(
                window.run.state_changed,
                timeout=timeout,
                check_params_cb=lambda state: state is RunState.IDLE,
            ):
                pass

    return wait


@pytest.fixture(scope="session")
def mnist_data(mnist_dir: Path) -> Any:
    from handwrite.mnist import load_mnist

    return load_mnist(mnist_dir)


@pytest.fixture(scope="session")
def small_data(mnist_data: Any) -> ArrayData:
    """1,500 training and 300 test digits: a run of a few seconds."""
    return ArrayData(
        np.asarray(mnist_data.train_images[:1500]),
        np.asarray(mnist_data.train_labels[:1500]),
        np.asarray(mnist_data.test_images[:300]),
        np.asarray(mnist_data.test_labels[:300]),
    )


@pytest.fixture(scope="session")
def trained_model_path(tmp_path_factory: pytest.TempPathFactory, mnist_dir: Path) -> Path:
    """models/default.npz when it is there, else a small MLP trained on real MNIST."""
    if DEFAULT_MODEL_PATH.exists():
        try:
            load_model(DEFAULT_MODEL_PATH)
        except ModelFileError:
            pass
        else:
            return DEFAULT_MODEL_PATH
    from handwrite.mnist import load_mnist

    data = load_mnist(mnist_dir)
    config = TrainConfig(
        arch="mlp", epochs=2, limit=8000, validation=500, test_limit=1000, batch_size=100, seed=1
    )
    trainer = Trainer(config, data)
    for _ in trainer.run():
        pass
    path = tmp_path_factory.mktemp("models") / "mlp-small.npz"
    trainer.model.save(path)
    return path
