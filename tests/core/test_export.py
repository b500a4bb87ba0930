"""ONNX export: every preset, every layer type and both losses, checked by onnx (full check,
strict shape inference) and run by its reference evaluator against ``predict_proba``."""

from __future__ import annotations

import errno
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import handwrite
from handwrite import resources
from handwrite.mnist import load_mnist
from handwrite.nn import Dense, Flatten, Layer, Model, presets
from handwrite.nn.export import (
    DEFAULT_OPSET,
    LAYER_TRANSLATIONS,
    MIN_OPSET,
    PROBABILITY_TRANSLATIONS,
    ExportError,
    to_onnx,
)
from handwrite.nn.layers import LAYER_TYPES
from handwrite.nn.losses import LOSSES

DEFAULT_MODEL = resources.default_model_path()


def _onnx_installed() -> bool:
    try:
        import onnx  # noqa: F401
    except ImportError:
        return False
    return True


NO_ONNX = "the onnx package is not installed: pip install 'handwrite[export]' (or '.[test]')"
needs_onnx = pytest.mark.skipif(not _onnx_installed(), reason=NO_ONNX)

#: The largest difference allowed between the graph's probabilities and predict_proba's.
TOLERANCE = 1e-5


def _arch(name: str, layers: list[dict[str, Any]], loss: str = "cross_entropy") -> dict:
    return {
        "name": name,
        "input_shape": [1, 28, 28],
        "classes": [str(d) for d in range(10)],
        "loss": loss,
        "layers": layers,
    }


#: Models beyond the presets, so every layer option and both losses are exported.
CUSTOM = {
    "sigmoid": _arch(
        "sigmoid",
        [
            {"type": "Flatten"},
            {"type": "Dense", "in_features": 784, "out_features": 48},
            {"type": "Sigmoid"},
            {"type": "Dense", "in_features": 48, "out_features": 10},
        ],
    ),
    "squared-error": _arch(
        "squared-error",
        [
            {"type": "Flatten"},
            {"type": "Dense", "in_features": 784, "out_features": 32},
            {"type": "Tanh"},
            {"type": "Dense", "in_features": 32, "out_features": 10},
            {"type": "Sigmoid"},
        ],
        loss="squared_error",
    ),
    # strided and padded convolutions, overlapping and non-tiling pooling windows, and an LCN
    # of another size on 6 channels
    "strided": _arch(
        "strided",
        [
            {
                "type": "Conv2D",
                "in_channels": 1,
                "out_channels": 6,
                "kernel_size": 3,
                "stride": 2,
                "padding": 1,
            },  # fmt: skip
            {"type": "Tanh"},
            {"type": "AvgPool2D", "kernel_size": 3, "stride": 2},  # 14 -> 6
            {"type": "LocalContrastNorm", "kernel_size": 5, "sigma": 1.0, "eps": 0.01},
            {
                "type": "Conv2D",
                "in_channels": 6,
                "out_channels": 8,
                "kernel_size": 4,
                "stride": 3,
                "padding": 2,
            },  # fmt: skip
            {"type": "ReLU"},  # 6 -> 3
            {"type": "MaxPool2D", "kernel_size": 2, "stride": 1},  # 3 -> 2
            {"type": "Flatten"},
            {"type": "Dropout", "p": 0.3},
            {"type": "Dense", "in_features": 32, "out_features": 10},
        ],
    ),
}

MODELS = [*presets.PRESETS, "default", *CUSTOM]


def build_model(name: str) -> Model:
    if name == "default":
        return handwrite.load_model(DEFAULT_MODEL)
    if name in presets.PRESETS:
        return presets.build(name, seed=7)
    return Model.from_architecture(CUSTOM[name], seed=7)


