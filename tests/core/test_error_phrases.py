"""The documented errors carry their messages as translatable phrases: every raise site in
the package builds its message from a template marked under "Errors" and the values the
template names, ``str(exc)`` stays the English text, and a translation reaches every part
of a message, nested phrases and joined lists included."""

from __future__ import annotations

import ast
import re
import string
import textwrap
import zipfile
from pathlib import Path

import pytest

from handwrite import images, mnist, modelfile, personal, trainer, untrusted
from handwrite.bounds import Bounds
from handwrite.nn import architectures, backend, export, layers, saving
from handwrite.translatable import (
    ERRORS,
    SEMICOLON,
    FileProblemError,
    TranslatableError,
    as_phrase,
    error_phrase,
    join,
    phrase_of,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "handwrite"

#: The core's documented errors, each raised with a phrase.
DOCUMENTED = {
    saving.ModelFileError,
    untrusted.InputError,
    mnist.DataError,
    mnist.MnistFormatError,
    mnist.MnistNotFoundError,
    mnist.DownloadError,
    mnist.DownloadCancelled,
    personal.PersonalDataError,
    images.ImageError,
    trainer.TrainingError,
    architectures.ArchitectureError,
    layers.ArgumentError,
    backend.BackendError,
    export.ExportError,
    FileProblemError,
}


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_documented_error_is_translatable() -> None:
    assert modelfile.ModelFileError is saving.ModelFileError
    assert {c for c in _subclasses(TranslatableError) if c.__module__.startswith("handwrite")} == (
        DOCUMENTED
    )


# -- the mechanism ---------------------------------------------------------------------------
def _shout(context: str, text: str) -> str:
    """A stand-in translation: the template's words in capitals, its fields as they are."""
    assert context == ERRORS
    return "".join(p if p.startswith("{") else p.upper() for p in re.split(r"(\{[^{}]*\})", text))


def test_an_error_is_its_english_text_and_translates_as_a_whole() -> None:
    inner = error_phrase("missing array {key!r}", key="0.weight")
    exc = saving.ModelFileError("/tmp/m.npz", inner)
    assert str(exc) == "/tmp/m.npz: missing array '0.weight'"
    assert exc.problem == "missing array '0.weight'" and exc.problem_phrase is inner
    assert exc.phrase.text(_shout) == "/tmp/m.npz: MISSING ARRAY '0.weight'"
    assert exc.problem_phrase.text(_shout) == "MISSING ARRAY '0.weight'"


def test_a_plain_string_stays_as_it_is_in_every_language() -> None:
    exc = trainer.TrainingError("not {this} time")
    assert str(exc) == "not {this} time"
    assert exc.phrase.text(lambda context, text: "translated") == "not {this} time"
    assert as_phrase("a {b}").text() == "a {b}"
    assert phrase_of(KeyError("k")).text(_shout) == "'k'"
    assert phrase_of(exc) is exc.phrase


def test_joined_phrases_translate_each_part_and_the_separator() -> None:
    parts = [error_phrase("no such file"), error_phrase("timed out"), "HTTP 404 Not Found"]
    joined = join(parts, SEMICOLON)
    assert joined.text() == "no such file; timed out; HTTP 404 Not Found"
    assert joined.text(_shout) == "NO SUCH FILE; TIMED OUT; HTTP 404 Not Found"
    listed = error_phrase("Tried:\n{tried}", tried=join(parts[:2], item="  - {}\n"))
    assert listed.text(_shout) == "TRIED:\n  - NO SUCH FILE\n  - TIMED OUT\n"


def test_ranges_read_as_before_and_translate() -> None:
    assert str(Bounds(1, 1 << 20, integer=True)) == "a whole number from 1 to 1048576"
    assert str(Bounds(0.0, 1.0, high_open=True)) == "a number from 0 below 1"
    assert str(Bounds(0, 1e-05, low_open=True)) == "a number above 0 to 1e-05"
    assert Bounds(1, 9, integer=True).phrase().text(_shout) == "A WHOLE NUMBER FROM 1 TO 9"


def test_a_damaged_model_file_translates_to_the_last_word(tmp_path: Path) -> None:
    """The nested problem of a file that is no zip reads translated too."""
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(modelfile.ModelFileError) as info:
        modelfile.load_model(path)
    english = str(info.value)
    start = f"{path}: not a handwrite model file (not a valid .npz archive ("
    assert english.startswith(start) and english.endswith("))")
    library = english.removeprefix(start).removesuffix("))")  # zipfile's own words
    shouted = info.value.phrase.text(_shout)
    assert shouted == f"{path}: NOT A HANDWRITE MODEL FILE (NOT A VALID .NPZ ARCHIVE ({library}))"


def test_a_broken_mnist_folder_translates_every_file_problem(tmp_path: Path) -> None:
    for spec in mnist.MNIST_FILES:
        (tmp_path / spec.name).write_bytes(b"\x00\x00\x08\x03" + bytes(8))
    with pytest.raises(mnist.MnistFormatError) as info:
        mnist.load_mnist(tmp_path, download=False)
    english, shouted = str(info.value), info.value.phrase.text(_shout)
    assert english.count("truncated header") == 4 and "; " in english
    assert shouted.count("TRUNCATED HEADER") == 4 and "truncated" not in shouted


def test_a_hostile_personal_set_and_an_image_translate(tmp_path: Path) -> None:
    path = tmp_path / "personal.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("evil.pkl", b"x")
    with pytest.raises(personal.PersonalDataError) as info:
        personal.PersonalDataset(path)
    assert str(info.value) == (
        f"{path}: cannot be read (unexpected entry 'evil.pkl' (not an .npy array))"
    )
    assert info.value.phrase.text(_shout) == (
        f"{path}: CANNOT BE READ (UNEXPECTED ENTRY 'evil.pkl' (NOT AN .NPY ARRAY))"
    )
    with pytest.raises(images.ImageError) as image_info:
        images.read_drawing(tmp_path)
    assert image_info.value.problem_phrase.text(_shout) == "IS A FOLDER, NOT A FILE"


def test_settings_and_divergence_translate() -> None:
    with pytest.raises(trainer.TrainingError) as info:
        trainer.TrainConfig(epochs=0).validate()
    assert str(info.value) == "epochs must be a whole number from 1 to 1000, got 0"
    assert info.value.phrase.text(_shout) == "epochs MUST BE A WHOLE NUMBER FROM 1 TO 1000, GOT 0"
    with pytest.raises(trainer.TrainingError) as info:
        trainer.TrainConfig(architecture={"layers": [{"type": "Relu"}]}).validate()
    assert info.value.phrase.text(_shout).startswith(
        "ARCHITECTURE: LAYER 0: UNKNOWN TYPE 'Relu'; DID YOU MEAN 'ReLU'? THE TYPES ARE"
    )
    failed = trainer.Failed("as it is", False, 0)
    assert failed.phrase is not None and failed.phrase.text(_shout) == "as it is"


def test_a_layer_argument_out_of_bounds_translates() -> None:
    with pytest.raises(ValueError) as info:
        layers.Dense.check_arguments({"out_features": -3})
    assert isinstance(info.value, layers.ArgumentError)
    assert str(info.value) == "Dense out_features must be a whole number from 1 to 1048576, got -3"


# -- every raise site, read from the source ----------------------------------------------------
#: Calls that make a phrase from a marked template, or pass a phrase on.
PHRASE_MAKERS = {"error_phrase", "join", "phrase_of", "Phrase"}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _mentions_phrase(annotation: ast.AST | None) -> bool:
    return annotation is not None and "Phrase" in ast.unparse(annotation)


def _takes_phrase(annotation: ast.AST | None) -> bool:
    """Whether a parameter so annotated is a phrase (not a function that takes one)."""
    return _mentions_phrase(annotation) and not ast.unparse(annotation).startswith("Callable")


class _Module:
    """What the checks need to know of one module's source."""

    def __init__(self, source: str) -> None:
        self.tree = ast.parse(source)
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
        functions = [n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef)]
        #: Functions that return a phrase.
        self.phrase_functions = {f.name for f in functions if _mentions_phrase(f.returns)}
        #: Functions (and callable parameters) that take a phrase: name -> positions.
        self.phrase_takers: dict[str, list[int]] = {}
        for f in functions:
            if f.name.startswith("__"):
                continue
            positions = [i for i, a in enumerate(f.args.args) if _takes_phrase(a.annotation)]
            if positions and f.args.args[0].arg in ("self", "cls"):
                positions = [i - 1 for i in positions]
            if positions:
                self.phrase_takers[f.name] = positions
            for a in f.args.args:
                if a.annotation is not None and ast.unparse(a.annotation).startswith(
                    "Callable[[Phrase]"
                ):
                    self.phrase_takers[a.arg] = [0]

    def function_of(self, node: ast.AST) -> ast.FunctionDef | ast.Module:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return self.tree

    def assignments(self, scope: ast.AST, name: str) -> list[tuple[str, ast.AST]]:
        """What ``scope`` assigns to ``name``: ("value", the expression) for each assignment,
        ("annotation", the type) for an annotated one."""
        found: list[tuple[str, ast.AST]] = []
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                found.append(("value", node.value))
            elif (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id == name
            ):
                found.append(("annotation", node.annotation))
        return found

    def is_phrase(self, node: ast.AST, at: ast.AST, depth: int = 0) -> bool:
        """Whether the expression ``node`` (found at ``at``) is surely a phrase."""
        if depth > 5:
            return False
        if isinstance(node, ast.Call):
            name = _name(node.func)
            return (
                name in PHRASE_MAKERS
                or name in self.phrase_functions
                or (isinstance(node.func, ast.Attribute) and name == "phrase")
            )
        if isinstance(node, ast.Attribute):
            return node.attr in ("phrase", "problem_phrase", "attempt_phrases")
        if isinstance(node, ast.IfExp):
            return self.is_phrase(node.body, at, depth + 1) and self.is_phrase(
                node.orelse, at, depth + 1
            )
        if isinstance(node, (ast.List, ast.Tuple)):
            return all(self.is_phrase(e, at, depth + 1) for e in node.elts)
        if isinstance(node, ast.Name):
            scope = self.function_of(at)
            if isinstance(scope, ast.FunctionDef):
                for a in scope.args.args + scope.args.kwonlyargs:
                    if a.arg == node.id:
                        return _mentions_phrase(a.annotation)
            found = self.assignments(scope, node.id)
            return bool(found) and all(
                _mentions_phrase(v) if kind == "annotation" else self.is_phrase(v, at, depth + 1)
                for kind, v in found
            )
        return False

    def templates(self, node: ast.AST, at: ast.AST) -> list[str] | None:
        """The templates ``node`` stands for, each marked ``QT_TRANSLATE_NOOP("Errors", ...)``;
        None when it is anything else."""
        if isinstance(node, ast.Call) and _name(node.func) == "QT_TRANSLATE_NOOP":
            context, text = node.args
            if (
                isinstance(context, ast.Constant)
                and context.value == ERRORS
                and isinstance(text, ast.Constant)
                and isinstance(text.value, str)
            ):
                return [text.value]
            return None
        if isinstance(node, ast.Name):
            assigned = self.assignments(self.function_of(at), node.id) or self.assignments(
                self.tree, node.id
            )
            values = [v for kind, v in assigned if kind == "value"]
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            assigned = self.assignments(self.tree, node.value.id)
            values = [
                value
                for kind, v in assigned
                if kind == "value" and isinstance(v, ast.Dict)
                for value in v.values
            ]
        else:
            return None
        found = [self.templates(v, at) for v in values]
        if not found or any(t is None for t in found):
            return None
        return [t for ts in found if ts is not None for t in ts]


