"""Loss functions (損失関数). Each returns the batch mean, and its gradient includes the 1/N.

``y``: (N, K) network outputs; ``t``: (N,) integer class labels in ``[0, K)``.
"""

from __future__ import annotations

from typing import Any

from handwrite.nn.backend import get_array_module


def softmax(z: Any) -> Any:
    """Row-wise softmax ``exp(z_k - max z) / sum_j exp(z_j - max z)`` (stable), (N, K) -> (N, K)."""
    xp = get_array_module(z)
    e = xp.exp(z - z.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)
    return e


def log_softmax(z: Any) -> Any:
    xp = get_array_module(z)
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))


def one_hot(t: Any, classes: int, dtype: Any) -> Any:
    xp = get_array_module(t)
    out = xp.zeros((t.shape[0], classes), dtype=dtype)
    out[xp.arange(t.shape[0]), t] = 1
    return out


class Loss:
    """A loss: ``forward(y, t)`` returns the scalar mean loss, ``backward()`` returns dL/dy."""

    name = ""

    def forward(self, y: Any, t: Any) -> float:
        raise NotImplementedError

    def backward(self) -> Any:
        raise NotImplementedError

    def probabilities(self, y: Any) -> Any:
        """Class probabilities (rows summing to 1) from the network outputs ``y`` (N, K)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class SoftmaxCrossEntropy(Loss):
    """Softmax cross-entropy (交差エントロピー): ``L = -(1/N) sum_n log softmax(y_n)[t_n]``.

    The gradient is the fused, numerically stable ``(softmax(y) - onehot(t)) / N``.
    """

    name = "cross_entropy"

    def forward(self, y: Any, t: Any) -> float:
        xp = get_array_module(y)
        logp = log_softmax(y)
        n = y.shape[0]
        self._cache = (xp.exp(logp), t)
        return float(-logp[xp.arange(n), t].mean())

    def backward(self) -> Any:
        p, t = self._cache
        self._cache = None
        xp = get_array_module(p)
        n = p.shape[0]
        dy = p.copy()
        dy[xp.arange(n), t] -= 1
        dy *= dy.dtype.type(1.0 / n)
        return dy

    def probabilities(self, y: Any) -> Any:
        return softmax(y)


class SquaredError(Loss):
    """Squared error on one-hot targets (二乗誤差): ``L = (1/N) sum_n 1/2 ||y_n - onehot(t_n)||^2``.

    Usually after a Sigmoid output layer. ``dL/dy = (y - onehot(t)) / N``. Probabilities are the
    outputs clipped at 0 and normalised to sum 1 (uniform when all are 0).
    """

    name = "squared_error"

    def forward(self, y: Any, t: Any) -> float:
        diff = y - one_hot(t, y.shape[1], y.dtype)
        self._diff = diff
        return float(0.5 * (diff * diff).sum() / y.shape[0])

    def backward(self) -> Any:
        diff, self._diff = self._diff, None
        return diff * diff.dtype.type(1.0 / diff.shape[0])

    def probabilities(self, y: Any) -> Any:
        xp = get_array_module(y)
        p = xp.maximum(y, 0)
        s = p.sum(axis=1, keepdims=True)
        k = y.shape[1]
        return xp.where(s > 0, p / xp.where(s > 0, s, 1), y.dtype.type(1.0 / k))


LOSSES: dict[str, type[Loss]] = {
    SoftmaxCrossEntropy.name: SoftmaxCrossEntropy,
    SquaredError.name: SquaredError,
}


def get_loss(name: str) -> Loss:
    try:
        return LOSSES[name]()
    except KeyError:
        raise ValueError(f"unknown loss {name!r}: use one of {', '.join(LOSSES)}") from None
