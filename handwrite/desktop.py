"""The window in the desktop's menu, for the current user on Linux (and other desktops that
follow freedesktop.org): ``handwrite desktop install`` and ``handwrite desktop uninstall``.

    $XDG_DATA_HOME (default ~/.local/share)
        applications/handwrite.desktop              the menu entry (Desktop Entry
                                                    Specification 1.4); Exec: the absolute
                                                    path of the installed handwrite-gui
        icons/hicolor/256x256/apps/handwrite.png    the icon (Icon Theme Specification),
                                                    copied from handwrite.resources.icon_path

The entry runs the ``handwrite-gui`` script of the environment handwrite is installed in (a
virtual environment, pipx's, or the user's), so it works without activating anything; its
``TryExec`` hides it from the menu once that environment is deleted. Afterwards
``update-desktop-database`` and ``gtk-update-icon-cache`` refresh the menu's and the icons'
caches, when they are installed: the desktops that have no such cache find the files anyway.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from handwrite import resources

#: The desktop file's name without ``.desktop``, also the icon's name in the theme (the
#: window sets it as its desktop file name, so that the desktop matches window and entry).
APP_ID = "handwrite"
#: The command that opens the window without a console (``[project.gui-scripts]``).
GUI_SCRIPT = "handwrite-gui"

# Desktop Entry Specification, "The Exec key": an argument holding one of these is quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class DesktopError(Exception):
    """The entry cannot be installed or removed; the message says why and what to do."""


@dataclass(frozen=True)
class DesktopChange:
    """What :func:`install` or :func:`uninstall` did.

    ``files``: the files written (or removed); ``gui_script``: the command the entry runs
    (install only); ``refreshed``: the cache tools that ran; ``problems``: what went wrong
    refreshing the caches (the files are in place regardless: the menu shows the entry at
    its next scan, at the latest after logging in again).
    """

    files: tuple[Path, ...]
    gui_script: Path | None = None
    refreshed: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


def data_home(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset, empty or relative (the
    XDG Base Directory Specification says to ignore a relative one)."""
    value = environ.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path(environ.get("HOME") or Path.home()) / ".local" / "share"


def entry_path(home: Path) -> Path:
    """Where the desktop file goes under the data folder ``home``."""
    return home / "applications" / f"{APP_ID}.desktop"


def icon_size(png: bytes) -> int:
    """The width of a square PNG icon, read from its header (the theme's folder is named
    after it: ``256x256``)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise DesktopError(f"the shipped icon {resources.icon_path()} is not a PNG image")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    if width != height:
        raise DesktopError(f"the shipped icon is {width}x{height}: a theme icon must be square")
    return width


def icon_target(home: Path, size: int) -> Path:
    """Where the icon goes under the data folder ``home``: the hicolor theme, the fallback
    every icon theme inherits."""
    return home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def find_gui_script() -> Path:
    """The ``handwrite-gui`` script installed with this handwrite: in this Python
    environment's scripts folder (a virtual environment's ``bin``), the user's (``pip
    install --user``), or else on ``PATH``."""
    folders = [sysconfig.get_path("scripts")]
    try:
        folders.append(sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user")))
    except KeyError:  # a Python built without a user scheme
        pass
    for folder in folders:
        candidate = Path(folder, GUI_SCRIPT)
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate.absolute()
    found = shutil.which(GUI_SCRIPT)
    if found:
        return Path(found).absolute()
    raise DesktopError(
        f"cannot find the {GUI_SCRIPT} command (looked in {' and '.join(folders)}, and on "
        "PATH): install handwrite first (pip install . or pip install -e ., pipx install .), "
        "then run this again from the same environment"
    )


def _exec_argument(text: str) -> str:
    """One argument of an Exec value: quoted when it holds a reserved character, with
    ``%`` doubled (Desktop Entry Specification, "The Exec key")."""
    if any(ord(c) < 32 or c == "\x7f" for c in text):
        raise DesktopError(f"{text!r}: a path with control characters cannot go on an Exec line")
    if any(c in _RESERVED for c in text):
        text = '"' + "".join("\\" + c if c in '"`$\\' else c for c in text) + '"'
    return text.replace("%", "%%")


def _string_value(text: str) -> str:
    """A value of type string or localestring: backslashes escaped ("Possible value
    types"); the values written here hold no newline or tab."""
    return text.replace("\\", "\\\\")


def desktop_entry(gui_script: Path) -> str:
    """The text of ``handwrite.desktop``, running the absolute path ``gui_script`` (with a
    model file dropped on the entry as its argument: ``%f``)."""
    if not gui_script.is_absolute():
        raise DesktopError(f"the Exec line needs an absolute path, not {gui_script}")
    command = _string_value(_exec_argument(str(gui_script)))
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=handwrite",
        "Name[ja]=handwrite 手書き数字認識",
        "GenericName=Handwritten Digit Recognition",
        "GenericName[ja]=手書き数字認識",
        "Comment=Draw a digit and watch a neural network written from scratch recognise it, "
        "learn and show what it learned",
        "Comment[ja]=数字を書くと、ゼロから実装したニューラルネットワークが認識します。"
        "学習の様子と学んだことも見られます",
        f"Exec={command} %f",
        f"TryExec={_string_value(str(gui_script))}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "StartupNotify=true",
        "Categories=Education;Science;ArtificialIntelligence;",
        "Keywords=digits;handwriting;MNIST;neural network;deep learning;",
        "Keywords[ja]=数字;手書き;ニューラルネットワーク;深層学習;MNIST;",
    ]
    return "\n".join(lines) + "\n"


