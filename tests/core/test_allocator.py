"""Training keeps its freed memory mapped: no page faults from step to step (glibc)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import pytest

from handwrite.nn import backend

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"

STEPS = r"""
import json, resource
import numpy as np
from handwrite.nn import make_optimizer, presets
model = presets.build("cnn").train()
opt = make_optimizer("adam", model.parameters(), 1e-3)
rng = np.random.default_rng(0)
x = rng.random((64, 1, 28, 28), dtype=np.float32)
t = rng.integers(0, 10, 64)
def steps(n):
    for _ in range(n):
        opt.zero_grad()
        model.train_step(x, t)
        opt.step()
steps(5)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
steps(10)
after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
print(json.dumps({"faults_per_step": (after - before) / 10}))
"""


def faults_per_step(tuning: str, runs: int = 3) -> float:
    """The fewest page faults per step over ``runs`` fresh processes: the steady state of the
    allocator, not the odd run that another process's memory pressure disturbs."""
    env = dict(os.environ, HANDWRITE_MALLOC_TUNING=tuning)
    counts = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", STEPS], env=env, capture_output=True, text=True, check=True
        )
        counts.append(json.loads(out.stdout.splitlines()[-1])["faults_per_step"])
    return min(counts)


@pytest.mark.skipif(not GLIBC, reason="the tuning is for glibc's malloc")
def test_training_steps_reuse_their_memory() -> None:
    # without the tuning every batch maps (and the kernel zeroes) its arrays afresh
    assert faults_per_step("0") > 200
    assert faults_per_step("1") < 20


def test_tuning_is_idempotent_and_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend, "_allocator_tuned", None)
    monkeypatch.setenv("HANDWRITE_MALLOC_TUNING", "0")
    assert backend.tune_host_allocator() is False
    monkeypatch.setattr(backend, "_allocator_tuned", None)
    monkeypatch.delenv("HANDWRITE_MALLOC_TUNING")
    assert backend.tune_host_allocator() is GLIBC
    assert backend.tune_host_allocator() is GLIBC
