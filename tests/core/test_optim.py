"""Optimizer steps against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from handwrite.nn.layers import Parameter
from handwrite.nn.optim import SGD, Adam, make_optimizer


def param(values, grad) -> Parameter:
    p = Parameter(np.array(values, dtype=np.float32))
    p.grad[...] = grad
    return p


def test_sgd_step() -> None:
    p = param([1.0, -2.0], [0.5, 1.0])
    SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.95, -2.1], rtol=1e-6)


def test_sgd_weight_decay() -> None:
    p = param([1.0], [0.0])
    SGD([p], lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(p.data, [1.0 - 0.1 * 0.5 * 1.0], rtol=1e-6)


def test_momentum_two_steps() -> None:
    p = param([1.0], [1.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # v = -0.1, w = 0.9
    opt.step()  # v = 0.9 * -0.1 - 0.1 = -0.19, w = 0.71
    np.testing.assert_allclose(p.data, [0.71], rtol=1e-6)
    assert opt.name == "momentum"


def test_adam_two_steps_match_the_paper() -> None:
    p = param([1.0, 2.0], [0.1, -0.3])
    opt = Adam([p], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    w = np.array([1.0, 2.0])
    m = np.zeros(2)
    v = np.zeros(2)
    grads = [np.array([0.1, -0.3]), np.array([-0.2, 0.05])]
    for t, g in enumerate(grads, 1):
        p.grad[...] = g
        opt.step()
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        m_hat = m / (1 - 0.9**t)
        v_hat = v / (1 - 0.999**t)
        w = w - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
    np.testing.assert_allclose(p.data, w, rtol=1e-6)
    # the first step of Adam moves each weight by about lr, whatever the gradient's scale
    assert math.isclose(abs(1.0 - (1.0 - 0.01)), 0.01)


def test_state_round_trip_resumes_identically() -> None:
    a = param([1.0, 2.0], [0.3, -0.1])
    opt = Adam([a], lr=0.05)
    opt.step()
    saved, steps = opt.state_dict(), opt.steps
    b = Parameter(a.data.copy())
    twin = Adam([b], lr=0.05)
    twin.load_state_dict(saved, steps)
    for g in ([0.2, 0.2], [-0.5, 0.1]):
        a.grad[...] = g
        b.grad[...] = g
        opt.step()
        twin.step()
    np.testing.assert_array_equal(a.data, b.data)


def test_state_with_wrong_shape_is_refused() -> None:
    opt = Adam([param([1.0, 2.0], [0, 0])], lr=0.1)
    with pytest.raises(ValueError, match="shape"):
        opt.load_state_dict({"0.m": np.zeros(3, np.float32)}, 1)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), "0.1", True])
def test_bad_learning_rates_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="lr"):
        make_optimizer("sgd", [param([1.0], [0])], bad)


def test_unknown_optimizer() -> None:
    with pytest.raises(ValueError, match="sgd, momentum, adam"):
        make_optimizer("rmsprop", [], 0.1)


def subnormals(a: np.ndarray) -> int:
    return int(np.count_nonzero((a != 0) & (np.abs(a) < np.finfo(a.dtype).tiny)))


@pytest.mark.parametrize("make", [lambda ps: Adam(ps), lambda ps: SGD(ps, 0.1, momentum=0.9)])
def test_decaying_state_does_not_stay_subnormal(make) -> None:
    """A unit whose gradient stops (a dead ReLU) keeps a state that decays every step; it
    reaches 0 with at most a few steps among the subnormal floats, which x86 computes slowly
    (without the flushing, about 150 steps)."""
    from handwrite.nn.optim import FLUSH_EVERY

    p = Parameter(np.ones(1000, np.float32))
    p.grad[...] = 2e-18  # v = (1 - beta2) g^2 is subnormal at once
    opt = make([p])
    opt.step()
    p.grad[...] = 0
    subnormal_steps = 0
    for _ in range(1000):  # momentum 0.9: m passes 1e-38 after about 185 steps
        opt.step()
        found = sum(subnormals(a) for a in opt.state[0].values())
        subnormal_steps += found > 0
        if opt.steps % FLUSH_EVERY == 0:
            assert found == 0
    assert subnormal_steps <= 2 * FLUSH_EVERY
    assert all(not a.any() for a in opt.state[0].values())
    assert np.isfinite(p.data).all()


def test_flushing_keeps_normal_values() -> None:
    from handwrite.nn.optim import flush_subnormals

    a = np.array([1.0, -3e-7, 2.0**-75, -(2.0**-70), 1e-30, 5e-38, -1e-39, 1e-45], np.float32)
    b = a.copy()
    flush_subnormals(b)
    np.testing.assert_array_equal(b[:4], a[:4])  # above 2**-75: untouched
    assert (np.abs(b[4:] - a[4:]) <= 2.0**-124).all()  # below it: moved by at most 2**-124
    assert subnormals(b) == 0 and (b[6:] == 0).all()
