"""The 2-D map of the last hidden layer (handwrite.embedding): PCA done right, deterministic,
a new drawing lands where the same digit in the set lies, and the classes of a trained network
come out as separate clusters: on synthetic glyphs (always) and on real MNIST."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import handwrite
from handwrite import resources
from handwrite.embedding import (
    Embedding,
    EmbeddingProgress,
    fit_embedding,
    fit_embedding_steps,
    hidden_features,
    hidden_features_and_probabilities,
    hidden_layer,
    pca,
    sample_digits,
)
from handwrite.mnist import load_mnist
from handwrite.nn import Adam, presets
from handwrite.nn.backend import cupy_available
from handwrite.nn.model import Model

DEFAULT_MODEL = resources.default_model_path()

TINY = {
    "name": "tiny",
    "input_shape": [1, 28, 28],
    "layers": [
        {"type": "Flatten"},
        {"type": "Dense", "in_features": 784, "out_features": 32},
        {"type": "ReLU"},
        {"type": "Dense", "in_features": 32, "out_features": 10},
    ],
}


def glyphs(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(n, 28, 28) float32 synthetic digits and (n,) labels: ten classes, each a fixed random
    three-stroke glyph, drawn with jittered corners, position and pen width."""
    templates = np.random.default_rng(1).uniform(6, 22, size=(10, 4, 2))
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:28, 0:28].astype(np.float32)
    labels = rng.integers(0, 10, n)
    images = np.zeros((n, 28, 28), np.float32)
    for img, k in zip(images, labels, strict=True):
        corners = templates[k] + rng.normal(0, 1.0, (4, 2)) + rng.uniform(-2, 2, 2)
        width = rng.uniform(1.0, 2.0)
        for (y0, x0), (y1, x1) in zip(corners[:-1], corners[1:], strict=True):
            d = np.array([y1 - y0, x1 - x0])
            t = np.clip(((yy - y0) * d[0] + (xx - x0) * d[1]) / max(float(d @ d), 1e-6), 0, 1)
            dist = np.hypot(yy - (y0 + t * d[0]), xx - (x0 + t * d[1]))
            np.maximum(img, np.clip(width + 0.5 - dist, 0, 1), out=img)
    return images, labels


