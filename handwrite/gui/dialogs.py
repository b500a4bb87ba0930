"""The questions and error messages the window asks and shows, in plain words.

Every modal prompt goes through a function here, so that tests replace one function
(``monkeypatch.setattr(dialogs, "show_error", ...)``) instead of clicking through dialogs.
The core's errors carry their messages as phrases (:mod:`handwrite.translatable`):
:func:`error_text` and :func:`problem_text` put them in the window's language.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from handwrite.translatable import Phrase, phrase_of


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class DataChoice(Enum):
    DOWNLOAD = "download"
    CHOOSE_FOLDER = "choose folder"
    CANCEL = "cancel"


def phrase_text(phrase: Phrase) -> str:
    """``phrase`` in the window's language (its templates translated, its values as they are)."""
    return phrase.text(QCoreApplication.translate)


def error_text(exc: BaseException) -> str:
    """The message of ``exc`` in the window's language: a documented error's phrase
    translated; any other exception's text as it is."""
    return phrase_text(phrase_of(exc))


def problem_text(exc: BaseException) -> str:
    """What is wrong, without the file's name, for a message that names the file in its own
    words: the problem of a model file, an image or an MNIST file (``problem_phrase``)
    translated; else :func:`error_text`."""
    problem = getattr(exc, "problem_phrase", None)
    return phrase_text(problem) if isinstance(problem, Phrase) else error_text(exc)


def error_box(
    parent: QWidget | None, title: str, message: str, details: str | None = None
) -> QMessageBox:
    """An error message box, not yet shown: ``message`` in plain words, ``details`` (the
    technical text, e.g. a file name and what is wrong in it) behind "Show Details…"."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(f"<b>{_escape(title)}</b>")
    box.setInformativeText(message)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(
    parent: QWidget | None, title: str, message: str, details: str | None = None
) -> None:
    """Show an error and wait until it is read."""
    error_box(parent, title, message, details).exec()


def ask_save_changes(parent: QWidget | None, question: str) -> SaveChoice:
    """Save / Don't save / Cancel, about the trained model that is not saved yet."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("dialogs", "Unsaved model"))
    box.setText(question)
    box.setInformativeText(
        QCoreApplication.translate("dialogs", "The network you trained is not saved yet.")
    )
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SaveChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return SaveChoice.DISCARD
    return SaveChoice.CANCEL


def ask_for_mnist(parent: QWidget | None, message: str) -> DataChoice:
    """MNIST was not found (``message`` says where the program looked): download it, point
    to a folder that holds it, or give up."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("dialogs", "MNIST is needed"))
    box.setText(
        QCoreApplication.translate(
            "dialogs", "<b>Training needs the MNIST digits, which were not found.</b>"
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "dialogs",
            "Download them now (about 11 MB, from the public MNIST mirrors), or choose a "
            "folder that holds the four MNIST files?",
        )
    )
    box.setDetailedText(message)
    download = box.addButton(
        QCoreApplication.translate("dialogs", "Download"), QMessageBox.ButtonRole.AcceptRole
    )
    choose = box.addButton(
        QCoreApplication.translate("dialogs", "Choose Folder…"), QMessageBox.ButtonRole.ActionRole
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(download)
    box.exec()
    if box.clickedButton() is download:
        return DataChoice.DOWNLOAD
    if box.clickedButton() is choose:
        return DataChoice.CHOOSE_FOLDER
    return DataChoice.CANCEL


def show_about(parent: QWidget | None, version: str) -> None:
    """Help ▸ About: what handwrite is, and its ``version``."""
    QMessageBox.about(
        parent,
        QCoreApplication.translate("dialogs", "About handwrite"),
        QCoreApplication.translate(
            "dialogs",
            "<b>handwrite {0}</b><p>Draw a digit and watch a neural network, written from "
            "scratch in NumPy, recognise it. Train your own network on MNIST and watch it "
            "learn.</p>",
        ).format(version),
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
