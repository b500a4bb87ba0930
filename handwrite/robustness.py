"""How a network breaks: test accuracy against rotation, scale, stroke width, blur, noise, shift.

Each :class:`Perturbation` changes the test digits by a growing amount (its ``levels``; one of
them, ``identity``, leaves them as they are) and :func:`robustness_steps` measures each model's
accuracy at each level, on the same digits changed in the same way, so that two models (with
and without augmentation, say) can be compared curve by curve. MNIST-C (Mu & Gilmer 2019,
"MNIST-C: A robustness benchmark for computer vision") showed that a network's error can grow
tenfold under such changes.

Every transform is deterministic for a given seed: what is random (the direction of a shift or
a rotation, the noise) is drawn once per perturbation from a generator seeded by
``(seed, perturbation)``, and a larger level scales the same draw (more of the same noise, the
same directions further), so a curve is smooth and a run reproducible. Rotation, scale and
shift resample with :func:`handwrite.augment.bilinear_sample` (zeros outside the image), about
the point where MNIST puts a digit's centre of mass (:data:`handwrite.preprocess.CENTER`).

:func:`robustness_steps` is a generator that yields :class:`RobustnessProgress` (with the
partial curves) after each model's evaluation at each level and returns the
:class:`RobustnessResult`; a worker thread re-emits the events and cancels by closing it.
Qt-free.

    for event in robustness_steps([model_a, model_b], images, labels):
        bar.setValue(event.done)               # event.result holds the curves so far
    result = robustness([model_a, model_b], images, labels)
    levels, accuracy = result.curve("rotation", model=1)
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.augment import bilinear_sample
from handwrite.nn.layers import gaussian_kernel1d, separable_filter
from handwrite.nn.model import Model
from handwrite.preprocess import CENTER

__all__ = [
    "PERTURBATIONS",
    "Perturbation",
    "RobustnessProgress",
    "RobustnessResult",
    "perturb",
    "perturbation",
    "robustness",
    "robustness_steps",
]


@dataclass(frozen=True)
class Perturbation:
    """One way of changing the digits, at growing levels.

    Attributes:
        name: ``"rotation"``, ``"scale"``, ``"thickness"``, ``"blur"``, ``"noise"``,
            ``"salt_pepper"`` or ``"shift"`` (what :func:`perturb` takes).
        description: what a level means, in English (the window translates by ``name``).
        unit: the unit of a level (``"degrees"``, ``"px"``, ...), or ``""`` for a ratio.
        levels: the levels a curve is measured at, ascending.
        identity: the level that leaves the digits unchanged (one of ``levels``).
    """

    name: str
    description: str
    unit: str
    levels: tuple[float, ...]
    identity: float


#: The perturbations a robustness run measures, in order.
PERTURBATIONS: tuple[Perturbation, ...] = (
    Perturbation(
        "rotation",
        "rotated by the level, clockwise or anticlockwise (drawn per digit)",
        "degrees",
        (0.0, 15.0, 30.0, 45.0, 60.0, 75.0, 90.0),
        0.0,
    ),
    Perturbation(
        "scale",
        "scaled by the level about the digit's centre (smoothed first when shrunk)",
        "",
        (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4),
        1.0,
    ),
    Perturbation(
        "thickness",
        "strokes grown (dilation) or, below 0, thinned (erosion) by the level on each side",
        "px",
        (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0),
        0.0,
    ),
    Perturbation(
        "blur",
        "blurred by a Gaussian whose standard deviation is the level",
        "px",
        (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0),
        0.0,
    ),
    Perturbation(
        "noise",
        "Gaussian noise of the level's standard deviation added (ink is 0-1), clipped to 0-1",
        "",
        (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6),
        0.0,
    ),
    Perturbation(
        "salt_pepper",
        "the level's fraction of pixels set to full ink or to background, half each",
        "",
        (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5),
        0.0,
    ),
    Perturbation(
        "shift",
        "moved by the level in a direction drawn per digit",
        "px",
        (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
        0.0,
    ),
)

_BY_NAME = {p.name: p for p in PERTURBATIONS}


def perturbation(name: str) -> Perturbation:
    """The :class:`Perturbation` called ``name``."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(
            f"unknown perturbation {name!r}: use one of {', '.join(_BY_NAME)}"
        ) from None


