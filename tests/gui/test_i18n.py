"""Japanese and English: every text translated, the translation files up to date, and
View ▸ Language switching the window in place."""

from __future__ import annotations

import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from handwrite import resources
from handwrite.gui import app as app_module
from handwrite.gui import language
from handwrite.gui.document import DEFAULT_MODEL_PATH
from handwrite.gui.inspect.mosaic import MosaicView
from handwrite.gui.live_view import LiveView
from handwrite.gui.main_window import MainWindow
from handwrite.gui.settings import AppSettings
from handwrite.gui.training.panel import TrainingPanel
from handwrite.gui.training.plot import TrainingPlot
from handwrite.gui.training.run_controller import RunState
from handwrite.nn import presets
from tests.gui.strokes import seven

ROOT = Path(__file__).resolve().parents[2]

#: English texts that stay the same in Japanese: names, and words used as they are.
SAME_IN_JAPANESE = {
    "?",  # the explanation buttons
    "mlp",  # the architecture presets (names the CLI takes too)
    "cnn",
    "lenet",
    "cnn-lcn",
    "SGD",  # optimizers: names used in Japanese texts as they are
    "Adam",
    "ReLU",  # activations: names used in Japanese texts as they are (sigmoid is シグモイド)
    "tanh",
    "CPU (NumPy)",  # devices: names
    "GPU (CuPy)",
    "English",  # the languages, each named in its own language
    "日本語",
}
SAME_PATTERNS = (
    re.compile(r"[^A-Za-z]*"),  # digits, percentages, formulas, arrows: no words
    re.compile(r"\d+ px"),  # the pen width
    re.compile(r"\d+\. (ReLU|tanh) → [\d ×]+"),  # feature map layers: ReLU, tanh are names
    re.compile(r"[\w.-]+\.npz\[\*\] — handwrite"),  # the window title: a file name
    re.compile(r"&\d [\w.-]+\.npz"),  # a recent file
    re.compile(r".*[/\\][\w.-]+\.npz"),  # a model file's path
)


def _allowed(text: str) -> bool:
    return text in SAME_IN_JAPANESE or any(p.fullmatch(text) for p in SAME_PATTERNS)


@pytest.fixture(autouse=True)
def _english_afterwards(qapp: Any) -> Iterator[None]:
    """Each test leaves the application without translators, as the other tests expect."""
    language.uninstall()
    yield
    language.uninstall()


def _load_update_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update", ROOT / "translations" / "update.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("pyside6-lupdate", "pyside6-lrelease"):
        try:
            module.tool(name)
        except SystemExit as exc:
            pytest.skip(str(exc))
    return module


# -- every text in the window is translated ----------------------------------------------------
def _key(obj: QObject, root: QObject) -> str:
    """Where ``obj`` is under ``root``: the same in two windows built alike."""
    parts = []
    while obj is not None and obj is not root:
        parent = obj.parent()
        siblings = parent.children() if parent is not None else []
        index = next((i for i, c in enumerate(siblings) if c is obj), -1)
        parts.append(f"{type(obj).__name__}:{obj.objectName()}:{index}")
        obj = parent
    return "/".join(reversed(parts))


def _texts(window: MainWindow) -> dict[str, str]:
    """Every text the window can show, by where it is shown."""
    found: dict[str, str] = {"window title": window.windowTitle()}

    def add(where: str, text: str | None) -> None:
        if text and text.strip():
            found[where] = text

    for w in [window, *window.findChildren(QWidget)]:
        k = _key(w, window)
        add(f"{k} tooltip", w.toolTip())
        add(f"{k} accessible name", w.accessibleName())
        add(f"{k} accessible description", w.accessibleDescription())
        if isinstance(w, QLabel):
            add(f"{k} text", w.text())
        if isinstance(w, QAbstractButton):
            add(f"{k} text", w.text())
        if isinstance(w, QGroupBox):
            add(f"{k} title", w.title())
        if isinstance(w, QLineEdit):
            add(f"{k} placeholder", w.placeholderText())
        if isinstance(w, QProgressBar):
            add(f"{k} format", w.format())
        if isinstance(w, QAbstractSpinBox):
            add(f"{k} special value", w.specialValueText())
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(f"{k} tab {i}", w.tabText(i))
                add(f"{k} tab {i} tooltip", w.tabToolTip(i))
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                add(f"{k} item {i}", w.itemText(i))
                add(f"{k} item {i} tooltip", w.itemData(i, Qt.ItemDataRole.ToolTipRole))
        if isinstance(w, QTableWidget):
            for i in range(w.columnCount()):
                item = w.horizontalHeaderItem(i)
                add(f"{k} column {i}", item.text() if item else None)
            for i in range(w.rowCount()):
                item = w.verticalHeaderItem(i)
                add(f"{k} row {i}", item.text() if item else None)
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for row in range(min(model.rowCount(), 3)):
                add(f"{k} row {row} tooltip", model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole))
        if isinstance(w, MosaicView):
            add(f"{k} placeholder", w.placeholder())
            for i, tile in enumerate(w.tiles()):
                add(f"{k} tile {i}", tile.caption)
                add(f"{k} tile {i} tooltip", tile.tooltip)
        if isinstance(w, TrainingPlot):
            for name, plot in (("loss", w.loss_plot), ("accuracy", w.accuracy_plot)):
                add(f"{k} {name} title", plot.titleLabel.text)
                add(f"{k} {name} axis", plot.getAxis("bottom").labelText)
                for i, (_sample, label) in enumerate(plot.legend.items):
                    add(f"{k} {name} legend {i}", label.text)

    def add_actions(where: str, actions: list[QAction]) -> None:
        for i, action in enumerate(actions):
            add(f"{where} {i}", action.text())
            if action.toolTip() != action.text().replace("&", ""):
                add(f"{where} {i} tooltip", action.toolTip())
            if action.menu() is not None:
                add_actions(f"{where} {i} ▸", action.menu().actions())

    add_actions("menu", window.menuBar().actions())
    return found