def _message_positions(cls: type) -> tuple[list[int], list[str]]:
    """The positions and names of ``cls``'s constructor arguments that take a message."""
    import inspect

    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    names = [p.name for p in params if "Phrase" in str(p.annotation)]
    return [i for i, p in enumerate(params) if p.name in names], names


def _fields(template: str) -> set[str]:
    return {
        re.split(r"[.\[]", field)[0]
        for _, field, _, _ in string.Formatter().parse(template)
        if field is not None
    }


def check_source(source: str, own_takers: bool = True) -> list[str]:
    """The problems of one module: documented errors (or, with ``own_takers``, the module's
    functions that take a phrase) given anything but a phrase, error phrases whose template
    is not marked under "Errors" or whose fields differ from the values given, and failed
    runs without a phrase."""
    module = _Module(source)
    takers: dict[str, tuple[list[int], list[str]]] = {}
    if own_takers:
        takers = {name: (positions, []) for name, positions in module.phrase_takers.items()}
    for cls in DOCUMENTED:
        takers[cls.__name__] = _message_positions(cls)
    problems = []
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        where = f"line {node.lineno}: {ast.unparse(node)[:120]}"
        if name in takers:
            positions, keywords = takers[name]
            given = [node.args[i] for i in positions if i < len(node.args)]
            given += [k.value for k in node.keywords if k.arg in keywords]
            for arg in given:
                if not module.is_phrase(arg, node):
                    problems.append(f"{where}: not a phrase: {ast.unparse(arg)[:80]}")
        if name == "error_phrase":
            templates = module.templates(node.args[0], node) if node.args else None
            if templates is None:
                problems.append(f"{where}: the template is not marked under {ERRORS!r}")
                continue
            if any(k.arg is None for k in node.keywords):
                continue
            values = {k.arg for k in node.keywords}
            for template in templates:
                if _fields(template) != values:
                    problems.append(f"{where}: fields {sorted(_fields(template))} given {values}")
        if name == "Failed" and not (
            len(node.args) >= 5 or any(k.arg == "phrase" for k in node.keywords)
        ):
            problems.append(f"{where}: a failed run without its phrase")
    return problems


