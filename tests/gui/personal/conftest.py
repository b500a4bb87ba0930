"""Fixtures of the personal-set tests: a small trained network to fine-tune."""

from __future__ import annotations

from typing import Any

import pytest

from handwrite.nn.model import Model
from handwrite.trainer import TrainConfig, Trainer


@pytest.fixture(scope="session")
def small_mlp(mnist_data: Any) -> Model:
    """An MLP trained for two epochs on 5,000 MNIST digits (about 86% on the test set).
    Shared: copy it before changing it (the document and the harnesses show copies)."""
    config = TrainConfig(arch="mlp", epochs=2, limit=5000, validation=0, test_limit=500, seed=1)
    trainer = Trainer(config, mnist_data)
    for _ in trainer.run():
        pass
    return trainer.model
