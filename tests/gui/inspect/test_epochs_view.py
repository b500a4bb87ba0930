"""The drawing across the epochs: a short real run keeps each epoch's weights, and the
slider shows the drawing's probabilities, saliency and feature maps at each of them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from handwrite.nn import presets
from handwrite.trainer import ArrayData
from tests.gui.strokes import drag, seven

EPOCHS = 6


def test_a_short_run_keeps_each_epoch_and_the_slider_shows_it(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any
) -> None:
    window = make_window()
    with qtbot.waitSignal(window.prediction_changed, timeout=3000):
        drag(window.canvas, seven(window.canvas))
    window.mnist.set_data(small_data)
    panel = window.training_panel
    panel.set_settings(replace(panel.settings(), arch="mlp", dropout=0.0, batch_size=64, epochs=3))
    view, document = window.epochs_view, window.document
    window.tabs.setCurrentIndex(EPOCHS)
    assert view.notice.isVisible() and "No epochs" in view.notice.text()  # the untrained cnn
    added: list[None] = []
    document.epochs_changed.connect(lambda: added.append(None))
    with qtbot.waitSignal(window.run.started, timeout=20_000):
        panel.start_button.click()
    wait_idle(window)

    epochs = document.epochs
    assert [e.epoch for e in epochs] == [1, 2, 3]
    assert all(e.test_accuracy is not None and 0.0 < e.test_accuracy <= 1.0 for e in epochs)
    for name, weights in window.model.state_dict().items():  # the last is the final model
        np.testing.assert_array_equal(epochs[-1].state[name], weights)
    assert not np.array_equal(epochs[0].state["1.weight"], epochs[1].state["1.weight"])
    assert len(added) >= 3

    assert view.epochs() == epochs and not view.notice.isVisible()
    assert view.epoch() == 3  # the slider followed the run to its last epoch
    assert view.slider.maximum() == 2
    x = window.predictor.steps.final
    twin = window.model.copy()
    layer = view.layer_index()
    seen = []
    for weights in epochs:
        with qtbot.waitSignal(view.refreshed, timeout=3000):
            view.set_epoch(weights.epoch)
        twin.load_state_dict(weights.state)
        expected = twin.predict_proba(x)[0]
        np.testing.assert_allclose(view.probabilities(), expected, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(view.bars.opts["height"], expected, rtol=1e-5, atol=1e-7)
        assert weights.epoch == view.epoch() and f"epoch {weights.epoch} of 3" in (
            view.epoch_label.text()
        )
        c = int(np.argmax(expected))
        np.testing.assert_allclose(
            view.saliency(), twin.input_gradient(x[None, None], [c])[0, 0], rtol=1e-4, atol=1e-6
        )
        maps = np.asarray(twin.trace(x[None, None])[layer][0])
        np.testing.assert_allclose(view.maps().reshape(-1)[: maps.size], maps, rtol=1e-5)
        seen.append(view.probabilities())
    np.testing.assert_allclose(view.all_probabilities(), np.stack(seen), rtol=1e-5, atol=1e-7)
    assert not np.allclose(seen[0], seen[-1])  # the network changed its mind as it learned
    for curve, k in zip(view.curves, range(10), strict=True):
        xs, ys = curve.getData()
        np.testing.assert_array_equal(xs, [1, 2, 3])
        np.testing.assert_allclose(ys, np.stack(seen)[:, k], rtol=1e-6)

    # the epochs belong to the model: another one has none, and putting it back brings them
    state = document.state()
    document.new(presets.architecture("mlp", dropout=0.0))
    assert document.epochs == () and view.epochs() == () and view.notice.isVisible()
    document.restore(state)
    assert document.epochs == epochs and view.epochs() == epochs


def test_a_model_opened_from_a_file_has_no_epochs_and_says_so(
    make_window: Any, qtbot: Any, trained_model_path: Path
) -> None:
    window = make_window(model_path=trained_model_path)
    with qtbot.waitSignal(window.prediction_changed, timeout=3000):
        drag(window.canvas, seven(window.canvas))
    view = window.epochs_view
    window.tabs.setCurrentIndex(EPOCHS)
    qtbot.waitUntil(lambda: not view.is_stale())
    assert window.document.epochs == () and view.epochs() == ()
    assert view.notice.isVisible()
    assert "a model file holds only its final weights" in view.notice.text()
    assert view.probabilities() is None and not view.slider.isEnabled()
