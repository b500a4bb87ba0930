"""English texts of the core that the window shows translated, with no Qt in the core.

The core marks each such text with :func:`QT_TRANSLATE_NOOP` and a literal context, e.g. a
layer's name::

    title = QT_TRANSLATE_NOOP("Layers", "Max pooling {kernel_size}×{kernel_size}")

Here the marker returns the text unchanged; its name is the one ``pyside6-lupdate`` looks
for, so ``translations/update.py`` extracts the text into the ``.ts`` files under that
context. The window shows it with ``QCoreApplication.translate(context, text)``, naming the
context by the constants below; the command line prints the English text as it is.

Messages with measured numbers in them (an experiment's conclusion, a diagnosis) are
:class:`Phrase` objects: a marked template plus the values, put together when shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: The context of the layers' names and explanations (:mod:`handwrite.nn.layers`).
LAYERS = "Layers"
#: The context of the architecture presets' descriptions (:mod:`handwrite.nn.presets`).
PRESETS = "Presets"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """``text`` unchanged: marks it for translation under ``context`` (a string literal).

    Named as Qt names it, because that name is what ``pyside6-lupdate`` looks for.
    """
    return text


#: The context of the one-click experiments' texts (:mod:`handwrite.experiments`).
EXPERIMENTS = "Experiments"
#: The context of the training doctor's diagnoses and fixes (:mod:`handwrite.doctor`).
DOCTOR = "Doctor"


@dataclass(frozen=True)
class Phrase:
    """A message made of an English template marked for translation and measured values,
    so that the window can translate the template and fill in the numbers:
    ``Phrase(EXPERIMENTS, "{name} reached {accuracy:.0%} after {steps:,} steps", {...})``.

    ``template`` must be a literal marked with :func:`QT_TRANSLATE_NOOP` under ``context``
    where it is defined. ``values`` fill its ``{fields}`` (``str.format`` syntax); a value that
    is itself a :class:`Phrase` (the name of an optimizer, say) is translated too.
    """

    context: str
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, translate: Callable[[str, str], str] | None = None) -> str:
        """The message: ``translate(context, template)`` (default: the English template) with
        the values filled in. The window passes ``QCoreApplication.translate``."""
        filled = {
            k: v.text(translate) if isinstance(v, Phrase) else v for k, v in self.values.items()
        }
        template = translate(self.context, self.template) if translate else self.template
        return template.format(**filled)

    def __str__(self) -> str:
        return self.text()