def _check_platform(platform: str | None) -> None:
    """Raise :class:`DesktopError` unless ``platform`` (default: ``sys.platform``) has
    freedesktop.org menus, saying what to do instead."""
    platform = platform or sys.platform
    if platform.startswith("linux") or "bsd" in platform:
        return
    if platform in ("win32", "cygwin"):
        where = (
            f"on Windows, pip put {GUI_SCRIPT}.exe (it opens no console window) in the "
            "Scripts folder of the Python environment handwrite is installed in: pin it to "
            "Start or make a shortcut to it"
        )
    elif platform == "darwin":
        where = f"on macOS, start the window with {GUI_SCRIPT} (or handwrite) from a terminal"
    else:
        where = f"start the window with {GUI_SCRIPT} (or handwrite)"
    raise DesktopError(
        f"desktop entries are for Linux desktops (freedesktop.org menus), not {platform}; " + where
    )


def _write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename, so that a menu
    scanning the folder never reads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_bytes(data)
    os.replace(partial, target)


def _refresh_caches(home: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Run the cache tools that are installed over the folders written; returns the tools
    that ran and what went wrong."""
    commands = {
        "update-desktop-database": ["-q", str(home / "applications")],
        # -t: the user's hicolor folder has no index.theme of its own.
        "gtk-update-icon-cache": ["-q", "-t", "-f", str(home / "icons" / "hicolor")],
    }
    ran: list[str] = []
    problems: list[str] = []
    for tool, args in commands.items():
        executable = shutil.which(tool)
        if executable is None or not Path(args[-1]).is_dir():
            continue
        ran.append(tool)
        try:
            done = subprocess.run(
                [executable, *args], capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(f"{tool} failed: {exc}")
            continue
        if done.returncode != 0:
            output = " ".join((done.stderr or done.stdout).split())
            problems.append(f"{tool} exited with status {done.returncode}: {output}")
    return tuple(ran), tuple(problems)


def install(
    home: Path | None = None, gui_script: Path | None = None, platform: str | None = None
) -> DesktopChange:
    """Put the window in the current user's desktop menu: write the desktop file and the
    icon under ``home`` (default: :func:`data_home`), running ``gui_script`` (default:
    :func:`find_gui_script`). Installing again replaces both (e.g. for another
    environment). Raises :class:`DesktopError` on a ``platform`` (default: ``sys.platform``)
    without freedesktop.org menus, and when the script is missing or a file cannot be
    written."""
    _check_platform(platform)
    home = home if home is not None else data_home()
    script = gui_script if gui_script is not None else find_gui_script()
    entry = desktop_entry(script)
    try:
        png = resources.icon_path().read_bytes()
    except OSError as exc:
        raise DesktopError(f"the shipped icon is missing ({exc}): reinstall handwrite") from exc
    targets = (entry_path(home), icon_target(home, icon_size(png)))
    try:
        _write(targets[0], entry.encode("utf-8"))
        _write(targets[1], png)
    except OSError as exc:
        raise DesktopError(f"cannot write the desktop entry: {exc}") from exc
    ran, problems = _refresh_caches(home)
    return DesktopChange(targets, script, ran, problems)


def uninstall(home: Path | None = None, platform: str | None = None) -> DesktopChange:
    """Remove what :func:`install` wrote under ``home`` (default: :func:`data_home`): the
    desktop file and the icon at any size. Nothing there is not an error (``files`` is
    empty)."""
    _check_platform(platform)
    home = home if home is not None else data_home()
    candidates = [entry_path(home), *sorted(home.glob(f"icons/hicolor/*/apps/{APP_ID}.png"))]
    removed: list[Path] = []
    for path in candidates:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DesktopError(f"cannot remove {path}: {exc}") from exc
        removed.append(path)
    if not removed:
        return DesktopChange(())
    ran, problems = _refresh_caches(home)
    return DesktopChange(tuple(removed), None, ran, problems)
