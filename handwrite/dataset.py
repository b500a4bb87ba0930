"""Labelled image sets, as the trainer and the personal set hand them around. Qt-free.

:class:`DataSet` is what training and evaluation read (MNIST's loader returns one);
:class:`ArrayData` is the plain one made of arrays (tests, the fine-tuning mix of your own
samples and MNIST).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


class DataSet(Protocol):
    """Training and test images, uint8 (N, 28, 28) bright ink on dark, and their labels,
    uint8 or int (N,)."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


@dataclass(frozen=True)
class ArrayData:
    """A plain :class:`DataSet` made of arrays.

    ``negative_source``: the labelled digits whose cut, overlapped and crossed versions
    training learns "not a digit" from, when not the training images themselves (the
    fine-tuning mix names MNIST's, so that it trains with the same negatives as any run on
    MNIST); see :func:`handwrite.trainer.negative_source`.
    """

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    negative_source: tuple[np.ndarray, np.ndarray] | None = None
