"""Small labelled image sets shaped like MNIST, for tests that train without it."""

from __future__ import annotations

import numpy as np

from handwrite.dataset import ArrayData


def digits_like(
    n: int = 700,
    seed: int = 0,
    noise: float = 0.1,
    label_noise: float = 0.0,
    random_labels: bool = False,
    test: int = 100,
    density: float = 0.25,
) -> ArrayData:
    """Ten classes, each a random binary 28x28 pattern (``density`` of its pixels lit) whose
    pixels flip with probability ``noise``: learnable like MNIST. ``label_noise``: the share
    of labels drawn at random instead; ``random_labels``: all of them (nothing to learn but
    the images by heart). The last ``test`` images are the test set."""
    rng = np.random.default_rng(seed)
    prototypes = rng.random((10, 28, 28)) < density
    t = rng.integers(0, 10, n)
    x = ((prototypes[t] ^ (rng.random((n, 28, 28)) < noise)) * 255).astype(np.uint8)
    if random_labels:
        t = rng.integers(0, 10, n)
    elif label_noise:
        t = np.where(rng.random(n) < label_noise, rng.integers(0, 10, n), t)
    return ArrayData(x[:-test], t[:-test], x[-test:], t[-test:])