def _core_sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts)


def test_every_raise_site_passes_a_phrase() -> None:
    problems = []
    for path in _core_sources():
        problems += [f"{path.relative_to(ROOT)}: {p}" for p in check_source(path.read_text())]
    assert not problems, "\n".join(problems)


def test_the_window_raises_no_documented_error_with_a_string() -> None:
    problems = []
    for path in sorted((PACKAGE / "gui").rglob("*.py")):
        found = [p for p in check_source(path.read_text(), own_takers=False) if "Failed" not in p]
        problems += [f"{path.relative_to(ROOT)}: {p}" for p in found]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ('raise ModelFileError(path, f"bad {x}")', "not a phrase"),
        ('raise TrainingError("no training images")', "not a phrase"),
        ("raise InputError(str(exc))", "not a phrase"),
        ("raise MnistFormatError(path, problem=exc.problem)", "not a phrase"),
        (
            'raise DownloadError(error_phrase(QT_TRANSLATE_NOOP("Errors", "a")), ["b"])',
            "not a phrase",
        ),
        ('error_phrase("a {b}", b=1)', "not marked"),
        ('error_phrase(QT_TRANSLATE_NOOP("Layers", "a {b}"), b=1)', "not marked"),
        ('error_phrase(QT_TRANSLATE_NOOP("Errors", "a {b} {c:,}"), b=1)', "fields"),
        ('error_phrase(QT_TRANSLATE_NOOP("Errors", "a {b}"), b=1, c=2)', "fields"),
        (
            """
            def read(path):
                def fail(problem: Phrase) -> NoReturn:
                    raise ModelFileError(path, problem)
                fail(f"missing {key}")
            """,
            "not a phrase",
        ),
        ('yield Failed("diverged", True, 3)', "without its phrase"),
    ],
)
def test_the_check_finds_plain_strings(source: str, problem: str) -> None:
    found = check_source(textwrap.dedent(source))
    assert any(problem in p for p in found), found


