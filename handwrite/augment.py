"""Data augmentation for digit images: random affine warps and elastic distortion, vectorised.

Every image of a batch gets its own random rotation, scaling, shear and shift (and, when
asked, an elastic distortion: Simard, Steinkraus & Platt 2003, "Best practices for
convolutional neural networks applied to visual document analysis", ICDAR). All images are
resampled at once with bilinear interpolation through one gather, so the same code runs on
NumPy and CuPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.nn.backend import get_array_module
from handwrite.nn.layers import gaussian_kernel1d, separable_filter


@dataclass(frozen=True)
class AugmentConfig:
    """Ranges of the random transformations (each drawn uniformly in ``[-r, r]``)."""

    rotate_degrees: float = 12.0
    scale: float = 0.12  # relative: 1 +/- scale
    shear: float = 0.15  # x' = x + shear * y
    shift: float = 2.5  # pixels
    elastic_alpha: float = 0.0  # displacement strength in pixels; 0 turns elastic off
    elastic_sigma: float = 4.0  # smoothness of the displacement field, pixels


def augment(x: Any, rng: np.random.Generator, config: AugmentConfig | None = None) -> Any:
    """Randomly transformed copies of ``x``: (N, 1, H, W) float32 in [0, 1] -> same shape."""
    cfg = config or AugmentConfig()
    xp = get_array_module(x)
    n, c, h, w = x.shape
    theta = np.radians(rng.uniform(-cfg.rotate_degrees, cfg.rotate_degrees, n))
    scale = 1.0 + rng.uniform(-cfg.scale, cfg.scale, n)
    shear = rng.uniform(-cfg.shear, cfg.shear, n)
    shift = rng.uniform(-cfg.shift, cfg.shift, (n, 2))
    # Forward map (about the image centre): rotation @ shear @ scale; sample with its inverse.
    cos, sin = np.cos(theta), np.sin(theta)
    m = np.empty((n, 2, 2))
    m[:, 0, 0] = cos * scale
    m[:, 0, 1] = (cos * shear - sin) * scale
    m[:, 1, 0] = sin * scale
    m[:, 1, 1] = (sin * shear + cos) * scale
    inv = xp.asarray(np.linalg.inv(m).astype(np.float32))  # (N, 2, 2), acting on (x, y)
    cy, cx = (h - 1) / 2.0, (w - 1) / 2.0
    gy, gx = xp.meshgrid(
        xp.arange(h, dtype=xp.float32) - cy, xp.arange(w, dtype=xp.float32) - cx, indexing="ij"
    )
    sh = xp.asarray(shift.astype(np.float32))
    px = gx[None] - sh[:, 0, None, None]
    py = gy[None] - sh[:, 1, None, None]
    sx = inv[:, 0, 0, None, None] * px + inv[:, 0, 1, None, None] * py + cx
    sy = inv[:, 1, 0, None, None] * px + inv[:, 1, 1, None, None] * py + cy
    if cfg.elastic_alpha > 0:
        size = 2 * math.ceil(2 * cfg.elastic_sigma) + 1
        g = gaussian_kernel1d(size, cfg.elastic_sigma)
        field = xp.asarray(rng.uniform(-1, 1, (2, n, h, w)).astype(np.float32))
        field = separable_filter(field, g)
        # normalise so alpha is the typical displacement in pixels
        field *= cfg.elastic_alpha / (float(xp.abs(field).mean()) + 1e-8) / 2
        sx = sx + field[0]
        sy = sy + field[1]
    return bilinear_sample(x, sx, sy)


def bilinear_sample(x: Any, sx: Any, sy: Any) -> Any:
    """Sample each image of ``x`` (N, C, H, W) at float coordinates ``sx``, ``sy`` (N, H, W),
    with zeros outside the image."""
    xp = get_array_module(x)
    n, c, h, w = x.shape
    padded = xp.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    sx = xp.clip(sx, -1.0, w) + 1.0  # into padded coordinates, clamped to the zero border
    sy = xp.clip(sy, -1.0, h) + 1.0
    x0 = xp.floor(sx).astype(xp.int32)
    y0 = xp.floor(sy).astype(xp.int32)
    x0 = xp.clip(x0, 0, w)
    y0 = xp.clip(y0, 0, h)
    fx = (sx - x0).astype(x.dtype)[:, None]
    fy = (sy - y0).astype(x.dtype)[:, None]
    # Indices into the whole padded batch as one flat array (each image's and channel's
    # plane after the last one): a plain take, much cheaper than take_along_axis.
    plane = (h + 2) * (w + 2)
    base = (y0 * (w + 2) + x0).reshape(n, 1, h * w)
    base = base + (xp.arange(n * c, dtype=base.dtype) * plane).reshape(n, c, 1)
    flat = padded.reshape(-1)

    def at(offset: int) -> Any:
        return flat.take(base + offset).reshape(n, c, h, w)

    top = at(0) * (1 - fx) + at(1) * fx
    bottom = at(w + 2) * (1 - fx) + at(w + 3) * fx
    return (top * (1 - fy) + bottom * fy).astype(x.dtype, copy=False)
