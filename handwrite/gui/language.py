"""The window's language: English (the source language) or Japanese, through Qt's translators.

    AppSettings.language ("": follow the system, "en", "ja") -> effective() -> install()
        -> handwrite_<lang>.qm, shipped with the package (handwrite.resources.translation_path:
           the window's own messages; for English only the plural forms, "%n epoch(s)" ->
           "1 epoch" / "2 epochs")
        -> qtbase_<lang>.qm from PySide6's Qt (the standard buttons: Save, Cancel, ...)

The translation sources are ``translations/handwrite_<lang>.ts``; ``translations/update.py``
extracts the messages with ``pyside6-lupdate`` and compiles them with ``pyside6-lrelease``
into ``resources/i18n/``. A missing ``.qm`` file is not an error: the window then shows its
English source texts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from handwrite import resources

#: The languages the window can be shown in, by code: their names in their own language.
LANGUAGES = {"en": "English", "ja": "日本語"}

_installed: list[QTranslator] = []
_current = "en"


def system_language() -> str:
    """``"ja"`` when the system's locale is Japanese, else ``"en"``."""
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else "en"


def effective(choice: str | None) -> str:
    """The language shown for a remembered ``choice`` (``""`` or None: the system's)."""
    return choice if choice in LANGUAGES else system_language()


def current() -> str:
    """The language whose translations are installed now (``"en"`` when none are)."""
    return _current


def qm_path(language: str) -> Path:
    """The compiled translation of the window's messages into ``language``."""
    return resources.translation_path(language)


def install(language: str) -> bool:
    """Show the window's texts in ``language`` from now on: replace the translators installed
    by an earlier call. Returns False (and installs nothing: English) when ``language`` is
    unknown or its ``.qm`` file is missing or unreadable.

    Widgets built before the call keep their texts; the main window rebuilds itself
    (see ``MainWindow.set_language``).
    """
    global _current
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing translations")
    uninstall()
    if language not in LANGUAGES:
        return False
    own = QTranslator(app)
    if not own.load(str(qm_path(language))):
        # English without its plural forms is still English; any other language is not.
        return language == "en"
    _installed.append(own)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language != "en" and qt.load(f"qtbase_{language}", qt_dir):
        _installed.append(qt)
    for translator in _installed:
        app.installTranslator(translator)
    _current = language
    return True


def uninstall() -> None:
    """Remove the translators :func:`install` installed: the source texts, English without
    its plural forms ("1 epoch(s)"), are shown from now on."""
    global _current
    app = QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()
    _current = "en"


def menu(
    parent: QWidget, chosen: str, choose: Callable[[str], object]
) -> tuple[QMenu, dict[str, QAction]]:
    """View ▸ Language: one checkable action per choice, ``""`` (the system's language)
    first, then each language named in its own language; ``chosen`` is checked, and
    ``choose(code)`` is called when one is picked. Returns the menu and its actions by
    code."""
    menu = QMenu(QCoreApplication.translate("language", "&Language"), parent)
    group = QActionGroup(menu)
    actions: dict[str, QAction] = {}
    system = QCoreApplication.translate("language", "System Default ({0})").format(
        LANGUAGES[system_language()]
    )
    for code, text in (("", system), *LANGUAGES.items()):  # the names are not translated
        action = QAction(text, group)
        action.setCheckable(True)
        action.setChecked(code == chosen)
        action.triggered.connect(lambda _checked=False, c=code: choose(c))
        actions[code] = action
    menu.addActions(group.actions())
    menu.insertSeparator(actions["en"])
    return menu, actions