def nearest_neighbour_accuracy(points: np.ndarray, labels: np.ndarray) -> float:
    """Leave-one-out 1-NN accuracy in the 2-D map."""
    p = points.astype(np.float64)
    d = ((p[:, None] - p[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return float((labels[d.argmin(axis=1)] == labels).mean())


def separation(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean distance between class centroids over the mean RMS spread within a class."""
    p = points.astype(np.float64)
    classes = np.unique(labels)
    centroids = np.array([p[labels == k].mean(axis=0) for k in classes])
    spread = np.mean(
        [
            np.sqrt(((p[labels == k] - c) ** 2).sum(axis=1).mean())
            for k, c in zip(classes, centroids, strict=True)
        ]
    )
    gaps = np.sqrt(((centroids[:, None] - centroids[None]) ** 2).sum(-1))
    return float(gaps[~np.eye(len(classes), dtype=bool)].mean() / spread)


@pytest.fixture(scope="module")
def trained_tiny() -> tuple[Model, np.ndarray, np.ndarray]:
    """A small MLP trained on synthetic glyphs for a few seconds, and 400 held-out glyphs."""
    train_x, train_t = glyphs(1000, seed=0)
    test_x, test_t = glyphs(400, seed=1)
    model = Model.from_architecture(TINY, seed=0)
    model.threads = 1
    optimizer = Adam(model.parameters(), lr=3e-3)
    rng = np.random.default_rng(0)
    model.train()
    for _ in range(80):
        batch = rng.integers(0, len(train_t), 64)
        optimizer.zero_grad()
        model.train_step(train_x[batch][:, None], train_t[batch])
        optimizer.step()
    model.eval()
    return model, test_x, test_t


def test_pca_matches_the_covariance_eigenvectors_with_a_fixed_sign() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 6)) @ rng.normal(size=(6, 6)) + 5.0
    mean, comps, ratio = pca(x)
    np.testing.assert_allclose(mean, x.mean(axis=0))
    np.testing.assert_allclose(comps @ comps.T, np.eye(2), atol=1e-12)
    values, vectors = np.linalg.eigh(np.cov(x.T))
    for k in range(2):
        v = vectors[:, -1 - k]
        assert abs(float(v @ comps[k])) == pytest.approx(1.0, abs=1e-9)
        assert ratio[k] == pytest.approx(values[-1 - k] / values.sum(), rel=1e-9)
        assert comps[k][np.abs(comps[k]).argmax()] > 0  # the sign convention
    mean2, comps2, _ = pca(-x)  # mirrored data: the same axes, same signs
    np.testing.assert_allclose(comps2, comps, atol=1e-12)
    with pytest.raises(ValueError, match="N >= 2"):
        pca(x[:1])


def test_hidden_features_are_the_input_of_the_output_layer() -> None:
    model = presets.build("cnn", seed=3)
    assert hidden_layer(model) == 10 and model.layers[10].type_name == "Dense"
    images, _ = glyphs(5, seed=2)
    features = hidden_features(model, images)
    assert features.shape == (5, 128) and features.dtype == np.float32
    traced = model.trace(images[:, None])[9]
    np.testing.assert_allclose(features, np.asarray(traced), rtol=1e-6, atol=1e-6)
    both, probs = hidden_features_and_probabilities(model, images)
    np.testing.assert_array_equal(both, features)
    np.testing.assert_allclose(probs, model.predict_proba(images), rtol=1e-6, atol=1e-7)
    model.train()
    hidden_features(model, images[0])
    assert model.training  # left as it was; no dropout in the features either
    model.eval()
    # one image takes the convolution's few-images path: the same to float32 rounding
    np.testing.assert_allclose(
        hidden_features(model, images[0])[0], features[0], rtol=1e-5, atol=1e-5
    )


def test_embedding_shapes_and_determinism() -> None:
    model = presets.build("lenet", seed=1)
    images, labels = glyphs(60, seed=3)
    a = fit_embedding(model, images, labels, chunk=16)
    b = fit_embedding(model, images, labels)
    assert isinstance(a, Embedding)
    assert a.points.shape == (60, 2) and a.points.dtype == np.float32
    assert a.mean.shape == (84,) and a.components.shape == (2, 84)
    assert a.labels.dtype == np.int64 and a.images is images
    assert a.layer == len(model.layers) - 2  # the last Tanh: the output layer's input
    np.testing.assert_allclose(a.components @ a.components.T, np.eye(2), atol=1e-6)
    np.testing.assert_allclose(a.points.mean(axis=0), 0, atol=1e-5)
    assert 1 >= a.explained_variance[0] >= a.explained_variance[1] > 0
    np.testing.assert_allclose(a.points, b.points, rtol=1e-5, atol=1e-6)  # chunking aside
    c = fit_embedding(model, images, labels, chunk=16)
    np.testing.assert_array_equal(a.points, c.points)
    np.testing.assert_array_equal(a.components, c.components)


def test_a_digit_projects_onto_its_own_point() -> None:
    for model in (handwrite.load_model(DEFAULT_MODEL), presets.build("mlp", seed=2)):
        images, labels = glyphs(40, seed=4)
        embedding = fit_embedding(model, images, labels)
        for i in (0, 17, 39):
            xy = embedding.project(model, images[i])
            assert xy.shape == (2,)
            np.testing.assert_allclose(xy, embedding.points[i], rtol=1e-4, atol=1e-4)
        many = embedding.project(model, images[:5])
        np.testing.assert_allclose(many, embedding.points[:5], rtol=1e-4, atol=1e-4)
        uint8 = embedding.project(model, (images[3] * 255).round().astype(np.uint8))
        np.testing.assert_allclose(uint8, embedding.points[3], atol=0.05 * np.abs(xy).max())


def test_refit_follows_the_previous_axes() -> None:
    model = presets.build("mlp", seed=4)
    images, labels = glyphs(80, seed=5)
    before = fit_embedding(model, images, labels)
    # new weights: a small step, as between two training snapshots
    rng = np.random.default_rng(0)
    for p in model.parameters():
        p.data = p.data + rng.normal(0, 0.02, p.data.shape).astype(np.float32)
    after = before.refit(model)
    assert after.images is before.images
    for axis in range(2):
        assert float(after.points[:, axis] @ before.points[:, axis]) > 0
    np.testing.assert_allclose(
        after.project(model, images[7]), after.points[7], rtol=1e-4, atol=1e-4
    )
    # a fresh fit of the same weights may point its axes otherwise; the refit follows the
    # previous picture: here one mirrored, then one turned by 30 degrees
    fresh = fit_embedding(model, images, labels)
    c, s = np.cos(np.radians(30)), np.sin(np.radians(30))
    for turn in (np.diag([-1.0, 1.0]), np.array([[c, s], [-s, c]])):
        turn = turn.astype(np.float32)
        moved = dataclasses.replace(
            fresh, points=fresh.points @ turn, components=turn.T @ fresh.components
        )
        followed = moved.refit(model)
        np.testing.assert_allclose(followed.points, fresh.points @ turn, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(
            followed.project(model, images[2]), followed.points[2], rtol=1e-4, atol=1e-4
        )
        np.testing.assert_allclose(
            followed.components @ followed.components.T, np.eye(2), atol=1e-6
        )
        assert followed.explained_variance.sum() == pytest.approx(fresh.explained_variance.sum())


def test_fitting_reports_progress_and_stops_when_closed() -> None:
    model = presets.build("mlp", seed=0)
    images, labels = glyphs(50, seed=6)
    steps = fit_embedding_steps(model, images, labels, chunk=20)
    events = []
    while True:
        try:
            events.append(next(steps))
        except StopIteration as stop:
            result = stop.value
            break
    assert events == [
        EmbeddingProgress(20, 50),
        EmbeddingProgress(40, 50),
        EmbeddingProgress(50, 50),
    ]
    assert result.points.shape == (50, 2)
    cancelled = fit_embedding_steps(model, images, labels, chunk=20)
    assert next(cancelled) == EmbeddingProgress(20, 50)
    cancelled.close()
    with pytest.raises(StopIteration):
        next(cancelled)


def test_bad_input_is_refused() -> None:
    model = presets.build("mlp")
    images, labels = glyphs(10, seed=7)
    with pytest.raises(ValueError, match="10 images but 9 labels"):
        fit_embedding(model, images, labels[:9])
    with pytest.raises(ValueError, match="at least 3"):
        fit_embedding(model, images[:2], labels[:2])
    embedding = fit_embedding(model, images, labels)
    with pytest.raises(ValueError, match="refit the embedding"):
        embedding.project(presets.build("cnn"), images[0])


def test_sample_digits_is_balanced_and_seeded() -> None:
    labels = np.random.default_rng(0).integers(0, 10, 5000)
    idx = sample_digits(labels, 2000, seed=3)
    assert idx.shape == (2000,) and np.all(np.diff(idx) > 0)
    assert set(np.bincount(labels[idx], minlength=10)) == {200}
    np.testing.assert_array_equal(idx, sample_digits(labels, 2000, seed=3))
    assert not np.array_equal(idx, sample_digits(labels, 2000, seed=4))
    rare = np.array([0] * 5 + [1] * 100)
    picked = sample_digits(rare, 20)
    assert len(np.unique(picked)) == 20 and (rare[picked] == 0).sum() == 5
    np.testing.assert_array_equal(sample_digits(labels[:30], 50), np.arange(30))


def test_clusters_separate_for_a_trained_network_on_synthetic_glyphs(trained_tiny) -> None:
    model, images, labels = trained_tiny
    assert (model.predict(images) == labels).mean() > 0.9
    trained = fit_embedding(model, images, labels)
    untrained = fit_embedding(Model.from_architecture(TINY, seed=0), images, labels)
    # chance is 10%; training should be what separates them
    assert nearest_neighbour_accuracy(trained.points, labels) > 0.5
    assert (
        nearest_neighbour_accuracy(trained.points, labels)
        > nearest_neighbour_accuracy(untrained.points, labels) + 0.15
    )
    assert separation(trained.points, labels) > 2.0


@pytest.mark.mnist
def test_clusters_separate_for_the_shipped_model_on_mnist(mnist_dir) -> None:
    mnist = load_mnist(mnist_dir, download=False)
    model = handwrite.load_model(DEFAULT_MODEL)
    idx = sample_digits(mnist.test_labels, 2000, seed=0)
    embedding = fit_embedding(model, mnist.test_images[idx], mnist.test_labels[idx])
    labels = embedding.labels
    assert nearest_neighbour_accuracy(embedding.points, labels) > 0.7  # chance: 0.1
    assert separation(embedding.points, labels) > 3.0
    untrained = fit_embedding(presets.build("cnn", seed=0), mnist.test_images[idx], labels)
    assert separation(untrained.points, labels) < separation(embedding.points, labels) / 2
    # a test digit as a drawing lands on its own point
    i = 123
    xy = embedding.project(model, mnist.test_images[idx[i]].astype(np.float32) / 255)
    np.testing.assert_allclose(xy, embedding.points[i], rtol=1e-4, atol=1e-4)


@pytest.mark.gpu
@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA device")
def test_a_model_on_the_gpu_gives_the_same_map() -> None:
    cpu = presets.build("cnn", seed=1)
    gpu = cpu.copy(device="gpu")
    images, labels = glyphs(50, seed=8)
    a, b = fit_embedding(cpu, images, labels), fit_embedding(gpu, images, labels)
    np.testing.assert_allclose(b.points, a.points, rtol=1e-3, atol=1e-3)
    np.testing.assert_allclose(b.project(gpu, images[4]), a.points[4], rtol=1e-3, atol=1e-3)