def _show_everything(window: MainWindow, qtbot: Any) -> dict[str, str]:
    """Draw a 7, pin it, add it to the personal set, visit every tab; return the texts."""
    with qtbot.waitSignal(window.prediction_changed, timeout=5000):
        window.canvas.draw_stroke(seven(window.canvas))
    window.probe_panel.pin()
    window.personal_panel.add_sample(7)
    window.canvas.draw_stroke(seven(window.canvas))
    texts: dict[str, str] = {}
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        for view in window.findChildren(LiveView):
            view.refresh_now()
        texts.update(_texts(window))
    return texts


def test_every_text_of_the_window_is_in_japanese(
    make_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    """The same window built in English and in Japanese, in the same state: each text the
    Japanese one shows differs from the English one's, unless the allowlist says why not."""
    if not DEFAULT_MODEL_PATH.exists():
        pytest.skip("models/default.npz is missing")

    def build(name: str) -> MainWindow:
        return make_window(
            default_model_path=DEFAULT_MODEL_PATH,
            settings=AppSettings(tmp_path / f"{name}.ini"),
            personal_path=tmp_path / f"{name}-personal.npz",
        )

    def walk(window: MainWindow) -> dict[str, str]:
        texts = _show_everything(window, qtbot)
        window.on_new_triggered()  # an untrained network: the notice, "untitled"
        texts.update({f"new: {k}": v for k, v in _texts(window).items()})
        return texts

    # One after the other: texts made later (a view refreshed) take the language installed.
    en = walk(build("en"))
    assert language.install("ja")
    japanese = build("ja")
    ja = walk(japanese)
    assert en.keys() == ja.keys()
    assert len(en) > 300  # the walk saw the window, not only its frame
    untranslated = {k: en[k] for k in en if en[k] == ja[k] and not _allowed(en[k])}
    assert not untranslated, untranslated
    allowed = {en[k] for k in en if en[k] == ja[k]}
    assert allowed & SAME_IN_JAPANESE  # the allowlist is used, and only for such texts
    assert japanese.tabs.tabText(0) == "学習" and "ネットワーク" in japanese.tabs.tabText(1)


# -- the translation files -------------------------------------------------------------------
def test_the_translations_are_complete_and_up_to_date(tmp_path: Path) -> None:
    """lupdate on a copy of each committed .ts finds every message translated and changes
    nothing; lrelease of the committed .ts gives the committed .qm."""
    update = _load_update_script()
    for lang, plural_only in update.LANGUAGES.items():
        committed = update.ts_path(lang)
        fresh = tmp_path / committed.name
        shutil.copy(committed, fresh)
        update.lupdate(fresh, lang, plural_only)
        assert update.unfinished(fresh) == [], f"translate them: {committed.name}"
        assert fresh.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8"), (
            f"{committed.name} is out of date: run python translations/update.py"
        )
        qm = tmp_path / f"handwrite_{lang}.qm"
        update.lrelease(committed, qm)
        assert qm.read_bytes() == update.qm_path(lang).read_bytes(), (
            f"{update.qm_path(lang).name} is out of date: run python translations/update.py"
        )
    assert update.unfinished(update.ts_path("ja")) == []
    messages = ET.parse(update.ts_path("ja")).getroot().iter("message")
    assert sum(1 for _ in messages) > 300


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}|%n|%p|%\d|</?[a-z]+>", text))


