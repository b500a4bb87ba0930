"""A map of what the network knows: its last hidden layer, projected to two dimensions.

The input of the output layer (the last ``Dense``) is the representation the network
classifies from: in a trained network the digits of one class lie close together there and the
classes apart. :func:`fit_embedding` computes it for a few thousand labelled digits and projects
it on its two principal components (PCA: the centred features' singular value decomposition,
in NumPy), keeping the mean and the components, so that :meth:`Embedding.project` places a new
drawing on the same map with one forward pass and a (F,) x (F, 2) product.

The sign of a principal component is arbitrary, and two components of nearly equal variance
can swap or turn within their plane when the weights change; here the picture is kept steady:
a fresh fit makes each component's entry of largest magnitude positive, and a refit with new
weights (a training snapshot, :meth:`Embedding.refit`) turns the new principal plane's axes (a
rotation, or a mirror image, within the plane) to where the same digits move least from their
old places (orthogonal Procrustes).

PCA, and not t-SNE or UMAP, because the map has to place a new point at every stroke at once,
the same way every time, and be recomputed at every training snapshot: PCA's
projection is a fixed linear map, its fit is one SVD of a (2000, 128) matrix, and it is
deterministic. t-SNE (openTSNE, scikit-learn) and UMAP (umap-learn) separate clusters more
clearly, but each fit is an iterative optimisation over all the points, their placement of a
new point is an optimisation of its own (scikit-learn's t-SNE has none), their layouts change
from fit to fit, and they bring scikit-learn and SciPy (UMAP also numba and llvmlite) into an app
whose only numerical dependency is NumPy. Qt-free.

    embedding = fit_embedding(model, images, labels)          # (N, 28, 28) uint8, (N,)
    xy = embedding.project(model, drawing28)                 # (2,) float32
    embedding = embedding.refit(model_with_new_weights)       # same digits, aligned axes
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from handwrite.nn.backend import to_numpy
from handwrite.nn.model import Model

__all__ = [
    "CHUNK",
    "Embedding",
    "EmbeddingProgress",
    "fit_embedding",
    "fit_embedding_steps",
    "hidden_features",
    "hidden_features_and_probabilities",
    "hidden_layer",
    "pca",
    "sample_digits",
]

#: Images per forward pass when computing many images' features: cache-sized pieces (a
#: ``cnn`` piece of 128 images keeps its activations in the cache), and the granularity of
#: progress and cancellation.
CHUNK = 128


def hidden_layer(model: Model) -> int:
    """The index of the output layer, the last ``Dense`` one: its input is what is embedded
    (the output of layer ``hidden_layer(model) - 1``, or the image when it is 0)."""
    for i in range(len(model.layers) - 1, -1, -1):
        if model.layers[i].type_name == "Dense":
            return i
    raise ValueError(f"model {model.name!r} has no Dense layer whose input could be embedded")


def _forward(model: Model, images: Any, stop: int, finish: bool) -> tuple[np.ndarray, Any]:
    """(N, F) float32 host features, the input of layer ``stop``, and (when ``finish``) the
    model's (N, K) outputs on its backend (else None), in inference mode."""
    x = model.xp.asarray(model.prepare_input(images))
    was_training = model.training
    model.eval()
    try:
        for layer in model.layers[:stop]:
            x = layer.forward(x)
        features = np.asarray(to_numpy(x), np.float32).reshape(x.shape[0], -1)
        y = None
        if finish:
            y = x
            for layer in model.layers[stop:]:
                y = layer.forward(y)
    finally:
        model.train(was_training)
    return features, y


def hidden_features(model: Model, images: Any) -> np.ndarray:
    """The last hidden layer's values for ``images``: (N, F) float32 on the host.

    ``images``: (28, 28), (N, 28, 28) or (N, 1, 28, 28), uint8 0-255 or float 0-1 (as for
    :meth:`Model.predict_proba`). One inference pass through every layer before the output
    layer; the model's mode is left as it was.
    """
    return _forward(model, images, hidden_layer(model), finish=False)[0]