def test_the_check_accepts_phrases() -> None:
    source = """
    def read(path, fail: Callable[[Phrase], NoReturn]) -> None:
        try:
            f = open_regular(path, 10)
        except InputError as exc:
            raise ModelFileError(path, exc.phrase) from None
        what = error_phrase(QT_TRANSLATE_NOOP("Errors", "{count} images"), count=3)
        fail(error_phrase(QT_TRANSLATE_NOOP("Errors", "truncated: {what}"), what=what))
        raise TrainingError(error_phrase(QT_TRANSLATE_NOOP("Errors", "{n:,} more"), n=4))
    """
    assert check_source(textwrap.dedent(source)) == []


def test_translations_reach_every_template_of_an_error() -> None:
    """Every value a real message nests (a phrase in a phrase in a join) is translated."""
    exc = mnist.MnistNotFoundError(
        error_phrase(
            "MNIST was not found. Tried:\n{tried}{manual}",
            tried=join(
                [error_phrase("{variable}: not set", variable="HANDWRITE_DATA")], item="- {}\n"
            ),
            manual=mnist._manual_instructions(Path("/data")),
        )
    )
    shouted = exc.phrase.text(_shout)
    assert "- HANDWRITE_DATA: NOT SET\n" in shouted and "TO INSTALL MNIST BY HAND" in shouted
    assert "put the four files" in str(exc) and "put the four files" not in shouted
    assert "or into any folder" not in shouted and "OR INTO ANY FOLDER" in shouted
