"""What ``pip install .``, a wheel or pipx installs: the sdist built from the repository's
files, then the wheel built from that sdist (as ``python -m build`` does), with
setuptools' own build hooks and no network. The wheel carries every module, the shipped
model, translations and icon (and no screenshots or scripts), and, unpacked away from the
checkout, it finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

from handwrite import resources

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ("resources/i18n/handwrite_en.qm", "resources/i18n/handwrite_ja.qm")
#: The shipped files, by their names in the repository.
SHIPPED = {resources.DEFAULT_MODEL, resources.ICON, *TRANSLATIONS}


def _build(hook: str, source: Path, out: Path) -> Path:
    """Run setuptools' PEP 517 ``hook`` (build_sdist, build_wheel) in ``source``."""
    out.mkdir(exist_ok=True)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from setuptools import build_meta; print(build_meta.{hook}({str(out)!r}))",
        ],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out / done.stdout.strip().splitlines()[-1]


def _repository_files() -> list[str]:
    """The files of the checkout that git knows or would add (not those it ignores)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the build copies the files git lists")
    done = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    if done.returncode != 0:
        pytest.skip(f"not a git checkout ({done.stderr.decode().strip()})")
    return [name for name in done.stdout.decode().split("\0") if name]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sdist, wheel built from the sdist), from a copy of the checkout's files."""
    pytest.importorskip("setuptools", minversion="77", reason="pip install -e '.[test]'")
    tmp = tmp_path_factory.mktemp("packaging")
    source = tmp / "source"
    for name in _repository_files():
        if (ROOT / name).is_file():  # not a file deleted from the working tree
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    sdist = _build("build_sdist", source, tmp / "dist")
    with tarfile.open(sdist) as tar:
        tar.extractall(tmp / "unpacked", filter="data")
    unpacked = tmp / "unpacked" / sdist.name.removesuffix(".tar.gz")
    wheel = _build("build_wheel", unpacked, tmp / "dist")
    return sdist, wheel


def test_every_package_is_listed_in_pyproject() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "handwrite").rglob("__init__.py")
    }
    assert set(config["packages"]) == on_disk | {"handwrite._shipped"}
    assert config["package-dir"] == {"handwrite._shipped": "."}
    shipped = config["package-data"]["handwrite._shipped"]
    assert set(shipped) == {resources.DEFAULT_MODEL, resources.ICON, "resources/i18n/*.qm"}
    assert config["include-package-data"] is False  # else a MANIFEST.in could add files


def test_the_sdist_carries_the_shipped_files(built: tuple[Path, Path]) -> None:
    sdist, _ = built
    top = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.removeprefix(f"{top}/") for name in tar.getnames()}
        for name in SHIPPED:
            member = tar.extractfile(f"{top}/{name}")
            assert member is not None and member.read() == (ROOT / name).read_bytes(), name
    assert "pyproject.toml" in names and "README.md" in names


def test_the_wheel_carries_every_module_and_the_shipped_files_and_nothing_else(
    built: tuple[Path, Path],
) -> None:
    _, wheel = built
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for name in SHIPPED:
            assert zf.read(f"handwrite/_shipped/{name}") == (ROOT / name).read_bytes(), name
        info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entry_points = zf.read(info).decode()
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "handwrite").rglob("*.py")}
    package = {name for name in names if not name.startswith("handwrite-")}
    assert package == modules | {f"handwrite/_shipped/{name}" for name in SHIPPED} | {
        "handwrite/py.typed"
    }
    assert "[console_scripts]\nhandwrite = handwrite.cli:main" in entry_points
    assert "[gui_scripts]\nhandwrite-gui = handwrite.cli:gui_main" in entry_points


def test_the_unpacked_wheel_reads_its_own_files_away_from_the_checkout(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, wheel = built
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    check = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(site)!r})
        from pathlib import Path
        import handwrite
        from handwrite import resources
        package = Path(handwrite.__file__).parent
        assert package == Path({str(site)!r}) / "handwrite", handwrite.__file__
        for path in (resources.default_model_path(), resources.translation_path("ja"),
                     resources.icon_path()):
            assert path.is_file() and path.is_relative_to(package / "_shipped"), path
        print(handwrite.load_model().metadata["training"]["test_accuracy"])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) >= 0.99
