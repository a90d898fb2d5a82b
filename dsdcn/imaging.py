"""Decoding and validating uploaded images: every failure is an ``ImageError`` a person can act on."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 50 * 2**20
MAX_PIXELS = 50_000_000
SUPPORTED_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "WEBP", "BMP", "GIF", "TIFF")


class ImageError(ValueError):
    """The bytes are not a usable image; the message says what to do."""


def _to_rgb(image: Image.Image) -> Image.Image:
    # high bit-depth and float greys are scaled to 8 bits, transparency is flattened onto white
    mode = image.mode
    if mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        arr = np.asarray(image, dtype=np.float64)
        if mode.startswith("I;16"):
            arr = arr / 257.0
        else:
            lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
            arr = (arr - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros_like(arr)
        grey = np.clip(np.nan_to_num(arr), 0, 255).astype(np.uint8)
        return Image.fromarray(grey, mode="L").convert("RGB")
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def load_image(data: bytes, max_side: int = 2048) -> Image.Image:
    """Decode ``data`` into an RGB image, EXIF orientation applied, longest side ``<= max_side``.

    Animated images give their first frame. Anything unusable (empty, not an image, truncated,
    too large, a decompression bomb) raises ``ImageError`` and nothing else.
    """
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 1:
        raise ValueError(f"max_side must be a positive integer, got {max_side!r}")
    _check_bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _decode(_open(data, max_side), max_side)
    except ImageError:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure becomes a readable message
        raise _decode_error(exc) from exc


def _check_bytes(data: object) -> None:
    # the upload itself: bytes, not empty, not over MAX_UPLOAD_BYTES
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError(f"expected the file's bytes, got {type(data).__name__}")
    size = len(data)
    if size == 0:
        raise ImageError("The file is empty. Choose a PNG, JPEG, WebP, BMP, GIF or TIFF image.")
    if size > MAX_UPLOAD_BYTES:
        raise ImageError(
            f"The file is {size / 2**20:.0f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB. "
            "Save a smaller or more compressed copy and try again."
        )


def _open(data: bytes | bytearray | memoryview, max_side: int) -> Image.Image:
    # the header read and checked (format, pixel count), pixels not decoded yet
    image = Image.open(io.BytesIO(bytes(data)))
    if image.format not in SUPPORTED_FORMATS:
        raise ImageError(
            f"{image.format or 'This'} images are not supported. Use PNG, JPEG, WebP, BMP, GIF or TIFF."
        )
    if image.format == "JPEG":
        # decode JPEGs at a reduced scale where that still leaves max_side pixels
        image.draft(image.mode, (max_side, max_side))
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageError("The image has no pixels. Choose another image.")
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"The image is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels); "
            f"the limit is {MAX_PIXELS / 1e6:.0f} megapixels. Resize it and try again."
        )
    return image


def _decode(image: Image.Image, max_side: int) -> Image.Image:
    # the first frame's pixels, upright, in RGB, longest side at most max_side
    image.seek(0)
    image.load()
    image = _to_rgb(ImageOps.exif_transpose(image))
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def _decode_error(exc: Exception) -> ImageError:
    # what went wrong in the decoder, as a message a person can act on
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return ImageError(
            "The image declares far more pixels than it could reasonably hold (a 'decompression "
            "bomb'), so it was not opened. Choose another image."
        )
    if isinstance(exc, UnidentifiedImageError):
        return ImageError(
            "This file is not an image that can be read. Choose a PNG, JPEG, WebP, BMP, GIF or TIFF image."
        )
    if isinstance(exc, MemoryError):
        return ImageError("The image is too large to decode in memory. Resize it and try again.")
    return ImageError(
        f"The image could not be decoded ({type(exc).__name__}); it may be truncated or damaged. "
        "Re-save it as PNG or JPEG and try again."
    )


@dataclass(frozen=True)
class ImageInfo:
    """What a file's header says, read without decoding the pixels (for notes on what loading changed).

    ``size`` is ``(width, height)`` as stored; ``frames`` counts animation frames; ``orientation`` is the
    EXIF orientation tag (1 = upright, 0 = none); ``bits`` is the sample depth where it is known.
    """

    format: str
    mode: str
    size: tuple[int, int]
    frames: int
    orientation: int
    has_alpha: bool
    bits: int


def inspect_image(data: bytes) -> ImageInfo | None:
    """Header facts of ``data``, or ``None`` where the header cannot be read. Never raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(bytes(data)))
            orientation = 0
            try:
                orientation = int(image.getexif().get(0x0112, 0) or 0)
            except Exception:  # noqa: BLE001 - a damaged EXIF block is not worth a message
                orientation = 0
            mode = image.mode
            bits = 16 if mode.startswith("I;16") else 32 if mode in ("I", "F") else 8
            if mode == "1":
                bits = 1
            has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info
            return ImageInfo(
                format=str(image.format or ""),
                mode=mode,
                size=(int(image.size[0]), int(image.size[1])),
                frames=int(getattr(image, "n_frames", 1) or 1),
                orientation=orientation,
                has_alpha=bool(has_alpha),
                bits=bits,
            )
    except Exception:  # noqa: BLE001 - load_image gives the message; this only adds notes
        return None


def image_digest(data: bytes) -> str:
    """SHA-256 of the file's bytes, hex: the image's key for caching results."""
    return hashlib.sha256(bytes(data)).hexdigest()


def thumbnail(rgb: np.ndarray, max_side: int = 512) -> np.ndarray:
    """``(H, W, 3)`` uint8 shrunk (Lanczos) so the longer side is at most ``max_side``; never enlarged."""
    if isinstance(max_side, bool) or not isinstance(max_side, int) or max_side < 1:
        raise ValueError(f"max_side must be a positive integer, got {max_side!r}")
    image = Image.fromarray(np.ascontiguousarray(rgb))
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(image)
