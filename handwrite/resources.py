"""The files shipped with handwrite: the default model, the window's translations, the icon.

    models/default.npz                     the model the window opens, load_model()'s default
    resources/i18n/handwrite_<lang>.qm     the window's translations (translations/update.py)
    resources/icon.png                     the desktop entry's icon (handwrite desktop install)

The names are relative to the repository's top folder, where a checkout keeps the files
(and where an editable install, ``pip install -e .``, reads them). A wheel or an sdist
carries the same files inside the package, in ``handwrite/_shipped/`` under the same
relative names (``pyproject.toml`` maps them there), and :mod:`importlib.resources` finds
them. Every user of a shipped file asks this module; no other module knows either place.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.resources
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "DEFAULT_MODEL",
    "ICON",
    "SOURCE_ROOT",
    "TRANSLATION",
    "default_model_path",
    "icon_path",
    "path",
    "translation_path",
]

#: The shipped model, relative to the repository's top folder.
DEFAULT_MODEL = "models/default.npz"
#: The compiled translation of the window's messages into a language code.
TRANSLATION = "resources/i18n/handwrite_{language}.qm"
#: The application's icon: a 256x256 PNG.
ICON = "resources/icon.png"

#: The folder, inside the installed package, that holds the shipped files.
_SHIPPED = "_shipped"
#: The repository's top folder, when handwrite runs from a checkout.
SOURCE_ROOT = Path(__file__).resolve().parent.parent

# Files extracted from a zipped package; deleted when the process ends.
_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


@functools.cache
def _root() -> Traversable:
    """The folder the relative names start from: the installed package's ``_shipped``
    folder, or else the checkout's top folder."""
    inside = importlib.resources.files("handwrite").joinpath(_SHIPPED)
    return inside if inside.is_dir() else SOURCE_ROOT


def path(relative: str) -> Path:
    """The shipped file ``relative`` (e.g. ``"models/default.npz"``) as a path on disk.

    Nothing is checked: a file that is not shipped gives a path that does not exist. From a
    zipped package, the file is copied out once and kept until the process ends (Qt and
    NumPy read paths, not zip members).
    """
    item = _root().joinpath(*relative.split("/"))
    if isinstance(item, Path) or not item.is_file():
        return Path(str(item))
    return _extracted.enter_context(importlib.resources.as_file(item))


def default_model_path() -> Path:
    """The shipped model: the ``cnn`` preset trained on MNIST (see the README)."""
    return path(DEFAULT_MODEL)


def translation_path(language: str) -> Path:
    """The compiled translation of the window's messages into ``language`` (``"ja"``); for
    ``"en"``, the source language, it holds only the plural forms. The path does not exist
    for a language handwrite has no translation for."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(_[A-Za-z]{2})?", language):
        raise ValueError(f"not a language code: {language!r} (expected e.g. 'ja' or 'pt_BR')")
    return path(TRANSLATION.format(language=language))


def icon_path() -> Path:
    """The application's icon, a 256x256 PNG (the window paints its own at each size)."""
    return path(ICON)
