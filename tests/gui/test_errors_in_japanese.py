"""In the Japanese window the core's errors read in Japanese: a model file that cannot be
opened, a broken MNIST folder, a hostile personal set at start and a diverging run each
show a dialog whose every sentence is Japanese, the file names and the library's own words
(zipfile's) left as they are."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from handwrite import mnist
from handwrite.gui import dialogs, language
from tests.core.synthetic import digits_like

#: Words of English that may stay in a Japanese message: names, not sentences.
NAMES = {"handwrite", "npz", "npy", "nan", "inf"}


@pytest.fixture(autouse=True)
def _japanese(qapp: Any) -> Iterator[None]:
    """The window in Japanese; English again afterwards, as the other tests expect."""
    assert language.install("ja")
    yield
    language.uninstall()


def english_words(text: str, *values: str) -> list[str]:
    """The English words left in ``text`` once the ``values`` (file names, a library's
    words) are taken out."""
    for value in values:
        text = text.replace(value, "")
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in NAMES]


def test_a_corrupt_model_file_is_explained_in_japanese(
    make_window: Any, tmp_path: Path, dialog_log: Any
) -> None:
    window = make_window()
    path = tmp_path / "broken-model.npz"
    path.write_bytes(b"\x00" * 64)
    assert not window.document.open(path)
    title, message, details = dialog_log.errors[-1]
    assert title == "モデルを開けませんでした"
    assert "「broken-model.npz」はこのプログラムで使えるモデルではありません" in message
    assert (
        "handwrite のモデルファイルではありません（正しい .npz アーカイブではありません（"
        in message
    )
    assert details is not None and details.startswith(f"{path}: handwrite のモデルファイル")
    library = "File is not a zip file"  # zipfile's own words, quoted as they came
    assert library in details
    assert english_words(message, library, path.name) == []
    assert english_words(details, library, str(path)) == []


def test_a_broken_mnist_folder_is_explained_in_japanese(
    make_window: Any, qtbot: Any, tmp_path: Path, dialog_log: Any
) -> None:
    folder = tmp_path / "mnist"
    folder.mkdir()
    for spec in mnist.MNIST_FILES:  # four IDX headers cut short
        (folder / spec.name).write_bytes(b"\x00\x00\x08\x03" + bytes(8))
    window = make_window()
    window.mnist.data_dir = folder
    with qtbot.waitCallback(timeout=20_000) as unavailable:
        window.mnist.request(lambda data: None, unavailable)
    title, message, details = dialog_log.errors[-1]
    assert title == "MNIST を読み込めませんでした"
    assert details is not None and details.count("ヘッダが途中で切れています") == 4
    assert "；" in details and "truncated" not in details
    names = [str(folder / spec.name) for spec in mnist.MNIST_FILES]
    assert english_words(message) == []
    assert english_words(details, *names, str(folder)) == []


def test_a_hostile_personal_set_at_start_is_explained_in_japanese(
    make_window: Any, tmp_path: Path, dialog_log: Any
) -> None:
    home = tmp_path / "handwrite-home"
    home.mkdir()
    path = home / "personal.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("evil.pkl", b"not an array")
    window = make_window()
    assert len(window.personal_set) == 0
    title, message, details = dialog_log.errors[0]
    assert title == "サンプルを開けませんでした"
    assert details == (
        f"{path}：読み込めません（想定外の項目 'evil.pkl' があります（.npy の配列ではありません））"
    )
    kept = re.search(r"「(personal\.unreadable-[\d-]+\.npz)」", message)
    assert kept is not None and (home / kept.group(1)).exists()
    assert english_words(message, kept.group(1)) == []
    assert english_words(details, str(path), "evil.pkl") == []


def test_a_diverging_run_is_explained_in_japanese(
    make_window: Any, dialog_log: Any, wait_idle: Any
) -> None:
    window = make_window()
    settings = replace(
        window.training_panel.settings(),
        arch="mlp",
        optimizer="sgd",
        lr=900.0,
        epochs=3,
        schedule="constant",
    )
    window.mnist.set_data(digits_like(700))
    window.run.train(settings)
    wait_idle(window)
    title, message, details = dialog_log.errors[-1]
    assert title == "学習がうまくいきませんでした"
    assert details is not None and details.startswith("学習が発散しました：エポック 1、バッチ ")
    assert "（学習率 900）。最後の正常な重みは残してあります。" in details
    assert english_words(message) == [] and english_words(details) == []


def test_the_english_window_still_shows_english(
    make_window: Any, tmp_path: Path, dialog_log: Any
) -> None:
    language.uninstall()
    window = make_window()
    path = tmp_path / "broken-model.npz"
    path.write_bytes(b"\x00" * 64)
    assert not window.document.open(path)
    _, message, details = dialog_log.errors[-1]
    assert "not a handwrite model file (not a valid .npz archive (" in message
    assert details == (
        f"{path}: not a handwrite model file (not a valid .npz archive (File is not a zip file))"
    )


def test_an_error_dialog_in_japanese_renders(qtbot: Any, tmp_path: Path) -> None:
    """The dialog itself (not the test's stand-in) with a translated core message."""
    try:
        mnist.load_mnist(tmp_path / "nowhere", download=False)
    except mnist.MnistNotFoundError as exc:
        text = dialogs.error_text(exc)
    assert text.startswith("MNIST が ") and "フォルダがありません" in text
    box = dialogs.error_box(None, "MNIST を読み込めませんでした", text.split("\n")[0], text)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert box.informativeText() == text.split("\n")[0]
    assert not box.grab().isNull()