def synthetic_digits(n: int, seed: int = 0) -> np.ndarray:
    """(n, 1, 28, 28) float32 in [0, 1]: a few thick random strokes in the 20x20 centre, as
    MNIST digits look, then a blank image and a nearly all-ink one (the LCN's and the
    squared-error head's edge cases)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:28, 0:28].astype(np.float32)
    images = np.zeros((n, 28, 28), np.float32)
    for img in images[: max(n - 2, 1)]:
        points = rng.uniform(5, 23, size=(int(rng.integers(3, 6)), 2)).astype(np.float32)
        width = rng.uniform(1.0, 2.2)
        for (y0, x0), (y1, x1) in zip(points[:-1], points[1:], strict=True):
            d = np.array([y1 - y0, x1 - x0])
            t = ((yy - y0) * d[0] + (xx - x0) * d[1]) / max(float(d @ d), 1e-6)
            t = np.clip(t, 0, 1)
            dist = np.hypot(yy - (y0 + t * d[0]), xx - (x0 + t * d[1]))
            np.maximum(img, np.clip(width + 0.5 - dist, 0, 1), out=img)
    if n >= 3:
        images[-1] = rng.uniform(0.9, 1.0, (28, 28))
    return images[:, None]


@pytest.fixture(scope="module", params=MODELS)
def exported(request, tmp_path_factory) -> tuple[Model, Path, Any]:
    """(model, its .onnx file, a reference evaluator of that file), for each model."""
    pytest.importorskip("onnx", reason=NO_ONNX)
    from onnx.reference import ReferenceEvaluator

    model = build_model(request.param)
    path = tmp_path_factory.mktemp("onnx") / f"{request.param}.onnx"
    to_onnx(model, path)
    return model, path, ReferenceEvaluator(str(path))


@pytest.fixture(scope="module")
def mnist_digits(mnist_dir) -> np.ndarray:
    """The first 24 MNIST test digits, uint8 (24, 28, 28)."""
    return load_mnist(mnist_dir, download=False).test_images[:24]


def run_graph(evaluator: Any, images: np.ndarray) -> np.ndarray:
    (p,) = evaluator.run(["probabilities"], {"images": images})
    assert p.dtype == np.float32
    return p


def assert_close(p: np.ndarray, expected: np.ndarray) -> None:
    assert p.shape == expected.shape
    diff = float(np.abs(p - expected).max())
    assert diff <= TOLERANCE, f"max |difference| {diff:.3g}"


# ---------------------------------------------------------------------------------------


def test_every_layer_type_and_loss_has_a_translation() -> None:
    assert set(LAYER_TRANSLATIONS) == set(LAYER_TYPES)
    assert set(PROBABILITY_TRANSLATIONS) == set(LOSSES)


def test_the_models_here_cover_every_layer_type_and_loss() -> None:
    models = [Model.from_architecture(CUSTOM[name]) for name in CUSTOM]
    models += [presets.build(name) for name in presets.PRESETS]
    assert {layer.spec()["type"] for m in models for layer in m.layers} == set(LAYER_TYPES)
    assert {m.loss.name for m in models} == set(LOSSES)


def test_without_onnx_the_error_says_how_to_install_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    model = presets.build("mlp")
    with pytest.raises(ExportError, match=r"pip install 'handwrite\[export\]'"):
        to_onnx(model, tmp_path / "m.onnx")
    with pytest.raises(ExportError, match=r"pip install 'handwrite\[export\]'"):
        model.to_onnx(tmp_path / "m.onnx")
    assert list(tmp_path.iterdir()) == []


@needs_onnx
def test_file_passes_the_full_check_and_strict_shape_inference(exported) -> None:
    import onnx

    model, path, _ = exported
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(proto, strict_mode=True, check_type=True)

    def dims(value_info: Any) -> list[int | str]:
        shape = value_info.type.tensor_type.shape
        return [d.dim_param or d.dim_value for d in shape.dim]

    (images,) = inferred.graph.input
    outputs = {value.name: value for value in inferred.graph.output}
    assert (images.name, dims(images)) == ("images", ["N", 1, 28, 28])
    assert dims(outputs["probabilities"]) == ["N", 10]
    # every value in between has a known type and rank, with the batch axis kept symbolic
    known = {v.name: v for v in inferred.graph.value_info}
    for node in inferred.graph.node:
        for value in node.output:
            if value not in outputs:
                assert value in known, f"no shape inferred for {value}"
                assert dims(known[value])[0] == "N", value


@needs_onnx
def test_matches_predict_proba_on_synthetic_digits(exported) -> None:
    model, _, evaluator = exported
    x = synthetic_digits(16)
    # values a hair outside [0, 1] are clipped by predict_proba and by the graph alike
    x[0, 0, :2] = -0.004
    x[1, 0, 14:16] = 1.004
    expected = model.predict_proba(x)
    assert_close(run_graph(evaluator, x), expected)
    assert_close(run_graph(evaluator, x[3:4]), model.predict_proba(x[3:4]))


@needs_onnx
def test_matches_predict_proba_on_mnist_test_digits(exported, mnist_digits) -> None:
    model, _, evaluator = exported
    digits = mnist_digits  # uint8 (24, 28, 28): predict_proba scales it itself
    x = (digits.astype(np.float32) / np.float32(255))[:, None]
    expected = model.predict_proba(digits)
    assert_close(run_graph(evaluator, x), expected)
    assert_close(run_graph(evaluator, x[:1]), model.predict_proba(digits[:1]))


@needs_onnx
def test_metadata_describes_the_model(exported) -> None:
    import onnx

    model, path, _ = exported
    proto = onnx.load(str(path))
    props = {p.key: p.value for p in proto.metadata_props}
    assert props["handwrite_version"] == handwrite.__version__
    assert json.loads(props["classes"]) == list("0123456789")
    assert json.loads(props["architecture"]) == model.architecture()
    assert json.loads(props["input"])["shape"] == ["N", 1, 28, 28]
    assert "centre" in json.loads(props["preprocessing"])["centering"]
    assert proto.producer_name == "handwrite"
    assert "bright ink" in proto.doc_string and "probabilities" in proto.doc_string
    if "training" in model.metadata and model.metadata["training"]:
        assert json.loads(props["training"]) == model.metadata["training"]


@needs_onnx
def test_squared_error_gives_uniform_rows_where_every_output_is_negative(tmp_path) -> None:
    from onnx.reference import ReferenceEvaluator

    # output k = (k + 1) * (mean brightness - 0.5): all positive for bright images, all
    # negative (so probabilities are uniform) for dark ones
    dense = Dense(784, 10)
    dense.params["weight"].data[...] = np.arange(1, 11, dtype=np.float32)[:, None] / 784
    dense.params["bias"].data[...] = -0.5 * np.arange(1, 11, dtype=np.float32)
    model = Model([Flatten(), dense], loss="squared_error")
    x = np.concatenate([np.full((3, 1, 28, 28), 0.2), np.full((3, 1, 28, 28), 0.8)])
    x = x.astype(np.float32)
    expected = model.predict_proba(x)
    np.testing.assert_allclose(expected[:3], 0.1)
    np.testing.assert_allclose(expected[3:], np.tile(np.arange(1, 11) / 55, (3, 1)), rtol=1e-5)
    model.to_onnx(tmp_path / "m.onnx")
    assert_close(run_graph(ReferenceEvaluator(str(tmp_path / "m.onnx")), x), expected)


@needs_onnx
def test_every_supported_opset(tmp_path) -> None:
    import onnx
    from onnx.reference import ReferenceEvaluator

    model = build_model("strided")
    x = synthetic_digits(4)
    expected = model.predict_proba(x)
    for opset in sorted({MIN_OPSET, DEFAULT_OPSET, 18, onnx.defs.onnx_opset_version()}):
        path = tmp_path / f"opset{opset}.onnx"
        to_onnx(model, path, opset=opset)
        proto = onnx.load(str(path))
        assert [(o.domain, o.version) for o in proto.opset_import] == [("", opset)]
        onnx.checker.check_model(proto, full_check=True)
        assert_close(run_graph(ReferenceEvaluator(proto), x), expected)
    for bad in (MIN_OPSET - 1, onnx.defs.onnx_opset_version() + 1, "17", True):
        with pytest.raises(ExportError, match="opset must be"):
            to_onnx(model, tmp_path / "bad.onnx", opset=bad)
    assert not (tmp_path / "bad.onnx").exists()


@needs_onnx
def test_model_to_onnx_writes_what_to_onnx_writes(tmp_path) -> None:
    model = presets.build("lenet", seed=3)
    model.to_onnx(tmp_path / "a.onnx")
    to_onnx(model, tmp_path / "b.onnx")
    assert (tmp_path / "a.onnx").read_bytes() == (tmp_path / "b.onnx").read_bytes()


@needs_onnx
def test_a_layer_without_translation_is_named(tmp_path) -> None:
    class Square(Layer):
        type_name = "Square"

        def forward(self, x: Any) -> Any:
            return x * x

    model = Model([Flatten(), Dense(784, 10), Square()])
    with pytest.raises(ExportError, match=r"layer 2 \(Square\) has no ONNX translation"):
        to_onnx(model, tmp_path / "m.onnx")


@needs_onnx
def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch) -> None:
    import handwrite.atomicfile

    path = tmp_path / "m.onnx"
    path.write_bytes(b"the previous export")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(handwrite.atomicfile.os, "fsync", full_disk)
    with pytest.raises(ExportError, match=r"m\.onnx: could not write \(No space left"):
        to_onnx(presets.build("mlp"), path)
    assert path.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["m.onnx"]  # no temporary file left


@needs_onnx
def test_an_unwritable_path_is_a_clear_error(tmp_path) -> None:
    model = presets.build("mlp")
    with pytest.raises(ExportError, match="could not write"):
        to_onnx(model, tmp_path / "no" / "such" / "m.onnx")
    with pytest.raises(ExportError, match="could not write"):
        to_onnx(model, tmp_path)  # a folder
