"""Every view that shows classes shows the ten digits of a network with the 11th output, "not
a digit": the probability bars, the probes, the epochs, the saliency (where "not a digit" is
a named choice, not a digit), the map and the robustness comparison with a ten-output model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF

from handwrite.gui.document import EpochWeights
from handwrite.nn import presets
from handwrite.nn.architectures import with_not_a_digit_output
from handwrite.nn.model import DIGITS, Model
from handwrite.refusal import NOT_A_DIGIT_LABEL, Refusal
from tests.gui.strokes import drag

TRAINING, INSIDE, STEPS, RESULTS, PERSONAL, MAP, EPOCHS, ROBUSTNESS = range(8)


def refusing_cnn(path: Path) -> Path:
    """An untrained ``cnn`` with the 11th output and a refusal that refuses."""
    model = Model.from_architecture(with_not_a_digit_output(presets.architecture("cnn")), seed=3)
    model.refusal = Refusal("not_a_digit_class", threshold=0.99)
    model.save(path)
    return path


def diagonal(canvas: Any) -> list[QPointF]:
    r = canvas.surface_rect()
    x, y, w, h = r.left(), r.top(), r.width(), r.height()
    return [QPointF(x + w * (0.3 + 0.02 * i), y + h * (0.25 + 0.025 * i)) for i in range(21)]


def test_the_views_show_ten_digits_for_a_refusing_network(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(model_path=refusing_cnn(tmp_path / "refusing-cnn.npz"))
    model = window.model
    assert len(model.classes) == 11 and model.refuses
    with qtbot.waitSignal(window.predictor.answer_changed, timeout=3000):
        drag(window.canvas, diagonal(window.canvas))
    qtbot.waitUntil(lambda: window.predictor.answer is not None, timeout=3000)
    assert window.predictor.answer.refused
    assert window.probability_view.classes() == DIGITS

    # Probes: ten probabilities per pinned drawing.
    probes = window.probe_panel
    probes.pin(window.input_view.image())
    with qtbot.waitSignal(probes.refreshed, timeout=3000):
        window.tabs.setCurrentIndex(TRAINING)
        probes.request_refresh()
    assert probes.probabilities().shape == (1, 10)

    # The epochs: one curve and one bar per digit.
    state = model.state_dict()
    window.document.add_epoch(EpochWeights(1, state, None))
    window.document.add_epoch(EpochWeights(2, state, None))
    epochs = window.epochs_view
    with qtbot.waitSignal(epochs.refreshed, timeout=5000):
        window.tabs.setCurrentIndex(EPOCHS)
    assert len(epochs.curves) == 10
    ticks = epochs.bars_plot.getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks] == list(DIGITS)

    # Saliency: the best guess by default; "not a digit" is there by its name.
    saliency = window.saliency_view
    with qtbot.waitSignal(saliency.refreshed, timeout=5000):
        window.tabs.setCurrentIndex(STEPS)
        saliency.request_refresh()
    items = [saliency.class_combo.itemText(i) for i in range(saliency.class_combo.count())]
    assert items[1:] == [*DIGITS, NOT_A_DIGIT_LABEL]
    best = int(window.predictor.answer.probabilities.argmax())
    assert saliency.target_class() == best

    # Robustness: a ten-output model reads the same digits, so the two can be compared.
    other = presets.build("mlp", seed=1)
    other.save(tmp_path / "ten.npz")
    window.tabs.setCurrentIndex(ROBUSTNESS)
    assert window.robustness_view.open_other(tmp_path / "ten.npz")