def hidden_features_and_probabilities(model: Model, images: Any) -> tuple[np.ndarray, np.ndarray]:
    """:func:`hidden_features` and :meth:`Model.predict_proba` from one forward pass:
    ((N, F) float32, (N, K) float32, K the model's answer classes, the ten digits with the
    refusal's temperature for a network with the "not a digit" output), for a view that shows
    both for the same drawing."""
    features, y = _forward(model, images, hidden_layer(model), finish=True)
    probs = model.answer_from_logits(np.asarray(to_numpy(y), np.float32)).probabilities
    return features, probs


def pca(features: np.ndarray, components: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Principal components of ``features`` (N, F): (mean (F,) float64, components
    (components, F) float64 with orthonormal rows, explained variance ratio (components,)).

    From the SVD of the centred features (``X - mean = U S V^T``; the components are the first
    rows of ``V^T``), each signed so that its entry of largest magnitude is positive.
    """
    x = np.asarray(features, np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError(f"PCA needs (N, F) features with N >= 2, got shape {x.shape}")
    if not 1 <= components <= min(x.shape):
        raise ValueError(f"components must be in 1..{min(x.shape)}, got {components}")
    mean = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    comps = vt[:components].copy()
    largest = np.abs(comps).argmax(axis=1)
    comps *= np.where(comps[np.arange(components), largest] < 0, -1.0, 1.0)[:, None]
    variance = s * s
    total = float(variance.sum())
    ratio = variance[:components] / total if total > 0 else np.zeros(components)
    return mean, comps, ratio


@dataclass(frozen=True)
class EmbeddingProgress:
    """``done`` of ``total`` images passed through the network."""

    done: int
    total: int


@dataclass(frozen=True, eq=False)
class Embedding:
    """Labelled digits placed on the 2-D map of a network's last hidden layer.

    Attributes:
        points: (N, 2) float32, each digit's coordinates: ``(features - mean) @ components.T``.
        labels: (N,) int64, each digit's true class.
        images: (N, 28, 28), the digits themselves (for showing the one under the pointer, and
            for :meth:`refit`), as given to :func:`fit_embedding`.
        mean: (F,) float32, the features' mean.
        components: (2, F) float32, orthonormal rows spanning the two principal directions
            (the principal directions themselves unless :meth:`refit` turned them).
        explained_variance: (2,) float64, the share of the features' variance along each.
        layer: the index of the layer whose output is embedded (-1: the image itself).
    """

    points: np.ndarray
    labels: np.ndarray
    images: np.ndarray
    mean: np.ndarray
    components: np.ndarray
    explained_variance: np.ndarray
    layer: int

    def project_features(self, features: np.ndarray) -> np.ndarray:
        """Hidden features (N, F) or (F,) on the map: (N, 2) or (2,) float32."""
        f = np.asarray(features, np.float32)
        if f.shape[-1] != self.mean.shape[0]:
            raise ValueError(
                f"features of size {f.shape[-1]} do not fit an embedding of size "
                f"{self.mean.shape[0]}: refit the embedding for this model"
            )
        return (f - self.mean) @ self.components.T

    def project(self, model: Model, image: Any) -> np.ndarray:
        """Where ``image`` lies on the map: (2,) float32 for one image ((28, 28), float 0-1 as
        the model sees it, or uint8), (N, 2) for (N, 28, 28). ``model`` must be the one the
        embedding was fitted with (or have the same architecture and weights)."""
        features = hidden_features(model, image)
        xy = self.project_features(features)
        return xy[0] if np.ndim(image) == 2 else xy

    def refit(self, model: Model) -> Embedding:
        """The same digits, embedded again with ``model``'s (new) weights, the axes turned to
        follow this picture (see the module docstring)."""
        return fit_embedding(model, self.images, self.labels, previous=self)

    def __repr__(self) -> str:
        share = ", ".join(f"{v:.1%}" for v in self.explained_variance)
        return (
            f"Embedding(points={self.points.shape[0]}, features={self.mean.shape[0]}, "
            f"layer={self.layer}, explained_variance=({share}))"
        )


def fit_embedding_steps(
    model: Model,
    images: Any,
    labels: Any,
    *,
    previous: Embedding | None = None,
    chunk: int = CHUNK,
) -> Generator[EmbeddingProgress, None, Embedding]:
    """:func:`fit_embedding` as a generator: yields :class:`EmbeddingProgress` after each
    ``chunk`` of images (a worker thread reports it and cancels by closing the generator)
    and returns the :class:`Embedding`."""
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}")
    labels = np.asarray(labels).astype(np.int64).reshape(-1)
    n = len(labels)
    if len(images) != n:
        raise ValueError(f"{len(images)} images but {n} labels")
    if n < 3:
        raise ValueError(f"an embedding needs at least 3 digits, got {n}")
    stop = hidden_layer(model)
    parts = []
    for start in range(0, n, chunk):
        parts.append(_forward(model, images[start : start + chunk], stop, finish=False)[0])
        yield EmbeddingProgress(min(start + chunk, n), n)
    features = np.concatenate(parts)
    mean, comps, _ = pca(features)
    centred = features.astype(np.float64) - mean
    points = centred @ comps.T
    if (
        previous is not None
        and previous.points.shape == points.shape
        and np.array_equal(previous.labels, labels)
    ):
        # The same digits: turn the new plane's axes (a rotation or a mirror image within it)
        # so that the points move as little as they can, by orthogonal Procrustes: the
        # orthogonal R minimising |points R - previous|, U V^T from the SVD of points^T prev.
        u, _, vt = np.linalg.svd(points.T @ previous.points.astype(np.float64))
        turn = u @ vt
        points = points @ turn
        comps = turn.T @ comps
    total = float((centred * centred).sum())
    share = (points * points).sum(axis=0) / total if total > 0 else np.zeros(2)
    return Embedding(
        points=points.astype(np.float32),
        labels=labels,
        images=images,
        mean=mean.astype(np.float32),
        components=comps.astype(np.float32),
        explained_variance=share,
        layer=stop - 1,
    )


def fit_embedding(
    model: Model,
    images: Any,
    labels: Any,
    *,
    previous: Embedding | None = None,
    chunk: int = CHUNK,
) -> Embedding:
    """Embed labelled digits: ``model``'s last hidden layer for ``images``, projected on its
    two principal components.

    Args:
        model: the network (left in the mode it was in).
        images: (N, 28, 28) uint8 0-255 or float 0-1 (N >= 3); a few thousand test digits
            (:func:`sample_digits` picks them).
        labels: (N,) their true classes.
        previous: an embedding of the same digits by earlier weights: the new axes are turned
            within their plane to follow it (ignored for other digits).
        chunk: images per forward pass.
    """
    steps = fit_embedding_steps(model, images, labels, previous=previous, chunk=chunk)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def sample_digits(labels: Any, n: int = 2000, seed: int = 0) -> np.ndarray:
    """Indices of ``n`` digits, as many of each class as there are (``n // K`` each, the rest
    to the first classes), drawn without replacement by a generator seeded with ``seed``;
    sorted, (n,) int64. All of them when ``n`` is at least ``len(labels)``."""
    labels = np.asarray(labels).reshape(-1)
    if n >= len(labels):
        return np.arange(len(labels), dtype=np.int64)
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    per, extra = divmod(n, len(classes))
    chosen = []
    short = 0
    for k, c in enumerate(classes):
        members = np.flatnonzero(labels == c)
        want = per + (k < extra)
        take = min(want, len(members))
        short += want - take
        chosen.append(rng.choice(members, take, replace=False))
    picked = np.concatenate(chosen)
    if short:  # a class with too few members: fill from the rest
        rest = np.setdiff1d(np.arange(len(labels)), picked)
        picked = np.concatenate([picked, rng.choice(rest, short, replace=False)])
    return np.sort(picked).astype(np.int64)