# ---------------------------------------------------------------------------------------
# The transforms
# ---------------------------------------------------------------------------------------


def _as_float(images: Any) -> np.ndarray:
    """(N, 28, 28) float32 in [0, 1] from (N, 28, 28) or (N, 1, 28, 28), uint8 or float
    (divided by 255 as :meth:`Model.prepare_input` does, so that unchanged digits give the
    model exactly the input it would get from the uint8 ones)."""
    a = np.asarray(images)
    if a.ndim == 4 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 3:
        raise ValueError(f"images must be (N, H, W) or (N, 1, H, W), got shape {a.shape}")
    if a.dtype.kind in "ui":
        return a.astype(np.float32) / np.float32(255.0)
    return np.clip(a.astype(np.float32), 0.0, 1.0)


def _rng(seed: int, name: str) -> np.random.Generator:
    """The generator of ``name``'s random draws: one stream per (seed, perturbation)."""
    index = [p.name for p in PERTURBATIONS].index(name)
    return np.random.default_rng([int(seed), index])


def _affine(x: np.ndarray, matrices: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Warp each image of ``x`` (N, H, W) by ``p -> M p + shift`` about ``CENTER``: output
    pixel ``p`` samples the input at ``M^-1 (p - CENTER - shift) + CENTER``, bilinearly, zero
    outside. ``matrices``: (N, 2, 2) acting on (row, col); ``shifts``: (N, 2) (row, col)."""
    n, h, w = x.shape
    inv = np.linalg.inv(matrices).astype(np.float32)
    cy, cx = np.float32(CENTER[0]), np.float32(CENTER[1])
    gy, gx = np.meshgrid(
        np.arange(h, dtype=np.float32) - cy, np.arange(w, dtype=np.float32) - cx, indexing="ij"
    )
    py = gy[None] - shifts[:, 0, None, None].astype(np.float32)
    px = gx[None] - shifts[:, 1, None, None].astype(np.float32)
    sy = inv[:, 0, 0, None, None] * py + inv[:, 0, 1, None, None] * px + cy
    sx = inv[:, 1, 0, None, None] * py + inv[:, 1, 1, None, None] * px + cx
    return bilinear_sample(x[:, None], sx, sy)[:, 0]


def _rotate(x: np.ndarray, degrees: float, rng: np.random.Generator) -> np.ndarray:
    sign = np.where(rng.random(len(x)) < 0.5, -1.0, 1.0)
    theta = np.radians(degrees) * sign
    cos, sin = np.cos(theta), np.sin(theta)
    m = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], 1)
    return _affine(x, m, np.zeros((len(x), 2)))


def _blur(x: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of (N, H, W) ``x`` (zero outside); sigma 0 is a one-tap filter, [1]."""
    if sigma <= 0:
        g = np.ones(1)
    else:
        g = gaussian_kernel1d(2 * math.ceil(3 * sigma) + 1, sigma)
    return separable_filter(x, g)


def _scale(x: np.ndarray, factor: float) -> np.ndarray:
    if factor <= 0:
        raise ValueError(f"a scale must be positive, got {factor}")
    if factor < 1:
        # against aliasing: the smoothing skimage's rescale uses, sigma = (1/s - 1) / 2
        x = _blur(x, (1.0 / factor - 1.0) / 2.0)
    m = np.broadcast_to(np.eye(2) * factor, (len(x), 2, 2))
    return _affine(x, m, np.zeros((len(x), 2)))


def _shift(x: np.ndarray, pixels: float, rng: np.random.Generator) -> np.ndarray:
    angle = rng.uniform(0.0, 2.0 * np.pi, len(x))
    shifts = pixels * np.stack([np.sin(angle), np.cos(angle)], -1)
    return _affine(x, np.broadcast_to(np.eye(2), (len(x), 2, 2)), shifts)


def _thickness(x: np.ndarray, radius: float) -> np.ndarray:
    """Grey dilation (``radius >= 0``) or erosion (``radius < 0``) by a soft disc.

    Offset ``o`` weighs ``clip(r + 1 - |o|, 0, 1)``: 1 within ``r`` of the centre, falling
    linearly to 0 one pixel further, so a fractional radius grows strokes by a fraction of a
    pixel. Dilation: ``y(p) = max_o w(o) x(p + o)``; erosion, its dual on the background:
    ``y = 1 - dilation(1 - x)``, with the outside counted as background.
    """
    r = abs(radius)
    reach = math.ceil(r + 1) - 1
    n, h, w = x.shape
    src = x if radius >= 0 else 1.0 - x
    padded = np.full((n, h + 2 * reach, w + 2 * reach), 0.0 if radius >= 0 else 1.0, np.float32)
    padded[:, reach : reach + h, reach : reach + w] = src
    out = np.zeros_like(src)
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            weight = np.float32(min(max(r + 1.0 - math.hypot(dy, dx), 0.0), 1.0))
            if weight > 0:
                part = padded[:, reach + dy : reach + dy + h, reach + dx : reach + dx + w]
                np.maximum(out, part * weight if weight < 1 else part, out=out)
    return out if radius >= 0 else 1.0 - out


def _noise(x: np.ndarray, std: float, rng: np.random.Generator) -> np.ndarray:
    z = rng.standard_normal(x.shape, dtype=np.float32)
    return np.clip(x + np.float32(std) * z, 0.0, 1.0)


def _salt_pepper(x: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(x.shape, dtype=np.float32)
    salt = rng.random(x.shape, dtype=np.float32) < 0.5
    hit = u < np.float32(fraction)
    return np.where(hit, salt.astype(np.float32), x)


def perturb(images: Any, name: str, level: float, *, seed: int = 0) -> np.ndarray:
    """``images`` changed by perturbation ``name`` at ``level``.

    Args:
        images: (N, 28, 28) or (N, 1, 28, 28), uint8 0-255 or float 0-1.
        name: a :class:`Perturbation` name (:data:`PERTURBATIONS`).
        level: how much (any value, not only the perturbation's ``levels``); its
            ``identity`` returns the images unchanged, as float32.
        seed: seeds the random draws (per perturbation, independent of ``level``).

    Returns:
        (N, 28, 28) float32 in [0, 1].
    """
    perturbation(name)
    x = _as_float(images)
    level = float(level)
    if name == "rotation":
        out = _rotate(x, level, _rng(seed, name))
    elif name == "scale":
        out = _scale(x, level)
    elif name == "thickness":
        out = _thickness(x, level)
    elif name == "blur":
        if level < 0:
            raise ValueError(f"a blur's sigma cannot be negative, got {level}")
        out = _blur(x, level)
    elif name == "noise":
        out = _noise(x, level, _rng(seed, name))
    elif name == "salt_pepper":
        out = _salt_pepper(x, level, _rng(seed, name))
    else:
        out = _shift(x, level, _rng(seed, name))
    return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)


# ---------------------------------------------------------------------------------------
# The curves
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RobustnessResult:
    """Accuracy curves of one or more models over the same perturbed digits.

    Attributes:
        perturbations: what was measured, in order.
        model_names: a name for each model, in the order they were given.
        accuracy: one (M, L) float64 array per perturbation: model ``m``'s accuracy at the
            perturbation's ``l``-th level; NaN where not measured yet (a partial result).
        n_images: how many digits each accuracy is measured on.
        seed: the seed of the random draws.
    """

    perturbations: tuple[Perturbation, ...]
    model_names: tuple[str, ...]
    accuracy: tuple[np.ndarray, ...]
    n_images: int
    seed: int

    def curve(self, name: str, model: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """(levels (L,) float64, accuracy (L,) float64) of perturbation ``name`` for the
        ``model``-th model."""
        for p, acc in zip(self.perturbations, self.accuracy, strict=True):
            if p.name == name:
                return np.array(p.levels), acc[model].copy()
        raise ValueError(f"perturbation {name!r} was not measured")

    @property
    def complete(self) -> bool:
        return all(not np.isnan(a).any() for a in self.accuracy)

    def __repr__(self) -> str:
        lines = [f"RobustnessResult({self.n_images} digits, seed {self.seed})"]
        for p, acc in zip(self.perturbations, self.accuracy, strict=True):
            for name, row in zip(self.model_names, acc, strict=True):
                values = " ".join(f"{a:.3f}" for a in row)
                lines.append(f"  {p.name:11s} {name}: {values}")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class RobustnessProgress:
    """``done`` of ``total`` evaluations (one model on all the digits at one level), and the
    curves so far (:class:`RobustnessResult`, NaN where not measured yet)."""

    done: int
    total: int
    result: RobustnessResult


def robustness_steps(
    models: Model | Sequence[Model],
    images: Any,
    labels: Any,
    *,
    perturbations: Sequence[Perturbation | str] | None = None,
    names: Sequence[str] | None = None,
    seed: int = 0,
    threads: int = 1,
) -> Generator[RobustnessProgress, None, RobustnessResult]:
    """Measure accuracy curves, yielding progress after each evaluation.

    Args:
        models: one model, or several to compare: each is evaluated on exactly the same
            perturbed digits. They are used from the calling thread (give a worker thread its
            own copies) and left in the mode they were in.
        images: (N, 28, 28) uint8 0-255 or float 0-1, e.g. MNIST test digits.
        labels: (N,) their classes.
        perturbations: which to measure (objects or names), default :data:`PERTURBATIONS`.
        names: a name per model for the result, default ``model.name`` (or "model k").
        seed: seeds the random parts of the transforms.
        threads: CPU threads each evaluation may use (:meth:`Model.predict_proba`).

    Yields :class:`RobustnessProgress` after each model's evaluation at each level (the
    transform of a level is computed once, for all the models); closing the generator stops
    the run there. Returns the complete :class:`RobustnessResult`.
    """
    model_list = [models] if isinstance(models, Model) else list(models)
    if not model_list:
        raise ValueError("give at least one model")
    if names is None:
        names = [m.name or f"model {k + 1}" for k, m in enumerate(model_list)]
    if len(names) != len(model_list):
        raise ValueError(f"{len(names)} names for {len(model_list)} models")
    chosen = tuple(
        perturbation(p) if isinstance(p, str) else p
        for p in (PERTURBATIONS if perturbations is None else perturbations)
    )
    labels = np.asarray(labels).astype(np.int64).reshape(-1)
    x = _as_float(images)
    if len(x) != len(labels) or len(labels) == 0:
        raise ValueError(f"{len(x)} images and {len(labels)} labels: give the same, at least 1")
    accuracy = [np.full((len(model_list), len(p.levels)), np.nan) for p in chosen]
    total = sum(len(p.levels) for p in chosen) * len(model_list)
    done = 0

    def snapshot() -> RobustnessResult:
        return RobustnessResult(
            perturbations=chosen,
            model_names=tuple(names),
            accuracy=tuple(a.copy() for a in accuracy),
            n_images=len(labels),
            seed=seed,
        )

    for p, acc in zip(chosen, accuracy, strict=True):
        for level_index, level in enumerate(p.levels):
            changed = perturb(x, p.name, level, seed=seed)
            for m, model in enumerate(model_list):
                predicted = model.predict_proba(changed, threads=threads).argmax(axis=1)
                acc[m, level_index] = float((predicted == labels).mean())
                done += 1
                yield RobustnessProgress(done, total, snapshot())
    return snapshot()


def robustness(
    models: Model | Sequence[Model],
    images: Any,
    labels: Any,
    *,
    perturbations: Sequence[Perturbation | str] | None = None,
    names: Sequence[str] | None = None,
    seed: int = 0,
    threads: int = 1,
) -> RobustnessResult:
    """:func:`robustness_steps` run to the end: the complete :class:`RobustnessResult`."""
    steps = robustness_steps(
        models,
        images,
        labels,
        perturbations=perturbations,
        names=names,
        seed=seed,
        threads=threads,
    )
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
