"""``handwrite.desktop``: the menu entry and icon installed for the current user, in a
temporary XDG_DATA_HOME; the entry checked key by key, and by ``desktop-file-validate``
(Debian's desktop-file-utils) when it is installed."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sysconfig
from pathlib import Path

import pytest

from handwrite import desktop, resources


def fake_script(folder: Path, name: str = desktop.GUI_SCRIPT) -> Path:
    """An executable file standing for the installed ``handwrite-gui``."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def read_entry(path: Path) -> dict[str, str]:
    """The keys of a desktop file's one group, read by the specification's rules (UTF-8,
    ``key=value`` lines, ``#`` comments), failing on anything else."""
    lines = path.read_bytes().decode("utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    keys: dict[str, str] = {}
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and key == key.strip() and key not in keys, line
        keys[key] = value
    return keys


def unescape_string(value: str) -> str:
    """A string value's escapes (``\\\\``, ``\\s``, ``\\n``, ``\\t``, ``\\r``) undone."""
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\":
            out.append({"\\": "\\", "s": " ", "n": "\n", "t": "\t", "r": "\r"}[value[i + 1]])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def exec_arguments(value: str) -> list[str]:
    """An Exec value split into its arguments as a desktop would (string escapes first,
    then the quoting rules; ``%%`` is a literal ``%``, field codes such as ``%f`` are
    kept)."""
    text = unescape_string(value)
    args: list[str] = []
    current: list[str] | None = None
    i = 0
    while i < len(text):
        c = text[i]
        if c == " ":
            if current is not None:
                args.append("".join(current))
                current = None
        elif c == '"':
            current = current if current is not None else []
            i += 1
            while text[i] != '"':
                if text[i] == "\\":
                    assert text[i + 1] in '"`$\\', text
                    i += 1
                current.append(text[i])
                i += 1
        else:
            current = current if current is not None else []
            current.append(c)
        i += 1
    if current is not None:
        args.append("".join(current))
    # GLib expands %% (and the field codes) before it splits the line.
    return [arg.replace("%%", "%") for arg in args]


#: Debian's desktop-file-utils; looked up before the tests empty PATH.
VALIDATOR = shutil.which("desktop-file-validate")


def validate(path: Path) -> None:
    """``desktop-file-validate``'s verdict when it is installed (hints are not errors)."""
    if VALIDATOR is None:
        return
    done = subprocess.run([VALIDATOR, str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error:" not in done.stdout and "warning:" not in done.stdout, done.stdout


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary XDG_DATA_HOME, and a PATH without the cache tools (tests that want them
    put fakes on it)."""
    data = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    return data


def test_install_writes_a_valid_entry_that_runs_the_gui_script_and_the_icon(
    home: Path, tmp_path: Path
) -> None:
    script = fake_script(tmp_path / "venv" / "bin")
    change = desktop.install(gui_script=script, platform="linux")

    entry = home / "applications" / "handwrite.desktop"
    icon = home / "icons" / "hicolor" / "256x256" / "apps" / "handwrite.png"
    assert change.files == (entry, icon)
    assert change.gui_script == script and change.refreshed == () and change.problems == ()
    assert icon.read_bytes() == resources.icon_path().read_bytes()
    keys = read_entry(entry)
    assert keys["Type"] == "Application"
    assert exec_arguments(keys["Exec"]) == [str(script), "%f"]
    assert Path(unescape_string(keys["TryExec"])) == script
    assert keys["Icon"] == "handwrite" == icon.stem
    assert keys["Terminal"] == "false"
    assert keys["Categories"].split(";")[:2] == ["Education", "Science"]
    assert keys["Categories"].endswith(";")
    assert keys["Name"] == "handwrite"
    japanese = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")  # kana and kanji
    for key in ("Name[ja]", "GenericName[ja]", "Comment[ja]"):
        assert japanese.search(keys[key]), key
    assert keys["Comment"] and keys["GenericName"] and keys["Comment"] != keys["GenericName"]
    validate(entry)
    # No half-written files are left behind.
    assert sorted(p.name for p in entry.parent.iterdir()) == ["handwrite.desktop"]


def test_an_exec_path_with_spaces_quotes_and_percent_signs_survives(
    home: Path, tmp_path: Path
) -> None:
    script = fake_script(tmp_path / 'my "envs" $HOME \\ 100% `x`' / "bin")
    desktop.install(gui_script=script, platform="linux")
    entry = home / "applications" / "handwrite.desktop"
    keys = read_entry(entry)
    assert exec_arguments(keys["Exec"]) == [str(script), "%f"]
    assert unescape_string(keys["TryExec"]) == str(script)
    validate(entry)


def test_uninstall_removes_what_install_wrote(home: Path, tmp_path: Path) -> None:
    first = desktop.install(gui_script=fake_script(tmp_path / "a"), platform="linux")
    # An icon of another size, as an earlier version with another icon would leave.
    old_icon = desktop.icon_target(home, 128)
    old_icon.parent.mkdir(parents=True)
    old_icon.write_bytes(b"old")
    other = home / "applications" / "other.desktop"
    other.write_text("[Desktop Entry]\n")

    change = desktop.uninstall(platform="linux")
    assert set(change.files) == {*first.files, old_icon}
    assert not any(path.exists() for path in change.files)
    assert other.exists()  # only handwrite's own files go
    assert desktop.uninstall(platform="linux").files == ()


def test_installing_again_points_the_entry_at_the_new_environment(
    home: Path, tmp_path: Path
) -> None:
    desktop.install(gui_script=fake_script(tmp_path / "old"), platform="linux")
    new = fake_script(tmp_path / "new")
    desktop.install(gui_script=new, platform="linux")
    keys = read_entry(home / "applications" / "handwrite.desktop")
    assert exec_arguments(keys["Exec"])[0] == str(new)


def test_the_caches_are_refreshed_only_by_the_tools_that_are_installed(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "tools"
    log = tmp_path / "calls.log"
    for name in ("update-desktop-database", "gtk-update-icon-cache"):
        tool = fake_script(tools, name)
        tool.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n')
    monkeypatch.setenv("PATH", str(tools))

    change = desktop.install(gui_script=fake_script(tmp_path / "bin"), platform="linux")
    assert change.refreshed == ("update-desktop-database", "gtk-update-icon-cache")
    assert change.problems == ()
    assert log.read_text().splitlines() == [
        f"update-desktop-database -q {home / 'applications'}",
        f"gtk-update-icon-cache -q -t -f {home / 'icons' / 'hicolor'}",
    ]

    # A tool that fails is reported, and the files stay in place.
    (tools / "gtk-update-icon-cache").write_text("#!/bin/sh\necho broken cache >&2\nexit 3\n")
    change = desktop.uninstall(platform="linux")
    assert change.problems == ("gtk-update-icon-cache exited with status 3: broken cache",)
    assert not (home / "applications" / "handwrite.desktop").exists()


def test_xdg_data_home_is_honoured_unless_relative(tmp_path: Path) -> None:
    assert desktop.data_home({"XDG_DATA_HOME": str(tmp_path), "HOME": "/h"}) == tmp_path
    fallback = Path("/h/.local/share")
    assert desktop.data_home({"XDG_DATA_HOME": "relative/dir", "HOME": "/h"}) == fallback
    assert desktop.data_home({"XDG_DATA_HOME": "", "HOME": "/h"}) == fallback
    assert desktop.data_home({"HOME": "/h"}) == fallback


@pytest.mark.parametrize(
    ("platform", "advice"),
    [("win32", "shortcut"), ("darwin", "macOS"), ("emscripten", "handwrite-gui")],
)
def test_other_platforms_get_an_error_that_says_what_to_do(
    home: Path, platform: str, advice: str
) -> None:
    for action in (desktop.install, desktop.uninstall):
        with pytest.raises(desktop.DesktopError, match=f"Linux.*{platform}.*{advice}"):
            action(platform=platform)
    assert not home.exists()


def test_the_gui_script_is_found_in_this_environment_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_bin, user_bin, on_path = tmp_path / "env", tmp_path / "user", tmp_path / "path"
    fake_script(on_path)
    schemes = {None: env_bin, sysconfig.get_preferred_scheme("user"): user_bin}
    monkeypatch.setattr(sysconfig, "get_path", lambda name, scheme=None: str(schemes[scheme]))
    monkeypatch.setenv("PATH", str(on_path))
    assert desktop.find_gui_script() == on_path / "handwrite-gui"
    fake_script(user_bin)
    assert desktop.find_gui_script() == user_bin / "handwrite-gui"
    fake_script(env_bin)
    assert desktop.find_gui_script() == env_bin / "handwrite-gui"
    (env_bin / "handwrite-gui").chmod(0o644)  # not executable: not the script
    assert desktop.find_gui_script() == user_bin / "handwrite-gui"

    monkeypatch.setenv("PATH", "")
    for folder in (env_bin, user_bin):
        os.remove(folder / "handwrite-gui")
    with pytest.raises(desktop.DesktopError, match="cannot find the handwrite-gui command"):
        desktop.find_gui_script()


def test_the_icon_size_comes_from_the_png_header() -> None:
    assert desktop.icon_size(resources.icon_path().read_bytes()) == 256
    with pytest.raises(desktop.DesktopError, match="not a PNG"):
        desktop.icon_size(b"GIF89a" + bytes(40))
    header = resources.icon_path().read_bytes()[:24]
    wide = header[:16] + (512).to_bytes(4, "big") + header[20:24]
    with pytest.raises(desktop.DesktopError, match="512x256"):
        desktop.icon_size(wide)


def test_a_relative_or_unprintable_gui_script_is_refused() -> None:
    with pytest.raises(desktop.DesktopError, match="absolute"):
        desktop.desktop_entry(Path("bin/handwrite-gui"))
    with pytest.raises(desktop.DesktopError, match="control characters"):
        desktop.desktop_entry(Path("/bin/hand\nwrite-gui"))
