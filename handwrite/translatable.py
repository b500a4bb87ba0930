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

So are the messages of the core's documented errors (:class:`TranslatableError`: a model
file, MNIST, the personal set, an image, training settings and checkpoints, an architecture,
a layer's arguments). Each raise site builds its message with :func:`error_phrase` from a
template marked under :data:`ERRORS` and the values it names (file names, numbers, shapes,
the offending value shortened)::

    problem = error_phrase(QT_TRANSLATE_NOOP("Errors", "missing array {key!r}"), key=key)
    raise ModelFileError(path, problem)

``str(exc)`` is the English text, which the command line prints; the window shows
``exc.phrase.text(QCoreApplication.translate)``. Text that comes from a library or the
system (zlib's complaint, the OS's ``strerror``) is a value: it stays as it came.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
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
#: The context of the documented errors' messages (:class:`TranslatableError`).
ERRORS = "Errors"
#: The context of class labels the core names, such as the "not a digit" output
#: (:data:`handwrite.refusal.NOT_A_DIGIT_LABEL`).
CLASSES = "Classes"


@dataclass(frozen=True)
class Phrase:
    """A message made of an English template marked for translation and measured values,
    so that the window can translate the template and fill in the numbers:
    ``Phrase(EXPERIMENTS, "{name} reached {accuracy:.0%} after {steps:,} steps", {...})``.

    ``template`` must be a literal marked with :func:`QT_TRANSLATE_NOOP` under ``context``
    where it is defined. ``values`` fill its ``{fields}`` (``str.format`` syntax); a value that
    is itself a :class:`Phrase` (the name of an optimizer, say) is translated too. A phrase
    without a context (:func:`verbatim`, :func:`join`) has no words of its own to translate.
    """

    context: str
    template: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def text(self, translate: Callable[[str, str], str] | None = None) -> str:
        """The message: ``translate(context, template)`` (default: the English template) with
        the values filled in. The window passes ``QCoreApplication.translate``."""
        filled = {k: _text(v, translate) for k, v in self.values.items()}
        translated = translate is not None and self.context
        template = translate(self.context, self.template) if translated else self.template
        return template.format(**filled)

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class _Joined:
    """The value of :func:`join`'s phrase: the parts' texts, each written as ``item``
    writes it, joined by ``separator``."""

    parts: tuple[Any, ...]
    separator: str | Phrase
    item: str

    def text(self, translate: Callable[[str, str], str] | None = None) -> str:
        separator = _text(self.separator, translate)
        return separator.join(self.item.format(_text(p, translate)) for p in self.parts)


def _text(value: Any, translate: Callable[[str, str], str] | None) -> Any:
    """A phrase's (or a join's) text; any other value as it is."""
    return value.text(translate) if isinstance(value, (Phrase, _Joined)) else value


def join(parts: Iterable[Any], separator: str | Phrase = "", item: str = "{}") -> Phrase:
    """Several messages as one phrase: ``parts`` (phrases, or plain values shown as they
    are), each written as ``item`` writes it (``"{}"``; ``"  - {}\n"`` for a list of lines),
    joined by ``separator``: a phrase itself when it is punctuation that translates
    (:data:`SEMICOLON`). Each part is translated when the whole is."""
    return Phrase("", "{parts}", {"parts": _Joined(tuple(parts), separator, item)})


def error_phrase(template: str, /, **values: Any) -> Phrase:
    """The message of a documented error: ``template``, a literal marked with
    ``QT_TRANSLATE_NOOP("Errors", ...)`` right there, and the ``values`` its fields name."""
    return Phrase(ERRORS, template, values)


def verbatim(text: str) -> Phrase:
    """``text`` as a phrase that reads the same in every language: for a message that comes
    whole from elsewhere (a caller's string). The core's own raise sites never use it."""
    return Phrase("", "{text}", {"text": text})


class TranslatableError(Exception):
    """An error whose message the window can show in the user's language.

    ``phrase`` is the message (a :class:`Phrase` under :data:`ERRORS`); ``str(exc)`` is its
    English text, the one the command line prints. A plain string is taken as it is
    (:func:`verbatim`): it then reads the same in every language.
    """

    def __init__(self, message: Phrase | str) -> None:
        self.phrase = as_phrase(message)
        super().__init__(self.phrase.text())


class FileProblemError(TranslatableError):
    """An error about one file: ``path`` and ``problem_phrase`` (the problem alone, for a
    message that names the file in its own words; ``problem``: its English text). The
    message is "{path}: {problem}"."""

    def __init__(self, path: str | os.PathLike[str], problem: Phrase | str) -> None:
        self.path = str(path)
        self.problem_phrase = as_phrase(problem)
        self.problem = self.problem_phrase.text()
        super().__init__(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "{path}: {problem}"),
                path=self.path,
                problem=self.problem_phrase,
            )
        )


def as_phrase(message: Phrase | str) -> Phrase:
    """``message`` if it is a phrase, else the string as it is (:func:`verbatim`)."""
    return message if isinstance(message, Phrase) else verbatim(str(message))


def phrase_of(exc: BaseException) -> Phrase:
    """The message of ``exc`` as a phrase: a :class:`TranslatableError`'s own, else the
    exception's text as it is (a library's, which stays English)."""
    if isinstance(exc, TranslatableError):
        return exc.phrase
    return verbatim(str(exc))


#: What separates the problems of one message ("missing a; b is damaged"), translated.
SEMICOLON = Phrase(ERRORS, QT_TRANSLATE_NOOP("Errors", "; "))
