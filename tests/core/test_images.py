"""Reading drawings from image files: every common mode read alike, hostile files refused."""

from __future__ import annotations

import os
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

import handwrite
from handwrite.images import MAX_IMAGE_PIXELS, ImageError, read_drawing
from handwrite.preprocess import preprocess

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "default.npz"


def seven(size: int = 240) -> np.ndarray:
    """A hand-drawn-looking 7: dark ink (0) on white paper (255), uint8 (size, size)."""
    im = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(im)
    s = size / 240
    draw.line([(60 * s, 50 * s), (180 * s, 50 * s)], fill=0, width=int(18 * s))
    draw.line([(180 * s, 50 * s), (105 * s, 200 * s)], fill=0, width=int(18 * s))
    draw.line([(95 * s, 125 * s), (160 * s, 125 * s)], fill=0, width=int(12 * s))
    return np.asarray(im)


def save(path: Path, im: Image.Image, **kwargs) -> Path:
    im.save(path, **kwargs)
    return path


def transparent(ink: int, rgb: bool) -> Image.Image:
    """The 7 as ``ink``-coloured strokes on a fully transparent background (whose colour
    channels are 0, as drawing programs leave them)."""
    alpha = 255 - seven()
    grey = np.where(alpha > 0, ink, 0).astype(np.uint8)
    if rgb:
        return Image.fromarray(np.dstack([grey, grey, grey, alpha]), "RGBA")
    return Image.fromarray(np.dstack([grey, alpha]), "LA")


def modes(folder: Path) -> dict[str, Path]:
    paper = seven()
    grey = Image.fromarray(paper)
    sixteen = Image.fromarray(paper.astype(np.uint16) * 257)  # 0..65535
    palette = grey.convert("RGB").quantize(colors=16)
    with_transparent_colour = grey.convert("P")
    negative = grey.point(lambda v: 255 - v).convert("RGB")
    return {
        "1-bit": save(folder / "one.png", grey.point(lambda v: 255 * (v > 127)).convert("1")),
        "16-bit grey": save(folder / "sixteen.png", sixteen),
        "palette": save(folder / "palette.png", palette),
        "palette, paper transparent": save(
            folder / "ptrans.png", with_transparent_colour, transparency=255
        ),
        "LA, dark ink on transparent": save(folder / "la.png", transparent(0, rgb=False)),
        "RGBA, dark ink on transparent": save(folder / "rgba.png", transparent(0, rgb=True)),
        "RGBA, white ink on transparent": save(folder / "white.png", transparent(255, rgb=True)),
        "CMYK": save(folder / "cmyk.tif", grey.convert("CMYK")),
        "CMYK JPEG": save(folder / "cmyk.jpg", grey.convert("CMYK"), quality=95),
        "RGB, light ink on black": save(folder / "rgb.png", negative),
    }  # fmt: skip


@pytest.fixture(scope="module")
def model():
    return handwrite.load_model(SHIPPED)


def test_every_mode_reads_like_8_bit_grey(tmp_path: Path, model) -> None:
    reference = preprocess(read_drawing(save(tmp_path / "grey.png", Image.fromarray(seven()))))
    expected = model.predict_proba(reference)[0]
    assert expected.argmax() == 7
    for mode, path in modes(tmp_path).items():
        image = preprocess(read_drawing(path))
        np.testing.assert_allclose(image, reference, atol=0.1, err_msg=mode)
        p = model.predict_proba(image)[0]
        assert p.argmax() == 7, (mode, p)
        assert p[7] == pytest.approx(expected[7], abs=0.05), mode


def test_a_16_bit_image_is_scaled_not_clipped(tmp_path: Path) -> None:
    faint = np.full((60, 60), 40_000, np.uint16)  # light grey paper
    faint[20:40, 28:32] = 2_000  # dark ink
    grey = read_drawing(save(tmp_path / "faint.png", Image.fromarray(faint)))
    assert grey[30, 30] == pytest.approx(1 - 2_000 / 65535, abs=1e-3)
    assert grey[5, 5] == pytest.approx(1 - 40_000 / 65535, abs=1e-3)


def png_declaring(path: Path, width: int, height: int, mode: str = "1") -> Path:
    """A small PNG whose header declares ``width`` x ``height`` pixels."""
    Image.new(mode, (8, 8)).save(path)
    data = bytearray(path.read_bytes())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("side", [20_000, 5_000])
def test_decompression_bombs_are_a_clear_error(tmp_path: Path, side: int) -> None:
    path = png_declaring(tmp_path / "bomb.png", side, side)
    with pytest.raises(ImageError, match=f"{MAX_IMAGE_PIXELS:,} pixels accepted") as info:
        read_drawing(path)
    assert str(path) in str(info.value)
    assert side * side > MAX_IMAGE_PIXELS


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"not an image", "not a readable"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not a readable"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a readable"),
    ],
)
def test_files_that_are_no_drawing(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(content)
    with pytest.raises(ImageError, match=match):
        read_drawing(path)
    with pytest.raises(ImageError, match="no such file"):
        read_drawing(tmp_path / "absent.png")


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_is_refused_without_waiting(tmp_path: Path, deadline) -> None:
    path = tmp_path / "drawing.png"
    os.mkfifo(path)
    with deadline(20), pytest.raises(ImageError, match="named pipe"):
        read_drawing(path)
