"""English texts of the core that the window shows translated, with no Qt in the core.

The core marks each such text with :func:`QT_TRANSLATE_NOOP` and a literal context, e.g. a
layer's name::

    title = QT_TRANSLATE_NOOP("Layers", "Max pooling {kernel_size}×{kernel_size}")

Here the marker returns the text unchanged; its name is the one ``pyside6-lupdate`` looks
for, so ``translations/update.py`` extracts the text into the ``.ts`` files under that
context. The window shows it with ``QCoreApplication.translate(context, text)``, naming the
context by the constants below; the command line prints the English text as it is.
"""

from __future__ import annotations

#: The context of the layers' names and explanations (:mod:`handwrite.nn.layers`).
LAYERS = "Layers"
#: The context of the architecture presets' descriptions (:mod:`handwrite.nn.presets`).
PRESETS = "Presets"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """``text`` unchanged: marks it for translation under ``context`` (a string literal).

    Named as Qt names it, because that name is what ``pyside6-lupdate`` looks for.
    """
    return text
