"""Settings: typed, robust to damaged files, and remembered across a restart of the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QByteArray, QSettings

from handwrite.gui.settings import DEFAULT_PEN_WIDTH, AppSettings, TrainingSettings
from handwrite.gui.training.network import OWN
from handwrite.nn import presets
from handwrite.trainer import START_CONFIG


def test_settings_survive_a_restart(make_window: Any, settings_path: Path, tmp_path: Path) -> None:
    model_file = tmp_path / "m.npz"
    presets.build("mlp").save(model_file)
    window = make_window(settings=AppSettings(settings_path))
    window.drawing_panel.pen_slider.setValue(35)
    panel = window.training_panel
    panel.set_settings(
        TrainingSettings(
            arch="lenet",
            optimizer="sgd",
            lr=0.02,
            batch_size=128,
            epochs=7,
            dropout=0.25,
            augment=True,
            elastic=True,
            schedule="cosine",
            limit=5000,
        )
    )
    window.document.open(model_file)
    window.resize(1100, 700)
    probe = np.zeros((28, 28), np.float32)
    probe[4:24, 13:15] = 1.0  # a "1"
    window.probe_panel.set_probes(probe[None])
    assert window.close()

    again = make_window(settings=AppSettings(settings_path), size=None)
    assert again.canvas.pen_width() == 35 and again.drawing_panel.pen_slider.value() == 35
    s = again.training_panel.settings()
    assert (s.arch, s.optimizer, s.lr, s.batch_size, s.epochs) == ("lenet", "sgd", 0.02, 128, 7)
    assert (s.dropout, s.augment, s.elastic, s.schedule, s.limit) == (
        0.25,
        True,
        True,
        "cosine",
        5000,
    )
    assert again.document.path == model_file.resolve()
    np.testing.assert_allclose(again.probe_panel.probes(), probe[None], atol=1 / 255)
    # restoreGeometry() fits the window to the (800x800 offscreen) screen: check the height
    assert again.height() == 700
    assert AppSettings(settings_path).geometry is not None


def test_damaged_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    qs.setValue("version", 1)
    qs.setValue("canvas/pen_width", "wide")
    qs.setValue("files/recent", "{not json")
    qs.setValue("training/settings", '{"arch": "resnet", "lr": -3, "epochs": 5, "x": 1}')
    qs.setValue("view/probes", QByteArray(b"not 784 bytes"))
    qs.sync()
    s = AppSettings(path)
    assert s.probes.shape == (0, 28, 28)
    assert s.pen_width == DEFAULT_PEN_WIDTH
    assert s.recent_files == []
    t = s.training
    # the bad values are the defaults again (the Start defaults), the good one stays
    assert (t.arch, t.architecture) == (OWN, START_CONFIG.architecture)
    assert t.lr == START_CONFIG.lr and t.epochs == 5


def test_an_unversioned_file_is_reset_and_the_version_written(tmp_path: Path) -> None:
    path = tmp_path / "old.ini"
    qs = QSettings(str(path), QSettings.Format.IniFormat)
    qs.setValue("canvas/pen_width", 50)
    qs.sync()
    s = AppSettings(path)
    assert s.pen_width == DEFAULT_PEN_WIDTH
    s.sync()
    assert QSettings(str(path), QSettings.Format.IniFormat).value("version") in (1, "1")


def test_recent_files_are_unique_latest_first_and_bounded(tmp_path: Path) -> None:
    s = AppSettings(tmp_path / "s.ini")
    for i in range(12):
        s.add_recent_file(tmp_path / f"{i}.npz")
    s.add_recent_file(tmp_path / "5.npz")
    files = s.recent_files
    assert files[0].name == "5.npz" and len(files) == 8
    assert len(set(files)) == len(files)
    assert s.remove_recent_file(tmp_path / "5.npz")[0].name == "11.npz"
