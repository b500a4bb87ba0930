"""Shared fixtures: where the real MNIST files are, when a test needs them; a small bank of
negatives for training, kept for the session."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

MNIST_NAMES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)

HOW_TO_GET_MNIST = (
    "real MNIST is not available: set HANDWRITE_DATA to a folder holding the four MNIST files "
    "(e.g. HANDWRITE_DATA=../shared/mnist), or run `handwrite fetch-data` and point "
    "HANDWRITE_DATA at the folder it prints"
)


def _has_mnist(folder: Path) -> bool:
    return all(
        (folder / name).is_file() or (folder / f"{name}.gz").is_file() for name in MNIST_NAMES
    )


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder named by HANDWRITE_DATA; skips the test (saying how to get MNIST) without it."""
    value = os.environ.get("HANDWRITE_DATA")
    if not value or not _has_mnist(Path(value)):
        pytest.skip(HOW_TO_GET_MNIST)
    return Path(value)


#: Negatives in a test's training bank: ten of each kind. A run on new digits makes its bank
#: (well under a second at this size); the session keeps them, out of the user's cache.
TEST_BANK_SIZE = 70


@pytest.fixture(scope="session")
def _bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("negatives")


@pytest.fixture(autouse=True)
def small_negatives_bank(_bank_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Training in tests draws from :data:`TEST_BANK_SIZE` negatives kept in a session folder
    (a test that needs the full bank sets ``handwrite.negatives.BANK_SIZE`` back)."""
    from handwrite import negatives

    monkeypatch.setattr(negatives, "BANK_SIZE", TEST_BANK_SIZE)
    monkeypatch.setattr(negatives, "bank_cache_dir", lambda: _bank_dir)


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def deadline() -> Callable[[int], AbstractContextManager[None]]:
    """``with deadline(seconds):`` fails the test (TimeoutError) instead of hanging the suite
    when the block blocks longer, e.g. on a FIFO (POSIX: SIGALRM interrupts the system call)."""
    if not hasattr(signal, "SIGALRM"):
        pytest.skip("needs SIGALRM (POSIX)")
    return _deadline
