"""Smoke test of an installed handwrite: what a user gets from ``pip install handwrite-*.whl``.

    cd "$(mktemp -d)" && /path/to/venv/bin/python -I /path/to/tests/smoke/wheel_smoke.py

``.ci/run`` runs it with a fresh virtual environment holding only the wheel, from a folder
outside the checkout (``-I`` keeps the script's folder and PYTHONPATH off ``sys.path``), so
the checkout cannot stand in for the package. MNIST comes from ``HANDWRITE_DATA``; without
it the checks on MNIST digits are skipped, saying so. The window runs offscreen.

Checks, in order:
1. handwrite is the installed package, and the shipped files are inside it;
2. ``handwrite.load_model()`` (no argument) opens the shipped model, which reads MNIST test
   digits right;
3. the ``handwrite predict`` command reads PNG drawings made from MNIST digits;
4. ``handwrite desktop install`` writes an entry that runs this environment's
   ``handwrite-gui``; ``handwrite desktop uninstall`` removes it (Linux);
5. the window opens, with the shipped model; View ▸ Language's own call switches it to
   Japanese, and its menus show the titles of the shipped Japanese translation.

Not collected by pytest (the name does not start with ``test_``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

#: The menu titles the shipped handwrite_ja.qm gives the window (File, Edit, View, Help).
JAPANESE_MENUS = ["ファイル(&F)", "編集(&E)", "表示(&V)", "ヘルプ(&H)"]
ENGLISH_MENUS = ["&File", "&Edit", "&View", "&Help"]

SCRIPTS = Path(sysconfig.get_path("scripts"))


def step(text: str) -> None:
    print(f"smoke: {text}", flush=True)


def run(*argv: str, env: dict[str, str] | None = None) -> str:
    """Run one of the environment's commands; its stdout, or the failure with its output."""
    done = subprocess.run(
        [str(SCRIPTS / argv[0]), *argv[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(argv)}: status {done.returncode}\n{done.stderr}")
    return done.stdout


def check_installed_package() -> Path:
    import handwrite
    from handwrite import resources

    package = Path(handwrite.__file__).resolve().parent
    site = Path(sysconfig.get_path("purelib")).resolve()
    assert package == site / "handwrite", f"handwrite comes from {package}, not {site}"
    for path in (
        resources.default_model_path(),
        resources.translation_path("ja"),
        resources.translation_path("en"),
        resources.icon_path(),
    ):
        assert path.is_file() and path.resolve().is_relative_to(package / "_shipped"), path
    for name in ("handwrite", "handwrite-gui"):
        assert (SCRIPTS / name).is_file(), f"{name} is not installed in {SCRIPTS}"
    step(f"handwrite {handwrite.__version__} from {package}, shipped files inside it")
    return package


def mnist_test_digits() -> tuple[np.ndarray, np.ndarray] | None:
    folder = os.environ.get("HANDWRITE_DATA")
    if not folder:
        step("SKIPPED the MNIST digits: set HANDWRITE_DATA to the folder of the MNIST files")
        return None
    from handwrite.mnist import load_mnist

    data = load_mnist(folder, download=False)
    return data.test_images, data.test_labels


def check_shipped_model(digits: tuple[np.ndarray, np.ndarray] | None) -> None:
    import handwrite

    model = handwrite.load_model()
    assert model.architecture()["name"] == "cnn3y", model
    assert model.refuses, "the shipped model should answer 'not a digit'"
    if digits is None:
        step("load_model() opened the shipped cnn3y, which refuses")
        return
    images, labels = digits[0][:200], digits[1][:200]
    right = int((model.predict(images) == labels).sum())
    assert right >= 196, f"the shipped model read only {right} of 200 test digits right"
    step(f"load_model() opened the shipped cnn3y: {right}/200 MNIST test digits right")


def check_predict_command(digits: tuple[np.ndarray, np.ndarray] | None, tmp: Path) -> None:
    from PIL import Image

    from handwrite import resources

    if digits is None:
        return
    images, labels = digits
    paths = []
    for i in range(5):
        # Dark ink on white paper, enlarged 10 times, off centre: a drawing, not MNIST.
        canvas = np.zeros((360, 400), np.uint8)
        canvas[30:310, 90:370] = np.kron(images[i], np.ones((10, 10), np.uint8))
        path = tmp / f"digit{i}.png"
        Image.fromarray(255 - canvas).save(path)
        paths.append(str(path))
    rows = json.loads(
        run("handwrite", "predict", str(resources.default_model_path()), *paths, "--json")
    )
    read = [row["digit"] for row in rows]
    right = int((np.array(read) == labels[:5]).sum())
    assert right >= 4, f"handwrite predict read {read}, the digits are {labels[:5].tolist()}"
    step(f"handwrite predict read {right}/5 PNG drawings right: {read}")


def check_desktop_entry(tmp: Path) -> None:
    if not sys.platform.startswith("linux"):
        step(f"SKIPPED the desktop entry: not on Linux ({sys.platform})")
        return
    env = {**os.environ, "XDG_DATA_HOME": str(tmp / "share")}
    out = run("handwrite", "desktop", "install", env=env)
    entry = tmp / "share" / "applications" / "handwrite.desktop"
    icon = tmp / "share" / "icons" / "hicolor" / "256x256" / "apps" / "handwrite.png"
    text = entry.read_text(encoding="utf-8")
    assert f"Exec={SCRIPTS / 'handwrite-gui'} %f\n" in text, text
    assert "Name[ja]=" in text and icon.is_file(), out
    run("handwrite", "desktop", "uninstall", env=env)
    assert not entry.exists() and not icon.exists()
    step(f"handwrite desktop install/uninstall: Exec={SCRIPTS / 'handwrite-gui'}")


def check_window_in_japanese(package: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from handwrite.gui import app as app_module
    from handwrite.gui import language
    from handwrite.gui.main_window import MainWindow
    from handwrite.gui.settings import AppSettings

    app = QApplication([sys.argv[0]])
    settings = AppSettings()  # the user's file, in the temporary XDG_CONFIG_HOME
    settings.language = "en"
    settings.sync()
    seen: dict[str, Any] = {}

    def look() -> None:
        try:
            (window,) = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
            seen["model"] = window.document.path
            seen["before"] = [a.text() for a in window.menuBar().actions()]
            seen["switched"] = window.set_language("ja")  # what View ▸ Language ▸ 日本語 does
            seen["after"] = [a.text() for a in window.menuBar().actions()]
            seen["language"] = language.current()
        except BaseException as exc:  # reported below, once the window has closed
            seen["error"] = exc
        finally:
            for widget in app.topLevelWidgets():
                widget.close()

    QTimer.singleShot(0, look)
    QTimer.singleShot(120_000, lambda: app.exit(3))  # never hang CI
    started = time.perf_counter()
    status = app_module.main()
    if "error" in seen:
        raise seen["error"]
    assert status == 0, f"the window's event loop ended with status {status}"
    assert seen["model"] is not None and seen["model"].is_relative_to(package), seen["model"]
    assert seen["before"] == ENGLISH_MENUS, seen["before"]
    assert seen["switched"] and seen["language"] == "ja", seen
    assert seen["after"] == JAPANESE_MENUS, seen["after"]
    assert language.qm_path("ja").is_relative_to(package)
    assert AppSettings().language == "ja"  # remembered for the next start
    step(
        f"the window opened with {seen['model'].name} and switched to Japanese: "
        f"menus {' '.join(seen['after'])} ({time.perf_counter() - started:.1f} s)"
    )


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="handwrite-smoke-") as folder:
        tmp = Path(folder)
        # Nothing of the user's: settings, personal set, caches and menus go to tmp.
        for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
            os.environ[name] = str(tmp / name.lower())
        os.environ["HANDWRITE_HOME"] = str(tmp / "home")
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        package = check_installed_package()
        digits = mnist_test_digits()
        check_shipped_model(digits)
        check_predict_command(digits, tmp)
        check_desktop_entry(tmp)
        check_window_in_japanese(package)
    step(f"passed in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
