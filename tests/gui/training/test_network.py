"""Your own network in the training panel: the choices read back from architectures, the
controls, Edit architecture… with its checked JSON, Start refused while the network cannot be
built, the Start defaults and the settings that remember the design."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from handwrite.gui.settings import AppSettings, TrainingSettings
from handwrite.gui.training.architecture_dialog import ArchitectureDialog, format_architecture
from handwrite.gui.training.network import EDITED, OWN, NetworkChoice, parameter_count
from handwrite.gui.training.panel import TrainingPanel
from handwrite.gui.training.run_controller import RunState
from handwrite.nn import presets
from handwrite.nn.architectures import (
    ACTIVATIONS,
    DROPOUT_PLACES,
    LOSS_NAMES,
    POOLINGS,
    CNNDesign,
    MLPDesign,
    check_architecture,
    with_activation,
    with_loss,
)
from handwrite.nn.model import Model
from handwrite.trainer import START_CONFIG, START_NETWORK, ArrayData

DESIGNS = [
    MLPDesign(),
    MLPDesign(hidden=(), loss="squared_error"),
    MLPDesign(hidden=(300, 100), activation="sigmoid", dropout=0.2, dropout_at="hidden"),
    MLPDesign(hidden=(100,) * 5, activation="tanh"),
    CNNDesign(),
    START_NETWORK,
    CNNDesign(channels=(8, 16, 32), kernels=(3, 3, 3), same_padding=True, pooling="avg"),
    CNNDesign(channels=(4,), kernels=(7,), pooling="none", hidden=(), dropout=0.3,
              dropout_at="everywhere", activation="sigmoid"),
]  # fmt: skip


@pytest.mark.parametrize("design", DESIGNS, ids=lambda d: d.architecture()["name"])
def test_a_design_reads_back_from_its_architecture(design: MLPDesign | CNNDesign) -> None:
    architecture = design.architecture()
    choice = NetworkChoice.of(architecture)
    assert choice.kind == design.kind and choice.design is not None
    assert choice.architecture() == architecture  # the same layers, loss and name
    # written with every default argument spelled out, it is still the same design
    spelled = Model.from_architecture(architecture).architecture()
    assert NetworkChoice.of(spelled).architecture()["layers"] == architecture["layers"]


@pytest.mark.parametrize("name", presets.PRESETS)
@pytest.mark.parametrize("dropout", [None, 0.0, 0.3])
def test_a_preset_with_any_dropout_rate_stays_the_preset(name: str, dropout: float | None) -> None:
    choice = NetworkChoice.preset(name, dropout)
    arch, p, architecture = choice.settings()
    expected = presets.default_dropout(name) if dropout is None else dropout
    assert (arch, p, architecture) == (name, expected, None)
    assert choice.architecture()["layers"] == presets.architecture(name, dropout=p)["layers"]
    assert NetworkChoice.of(presets.architecture(name, dropout=dropout)).settings()[:2] == (
        name,
        expected,
    )


def test_a_fixed_preset_takes_another_activation_and_loss() -> None:
    changed = with_loss(with_activation(presets.architecture("lenet"), "relu"), "squared_error")
    choice = NetworkChoice.of(changed)
    assert (choice.kind, choice.own_activation, choice.own_loss) == (
        "lenet",
        "relu",
        "squared_error",
    )
    arch, _, architecture = choice.settings()
    assert arch == OWN and architecture["name"] == "custom lenet"
    assert architecture["layers"] == changed["layers"] and architecture["loss"] == "squared_error"


def test_an_architecture_that_is_no_design_is_kept_as_edited() -> None:
    odd = presets.architecture("mlp")
    odd["layers"].insert(3, {"type": "Dense", "in_features": 100, "out_features": 100})
    odd["layers"][4:4] = [{"type": "Tanh"}]
    odd["layers"][5]["in_features"] = 100
    odd = check_architecture(odd)
    choice = NetworkChoice.of(odd)
    assert choice.kind == EDITED and choice.architecture() == odd
    assert choice.settings() == (OWN, None, odd)


def test_the_panel_offers_the_cores_choices_and_starts_with_the_start_defaults(qtbot: Any) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    editor = panel.network_editor

    def items(combo: Any) -> list[str]:
        return [combo.itemData(i) for i in range(combo.count())]

    assert items(editor.activation_combo) == list(ACTIVATIONS)
    assert items(editor.loss_combo) == list(LOSS_NAMES)
    assert items(editor.pooling_combo) == list(POOLINGS)
    assert items(editor.dropout_at_combo) == list(DROPOUT_PLACES)
    assert items(panel.arch_combo) == ["mlp", "cnn", "lenet", "cnn-lcn", EDITED]
    # the Start defaults are the core's: the panel shows them and gives them back
    assert panel.settings() == TrainingSettings()
    assert panel.settings().config() == START_CONFIG
    assert editor.channels_edit.text() == "16, 32" and editor.hidden_edit.text() == "128"
    assert "small cnn" in editor.summary_label.text()
    count = parameter_count(START_CONFIG.architecture)
    assert f"{count:,}" in editor.summary_label.text()
    assert count == Model.from_architecture(START_CONFIG.architecture).parameter_count()


def test_the_design_controls_make_your_own_network(qtbot: Any) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    editor = panel.network_editor
    panel.arch_combo.setCurrentIndex(panel.arch_combo.findData("mlp"))
    panel.arch_combo.activated.emit(panel.arch_combo.currentIndex())
    assert not editor.channels_edit.isEnabled() and editor.hidden_edit.isEnabled()
    assert panel.settings().arch == "mlp"  # the mlp design's defaults: the preset itself
    editor.hidden_edit.setText("100, 100, 100, 100, 100")
    editor.hidden_edit.textEdited.emit(editor.hidden_edit.text())
    editor.activation_combo.setCurrentIndex(editor.activation_combo.findData("sigmoid"))
    editor.loss_combo.setCurrentIndex(editor.loss_combo.findData("squared_error"))
    editor.dropout_spin.setValue(0.25)
    editor.dropout_at_combo.setCurrentIndex(editor.dropout_at_combo.findData("hidden"))
    s = panel.settings()
    expected = MLPDesign(
        hidden=(100,) * 5,
        activation="sigmoid",
        dropout=0.25,
        dropout_at="hidden",
        loss="squared_error",
    ).architecture()
    assert (s.arch, s.architecture) == (OWN, expected)
    config = s.config()
    assert config.architecture == expected and config.dropout is None
    assert (
        config.build_model().architecture()["layers"]
        == Model.from_architecture(expected).architecture()["layers"]
    )

    # a CNN: changing the number of blocks gives every block the one kernel size
    panel.arch_combo.setCurrentIndex(panel.arch_combo.findData("cnn"))
    panel.arch_combo.activated.emit(panel.arch_combo.currentIndex())
    assert panel.settings().arch == "cnn" and panel.settings().dropout == 0.5
    editor.channels_edit.setText("8, 16, 32")
    editor.channels_edit.textEdited.emit("8, 16, 32")
    assert editor.kernels_edit.text() == "5, 5, 5"
    assert editor.problem() is not None  # three 5x5 blocks with pooling do not fit 28x28
    editor.same_check.setChecked(True)
    assert editor.problem() is None
    s = panel.settings()
    assert s.architecture == CNNDesign(channels=(8, 16, 32), kernels=(5, 5, 5),
                                       same_padding=True).architecture()  # fmt: skip


def test_start_is_refused_while_the_network_cannot_be_built(qtbot: Any) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    editor = panel.network_editor
    good = panel.settings()
    editor.channels_edit.setText("16, 32, 64")
    editor.channels_edit.textEdited.emit("16, 32, 64")
    problem = editor.problem()
    assert problem is not None and "convolution block 3" in problem and "kernel" in problem
    assert (
        "Cannot be built" in editor.summary_label.text() and problem in editor.summary_label.text()
    )
    assert not panel.start_button.isEnabled()
    assert problem in panel.start_button.toolTip()
    assert panel.settings() == good  # what is remembered meanwhile: the last good network
    editor.kernels_edit.setText("3, x, 3")
    editor.kernels_edit.textEdited.emit("3, x, 3")
    assert "whole numbers" in editor.problem()
    editor.kernels_edit.setText("3, 3, 3")
    editor.kernels_edit.textEdited.emit("3, 3, 3")
    assert editor.problem() is None and panel.start_button.isEnabled()
    assert [s.get("kernel_size") for s in panel.settings().architecture["layers"]][0] == 3
    panel.set_state(RunState.RUNNING)
    assert not panel.start_button.isEnabled()


def test_defaults_brings_the_start_defaults_back(qtbot: Any) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    panel.set_settings(
        TrainingSettings(arch="lenet", optimizer="sgd", lr=0.3, epochs=9, augment=False)
    )
    assert panel.settings().arch == "lenet"
    panel.defaults_button.click()
    assert panel.settings() == TrainingSettings()
    assert panel.settings().config() == START_CONFIG


def _set_text(dialog: ArchitectureDialog, text: str) -> None:
    dialog.editor.setPlainText(text)
    dialog.check()


def test_edit_architecture_checks_the_json_and_names_the_layer(qtbot: Any) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    editor = panel.network_editor
    dialog = editor.architecture_dialog()
    qtbot.addWidget(dialog)
    shown = json.loads(dialog.editor.toPlainText())
    assert shown == START_CONFIG.architecture  # the model file's JSON of the network
    assert dialog.ok_button().isEnabled() and dialog.problem() is None

    bad = json.loads(json.dumps(shown))
    dense = next(i for i, s in enumerate(bad["layers"]) if s["type"] == "Dense")
    bad["layers"][dense]["in_features"] = 1000
    _set_text(dialog, format_architecture(bad))
    problem = dialog.problem()
    assert problem is not None
    assert f"layer {dense} (Dense)" in problem and "in_features" in problem
    assert '"in_features": 512' in problem  # how to fix it
    assert not dialog.ok_button().isEnabled()
    marked = dialog.editor.extraSelections()
    assert marked and '"in_features": 1000' in marked[0].cursor.block().text()

    _set_text(dialog, '{"layers": [')
    assert "not valid JSON" in dialog.problem() and not dialog.ok_button().isEnabled()

    # typing: OK waits for the check that follows each change
    dialog.editor.setPlainText(format_architecture(shown))
    assert not dialog.ok_button().isEnabled()
    qtbot.waitUntil(dialog.ok_button().isEnabled, timeout=2000)


def test_an_edited_architecture_becomes_the_panels_network(qtbot: Any) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    editor = panel.network_editor
    dialog = editor.architecture_dialog()
    qtbot.addWidget(dialog)
    layers = [
        {"type": "Flatten"},
        {"type": "Dense", "in_features": 784, "out_features": 64},
        {"type": "Tanh"},
        {"type": "Dense", "in_features": 64, "out_features": 32},
        {"type": "ReLU"},
        {"type": "Dense", "in_features": 32, "out_features": 10},
    ]
    _set_text(dialog, json.dumps({"name": "mixed", "layers": layers}))
    assert dialog.problem() is None and dialog.ok_button().isEnabled()
    assert "mixed: 6 layer" in dialog.problem_label.text()
    editor.apply_architecture_dialog(dialog)
    assert panel.arch_combo.currentData() == EDITED
    assert not editor.activation_combo.isEnabled() and not editor.hidden_edit.isEnabled()
    s = panel.settings()
    assert (
        s.arch == OWN and s.architecture["layers"] == layers and s.architecture["name"] == "mixed"
    )
    assert s.config(negatives=0.0).validate().network()["layers"] == layers
    # learning to refuse (the default) gives the same network an 11th output, "not a digit"
    refusing = s.config().validate().network()["layers"]
    assert refusing[:-1] == layers[:-1] and refusing[-1]["out_features"] == 11

    # JSON that is a design shows as that design, its controls filled in
    dialog = editor.architecture_dialog()
    qtbot.addWidget(dialog)
    _set_text(dialog, json.dumps(MLPDesign(hidden=(50,), activation="tanh").architecture()))
    editor.apply_architecture_dialog(dialog)
    assert panel.arch_combo.currentData() == "mlp"
    assert editor.hidden_edit.text() == "50" and editor.activation_combo.currentData() == "tanh"


def test_the_design_is_remembered_and_old_settings_files_still_load(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    own = TrainingSettings(
        architecture=MLPDesign(hidden=(64, 32), activation="tanh").architecture(),
        weight_decay=1e-4,
        diagnostics=False,
        epochs=2,
    )
    AppSettings(path).training = own
    assert AppSettings(path).training == own

    # a file written before your own networks: a preset and no new keys
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    old = {"arch": "lenet", "optimizer": "sgd", "lr": 0.02, "batch_size": 128, "epochs": 7,
           "dropout": 0.25, "augment": True, "elastic": False, "schedule": "cosine",
           "limit": 5000, "device": "cpu"}  # fmt: skip
    qs.setValue("training/settings", json.dumps(old))
    qs.sync()
    loaded = AppSettings(path).training
    assert {k: getattr(loaded, k) for k in old} == old
    assert loaded.architecture is None and loaded.config().network_name() == "lenet"
    assert loaded.weight_decay == 0.0 and loaded.validation == START_CONFIG.validation

    # your own network that no longer builds: the default network comes back, the rest stays
    broken = dict(json.loads(json.dumps(dataclasses.asdict(own))))
    broken["architecture"]["layers"][1]["in_features"] = 5
    qs.setValue("training/settings", json.dumps(broken))
    qs.sync()
    loaded = AppSettings(path).training
    assert (loaded.arch, loaded.architecture) == (OWN, START_CONFIG.architecture)
    assert loaded.epochs == 2 and loaded.weight_decay == 1e-4


def test_start_with_the_window_defaults_trains_the_start_config(
    make_window: Any, qtbot: Any, small_data: ArrayData, wait_idle: Any
) -> None:
    """Pressing Start with the window's defaults trains START_CONFIG, and the window's own
    copy of the model is that network."""
    window = make_window()
    window.mnist.set_data(small_data)
    panel = window.training_panel
    assert panel.settings() == TrainingSettings()
    with qtbot.waitSignal(window.run.started, timeout=30_000) as started:
        panel.start_button.click()
    assert started.args[0].config == START_CONFIG
    assert window.model.name == "small cnn"
    assert (
        window.model.architecture()["layers"]
        == Model.from_architecture(START_CONFIG.network()).architecture()["layers"]
    )
    panel.stop_button.click()
    wait_idle(window)


def test_the_panel_sets_how_the_network_learns_to_refuse(qtbot: Any) -> None:
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    assert panel.negatives_spin.value() == START_CONFIG.negatives > 0
    assert panel.settings().config().refusing  # the defaults learn to say "not a digit"
    panel.negatives_spin.setValue(0.0)
    panel.pen_look_spin.setValue(0.5)
    s = panel.settings()
    assert (s.negatives, s.pen_look) == (0.0, 0.5)
    config = s.config()
    assert not config.refusing and config.pen_look == 0.5
    assert config.network()["layers"][-1]["out_features"] == 10
    panel.set_settings(dataclasses.replace(s, negatives=1.0, pen_look=0.0))
    assert (panel.negatives_spin.value(), panel.pen_look_spin.value()) == (1.0, 0.0)
    assert panel.settings().config().network()["layers"][-1]["out_features"] == 11
