"""Update the translations of the window: extract the messages, then compile them.

    python translations/update.py            # lupdate, then lrelease
    python translations/update.py --check    # change nothing; fail if anything is to do

1. ``pyside6-lupdate`` reads every ``tr()`` / ``QCoreApplication.translate()`` /
   ``QT_TRANSLATE_NOOP()`` in ``handwrite/`` (the window's texts, and the core's texts that
   the window shows, such as the layers' names and explanations, marked with
   ``handwrite.translatable.QT_TRANSLATE_NOOP``) and updates ``translations/handwrite_ja.ts``
   (new messages come in as "unfinished"; messages gone from the code are dropped) and
   ``translations/handwrite_en.ts`` (English is the source language: it holds only the
   plural forms, "%n epoch(s)" -> "1 epoch" / "2 epochs").
2. Translate the unfinished messages, e.g. with ``pyside6-linguist translations/handwrite_ja.ts``.
3. ``pyside6-lrelease`` compiles each ``.ts`` into ``resources/i18n/handwrite_<lang>.qm``,
   which the application loads (see ``handwrite/gui/language.py``).

Run it again after step 2, and commit the ``.ts`` and ``.qm`` files together.
``tests/gui/test_i18n.py`` fails when the ``.ts`` files miss a message of the code, hold an
unfinished one, or do not match the ``.qm`` files.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "handwrite"
TS_DIR = ROOT / "translations"
QM_DIR = ROOT / "resources" / "i18n"
#: Language code -> whether its .ts holds only plural forms (the source language).
LANGUAGES = {"ja": False, "en": True}


def tool(name: str) -> str:
    """The path of a PySide6 tool: next to this Python (a virtual environment), else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install PySide6) first")
    return found


def source_files() -> list[Path]:
    return sorted(SOURCES.rglob("*.py"))


def ts_path(language: str) -> Path:
    return TS_DIR / f"handwrite_{language}.ts"


def qm_path(language: str) -> Path:
    return QM_DIR / f"handwrite_{language}.qm"


def lupdate(ts: Path, language: str, plural_only: bool = False) -> None:
    """Update ``ts`` (created if missing) with the messages of :func:`source_files`."""
    command = [
        tool("pyside6-lupdate"),
        *map(str, source_files()),
        "-source-language",
        "en",
        "-target-language",
        language,
        "-no-obsolete",
        "-locations",
        "none",
        "-silent",
    ]
    if plural_only:
        command.append("-pluralonly")
    subprocess.run([*command, "-ts", str(ts)], check=True)
    # lupdate takes every "#:" comment for a note to translators and hands it to the next
    # message, however far below; here "#:" documents module attributes (Sphinx), so those
    # notes would mislead. Say what a message needs in tr()'s disambiguation instead.
    text = ts.read_text(encoding="utf-8")
    ts.write_text(_EXTRA_COMMENT.sub("", text), encoding="utf-8")


_EXTRA_COMMENT = re.compile(r"\n[ \t]*<extracomment>.*?</extracomment>", re.DOTALL)


def lrelease(ts: Path, qm: Path) -> None:
    """Compile ``ts`` into ``qm``."""
    qm.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [tool("pyside6-lrelease"), "-silent", "-removeidentical", str(ts), "-qm", str(qm)],
        check=True,
    )


def unfinished(ts: Path) -> list[str]:
    """The source texts of ``ts`` whose translation is unfinished or empty."""
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
        if translation.get("type") in ("unfinished", "vanished", "obsolete") or not all(forms):
            missing.append(message.findtext("source") or "")
    return missing


def check() -> int:
    """Say what is out of date without changing a file; 0 when nothing is."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for language, plural_only in LANGUAGES.items():
            committed = ts_path(language)
            if not committed.exists():
                problems.append(f"{committed.name} is missing")
                continue
            fresh = Path(tmp) / committed.name
            shutil.copy(committed, fresh)
            lupdate(fresh, language, plural_only)
            problems += [f"{committed.name}: not translated: {s!r}" for s in unfinished(fresh)]
            if fresh.read_bytes() != committed.read_bytes():
                problems.append(f"{committed.name} is not up to date with the code")
            qm = Path(tmp) / f"handwrite_{language}.qm"
            lrelease(committed, qm)
            if not qm_path(language).exists() or qm.read_bytes() != qm_path(language).read_bytes():
                problems.append(f"{qm_path(language).name} does not match {committed.name}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if anything is out of date"
    )
    args = parser.parse_args(argv)
    if args.check:
        return check()
    for language, plural_only in LANGUAGES.items():
        ts = ts_path(language)
        lupdate(ts, language, plural_only)
        lrelease(ts, qm_path(language))
        todo = unfinished(ts)
        relative = ts.relative_to(ROOT)
        print(f"{relative}: {len(todo)} message(s) to translate" if todo else f"{relative}: done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
