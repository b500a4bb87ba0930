"""``handwrite.resources``: the shipped model, translations and icon, found by every user
through one module, in a checkout and from a zipped package (the installed layout is
checked on a real wheel in test_packaging.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

import handwrite
from handwrite import resources

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_files_are_the_repository_s() -> None:
    """Whether read from the checkout or from an installed package, they are the files the
    repository keeps at its top."""
    assert resources.default_model_path().read_bytes() == (ROOT / "models/default.npz").read_bytes()
    for language in ("en", "ja"):
        shipped = resources.translation_path(language).read_bytes()
        assert shipped == (ROOT / f"resources/i18n/handwrite_{language}.qm").read_bytes()
    icon = resources.icon_path().read_bytes()
    assert icon == (ROOT / "resources/icon.png").read_bytes()
    assert icon[:8] == b"\x89PNG\r\n\x1a\n"


def test_load_model_without_a_path_opens_the_shipped_model() -> None:
    shipped = handwrite.load_model()
    same = handwrite.load_model(resources.default_model_path())
    assert shipped.architecture() == same.architecture()
    assert shipped.metadata["training"]["test_accuracy"] >= 0.99
    for mine, theirs in zip(shipped.state_dict().values(), same.state_dict().values(), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_a_language_without_a_translation_has_no_file_and_a_bad_code_is_refused() -> None:
    assert not resources.translation_path("fr").exists()
    assert resources.translation_path("pt_BR").name == "handwrite_pt_BR.qm"
    for bad in ("../../models/default", "ja/../en", "", "japanese"):
        with pytest.raises(ValueError, match="not a language code"):
            resources.translation_path(bad)


def test_from_a_zipped_package_the_files_are_copied_out_to_real_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "site.zip"
    icon = (ROOT / "resources/icon.png").read_bytes()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("handwrite/_shipped/resources/icon.png", icon)
    monkeypatch.setattr(resources, "_root", lambda: zipfile.Path(archive, "handwrite/_shipped/"))

    path = resources.icon_path()
    assert isinstance(path, Path) and path.is_file() and path.read_bytes() == icon
    assert not resources.default_model_path().exists()  # not in this package
