"""Reading a drawing from an image file (PNG, JPEG, ...) as bright ink on a dark background.

:func:`read_drawing` is what ``handwrite predict`` reads its images with. It accepts what
image files hold in practice and converts each to one grey scale, 0 (paper) to 1 (ink):

- 1-bit, 8-bit and 16-bit grey (a 16-bit value is scaled by 65535, not clipped at 255),
  32-bit integer and float grey;
- palette images, RGB, CMYK and YCbCr, through their luminance;
- transparency (LA, RGBA, PA, a palette or grey image with a transparent colour): the image
  is composited on a background that contrasts with what is drawn, so dark ink on a
  transparent background reads as ink, and so does white ink;
- dark ink on light paper, told from the border (which is paper), is inverted.

Nothing here imports Qt. Every problem raises :class:`ImageError`, naming the file: a path
that is no regular file, a file too large, an image of more than :data:`MAX_IMAGE_PIXELS`
pixels (Pillow's decompression-bomb guard, checked from the header before decoding), an
unknown format or damaged data.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

from handwrite.translatable import (
    QT_TRANSLATE_NOOP,
    FileProblemError,
    error_phrase,
)
from handwrite.untrusted import InputError, open_regular

__all__ = ["FORMATS", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "ImageError", "read_drawing"]

#: The most pixels an image may have: 16 megapixels (a 4000x4000 scan) is far beyond any
#: drawing; a 90 KB PNG can declare 400 megapixels and take gigabytes to decode.
MAX_IMAGE_PIXELS = 16_000_000
#: The largest image file read.
MAX_IMAGE_BYTES = 100 * 1024 * 1024
#: The formats Pillow may read them as. Others (EPS, which runs Ghostscript; PDF; exotic
#: decoders) are refused before any decoder sees the bytes.
FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP", "PPM")


class ImageError(FileProblemError, ValueError):
    """An image cannot be read as a drawing; the message names the file and the problem
    (``problem_phrase``; ``problem``: its English text)."""


def read_drawing(path: str | os.PathLike[str]) -> np.ndarray:
    """The image at ``path`` as a float32 (H, W) array in [0, 1], bright ink on dark.

    Raises :class:`ImageError` for anything that is not a readable image of a sane size.
    """
    try:
        from PIL import Image, ImageOps
    except ImportError as exc:  # pragma: no cover - Pillow is a dependency
        raise ImageError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "reading images needs Pillow: {command}"),
                command="pip install pillow",
            ),
        ) from exc
    try:
        f = open_regular(path, MAX_IMAGE_BYTES)
    except FileNotFoundError:
        raise ImageError(path, error_phrase(QT_TRANSLATE_NOOP("Errors", "no such file"))) from None
    except InputError as exc:
        raise ImageError(path, exc.phrase) from None
    except (OSError, ValueError) as exc:
        raise ImageError(
            path,
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "cannot be opened ({problem})"), problem=str(exc)
            ),
        ) from None
    with f, warnings.catch_warnings():
        # Pillow warns past its own limit and raises past twice it; ours is lower, checked
        # from the header below, but the warning must not print.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(f, formats=FORMATS) as im:
                width, height = im.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ImageError(
                        path,
                        error_phrase(
                            QT_TRANSLATE_NOOP(
                                "Errors",
                                "the image is {width}x{height} pixels, more than the "
                                "{limit:,} pixels accepted",
                            ),
                            width=width,
                            height=height,
                            limit=MAX_IMAGE_PIXELS,
                        ),
                    )
                im.load()
                im = ImageOps.exif_transpose(im)
                grey = _ink_on_dark(im)
        except ImageError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageError(
                path,
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "the image is larger than the {limit:,} pixels accepted ({problem})",
                    ),
                    limit=MAX_IMAGE_PIXELS,
                    problem=str(exc),
                ),
            ) from None
        except Exception as exc:  # UnidentifiedImageError, OSError, SyntaxError, ...
            raise ImageError(
                path,
                error_phrase(
                    QT_TRANSLATE_NOOP(
                        "Errors", "not a readable {formats} image ({kind}: {problem})"
                    ),
                    formats="/".join(FORMATS),
                    kind=type(exc).__name__,
                    problem=str(exc),
                ),
            ) from None
    if grey.size == 0:
        raise ImageError(
            path, error_phrase(QT_TRANSLATE_NOOP("Errors", "the image is empty (0 pixels)"))
        )
    return grey


def _grey(im: Any) -> np.ndarray:
    """The luminance of an image without transparency, float32 (H, W) in [0, 1]."""
    mode = im.mode
    if mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        return np.asarray(im, dtype=np.float32) / np.float32(65535)
    if mode == "I":
        a = np.asarray(im, dtype=np.float64)
        # 32-bit integer grey: 16-bit data (PNG) unless the values stay within 8 bits
        scale = 65535.0 if a.size and a.max() > 255 else 255.0
        return np.clip(a / scale, 0, 1).astype(np.float32)
    if mode == "F":
        a = np.nan_to_num(np.asarray(im, dtype=np.float32))
        scale = np.float32(1.0 if a.size == 0 or a.max() <= 1.0 else 255.0)
        return np.clip(a / scale, 0, 1)
    if mode not in ("1", "L", "P", "RGB", "CMYK", "YCbCr"):
        im = im.convert("RGB")  # LAB, HSV, RGBX, ... through RGB
    return np.asarray(im.convert("L"), dtype=np.float32) / np.float32(255)


def _has_alpha(im: Any) -> bool:
    return im.mode in ("LA", "La", "RGBA", "RGBa", "PA") or (
        im.mode in ("P", "L", "RGB", "1") and "transparency" in im.info
    )


def _ink_on_dark(im: Any) -> np.ndarray:
    """The image as float32 (H, W) in [0, 1], bright ink on a dark background."""
    if _has_alpha(im):
        rgba = im.convert("RGBA")
        alpha = np.asarray(rgba.getchannel("A"), dtype=np.float32) / np.float32(255)
        grey = np.asarray(rgba.convert("L"), dtype=np.float32) / np.float32(255)
        if alpha.size and alpha.min() < 1:
            # What is drawn is opaque; its mean brightness says whether it is dark ink
            # (composite on white paper) or light ink (on black).
            weight = float(alpha.sum())
            drawn = float((grey * alpha).sum()) / weight if weight else 0.0
            paper = np.float32(1.0 if drawn < 0.5 else 0.0)
            grey = grey * alpha + paper * (1 - alpha)
    else:
        grey = _grey(im)
    if grey.size:
        border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
        if np.median(border) > 0.5:  # light paper: make the ink bright
            grey = 1.0 - grey
    return grey.astype(np.float32, copy=False)