def test_japanese_keeps_placeholders_markup_and_shortcut_keys() -> None:
    update = _load_update_script()
    for message in ET.parse(update.ts_path("ja")).getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text]
        for text in forms:
            assert text and _placeholders(text) == _placeholders(source), (source, text)
            assert text.count("&") == source.count("&"), (source, text)
    for message in ET.parse(update.ts_path("en")).getroot().iter("message"):
        forms = [f.text or "" for f in message.iter("numerusform")]
        assert len(forms) == 2 and all("%n" in f for f in forms)


def test_the_compiled_translations_load_and_translate(qapp: Any) -> None:
    translator = QTranslator()
    assert translator.load(str(language.qm_path("ja")))
    assert translator.translate("MainWindow", "Training") == "学習"
    assert translator.translate("TrainingPanel", "Learning rate") == "学習率"
    assert language.install("ja") and language.current() == "ja"
    assert QCoreApplication.translate("dialogs", "Download") == "ダウンロード"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "キャンセル"  # qtbase_ja
    # Plurals: one form in Japanese; English has its own .qm with the singular.
    panel = TrainingPanel()
    panel.show_history_note("a.npz", {"epochs": 1})
    assert panel.result_label.text() == "a.npz の学習曲線：1 エポック。"
    assert language.install("en") and language.current() == "en"
    panel.show_history_note("a.npz", {"epochs": 1})
    assert panel.result_label.text() == "The curves show how a.npz learned: 1 epoch."
    panel.show_history_note("a.npz", {"epochs": 3, "test_accuracy": 0.5})
    assert "learned: 3 epochs, 50.00%" in panel.result_label.text()


def test_a_missing_translation_falls_back_to_english(
    qapp: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        resources, "translation_path", lambda code: tmp_path / f"handwrite_{code}.qm"
    )
    assert not language.install("ja")
    assert language.current() == "en"
    assert QCoreApplication.translate("MainWindow", "Training") == "Training"


def test_the_application_shows_the_remembered_language(
    qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AppSettings, "stored_language", staticmethod(lambda path=None: "ja"))
    assert app_module._install_translations(qapp) == "ja"
    assert QCoreApplication.translate("MainWindow", "Training") == "学習"
    monkeypatch.setattr(AppSettings, "stored_language", staticmethod(lambda path=None: ""))
    monkeypatch.setattr(language, "system_language", lambda: "en")
    assert app_module._install_translations(qapp) == "en"
    assert QCoreApplication.translate("MainWindow", "Training") == "Training"


def test_the_language_is_remembered(tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    s = AppSettings(path)
    assert s.language == "" and AppSettings.stored_language(path) == ""
    s.language = "ja"
    s.sync()
    assert AppSettings(path).language == "ja" and AppSettings.stored_language(path) == "ja"
    s.language = "klingon"
    assert s.language == ""


# -- switching ---------------------------------------------------------------------------------
def test_the_language_menu_rebuilds_the_window_in_place(
    make_window: Any, qtbot: Any, settings_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    assert window.tabs.tabText(0) == "Training"
    with qtbot.waitSignal(window.prediction_changed, timeout=5000):
        window.canvas.draw_stroke(seven(window.canvas))
    window.probe_panel.pin()
    window.install_fine_tuned_model(presets.build("mlp"), "unsaved")
    window.tabs.setCurrentIndex(2)
    model, canvas = window.model, window.canvas
    assert window.document.dirty

    window.language_actions["ja"].trigger()
    assert window.tabs.tabText(0) == "学習"
    assert window.menuBar().actions()[0].text() == "ファイル(&F)"
    assert window.canvas is not canvas  # rebuilt, with all that was there
    assert window.document.dirty and window.isWindowModified() and window.model.name == model.name
    assert window.canvas.stroke_count() == 1 and len(window.probe_panel.probes()) == 1
    assert window.tabs.currentIndex() == 2
    for name, weights in model.state_dict().items():
        np.testing.assert_array_equal(window.model.state_dict()[name], weights)
    assert window.language_actions["ja"].isChecked()
    assert AppSettings(settings_path).language == "ja"

    # "System default" follows the system's locale.
    monkeypatch.setattr(language, "system_language", lambda: "en")
    window.language_actions[""].trigger()
    assert window.tabs.tabText(0) == "Training"
    assert window.language_actions[""].isChecked() and window.settings.language == ""
    assert window.document.dirty and window.canvas.stroke_count() == 1


def test_the_language_waits_while_a_network_trains(
    make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    monkeypatch.setattr(window.run, "_state", RunState.RUNNING)  # as while a run trains
    window.language_actions["ja"].trigger()
    assert window.tabs.tabText(0) == "Training"
    assert window.language_actions[""].isChecked() and window.settings.language == ""
