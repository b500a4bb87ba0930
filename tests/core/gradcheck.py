"""Finite-difference gradient checking in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from handwrite.nn.layers import Layer


def numeric_grad(f: Callable[[], float], a: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar ``f()`` with respect to every element of ``a``."""
    g = np.zeros_like(a)
    it = np.nditer(a, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        old = a[idx]
        a[idx] = old + eps
        fp = f()
        a[idx] = old - eps
        fm = f()
        a[idx] = old
        g[idx] = (fp - fm) / (2 * eps)
    return g


def to_float64(layer: Layer) -> Layer:
    for p in layer.params.values():
        p.data = p.data.astype(np.float64)
        p.grad = np.zeros_like(p.data)
    return layer


def check_layer(
    layer: Layer, x: np.ndarray, seed: int = 0, rtol: float = 1e-5, atol: float = 1e-7
) -> None:
    """Compare backward's dx and parameter gradients with finite differences of
    ``sum(forward(x) * r)`` for a fixed random ``r``."""
    to_float64(layer)
    layer.training = True
    x = x.astype(np.float64)
    y = layer.forward(x)
    r = np.random.default_rng(seed).standard_normal(y.shape)

    def loss() -> float:
        layer.training = False
        out = float((layer.forward(x) * r).sum())
        layer.training = True
        return out

    for p in layer.params.values():
        p.grad[...] = 0
    layer.forward(x)
    dx = layer.backward(r.copy())
    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=rtol, atol=atol, err_msg="dx")
    for name, p in layer.params.items():
        np.testing.assert_allclose(
            p.grad, numeric_grad(loss, p.data), rtol=rtol, atol=atol, err_msg=name
        )
