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
    """A plain :class:`DataSet` made of arrays."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
