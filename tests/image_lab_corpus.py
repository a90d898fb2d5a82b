"""Odd and bad image files, made in memory, for the Image lab's tests (name -> (bytes, MIME type))."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image


def _save(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def _gradient(w: int = 64, h: int = 48) -> Image.Image:
    yy, xx = np.mgrid[0:h, 0:w]
    arr = np.stack([xx * 255 // max(w - 1, 1), yy * 255 // max(h - 1, 1), (xx + yy) % 256], -1)
    return Image.fromarray(arr.astype(np.uint8), "RGB")


def _bomb_png(side: int = 30_000) -> bytes:
    # a valid PNG header declaring side x side pixels, with a tiny (empty) data stream
    def chunk(tag: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload))

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def _exif_rotated() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise when shown
    return _save(_gradient(64, 32), "JPEG", exif=exif.tobytes())


def _animated_gif() -> bytes:
    frames = [Image.new("P", (40, 30), i) for i in range(3)]
    for f in frames:
        f.putpalette([v for i in range(256) for v in (i, 255 - i, (i * 7) % 256)])
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


def good_files() -> dict[str, tuple[bytes, str]]:
    """Files that load (perhaps after a conversion the page reports)."""
    g = _gradient()
    rgba = g.convert("RGBA")
    rgba.putalpha(Image.fromarray(np.tile(np.arange(64, dtype=np.uint8) * 4, (48, 1))))
    grey16 = Image.fromarray(np.arange(64 * 48, dtype=np.uint16).reshape(48, 64) * 21)
    return {
        "gradient.png": (_save(g, "PNG"), "image/png"),
        "gradient.jpg": (_save(g, "JPEG", quality=90), "image/jpeg"),
        "gradient.webp": (_save(g, "WEBP"), "image/webp"),
        "gradient.bmp": (_save(g, "BMP"), "image/bmp"),
        "gradient.tiff": (_save(g, "TIFF"), "image/tiff"),
        "palette.gif": (_save(g.convert("P", palette=Image.Palette.ADAPTIVE), "GIF"), "image/gif"),
        "animated.gif": (_animated_gif(), "image/gif"),
        "cmyk.jpg": (_save(g.convert("CMYK"), "JPEG"), "image/jpeg"),
        "grey16.png": (_save(grey16, "PNG"), "image/png"),
        "rgba.png": (_save(rgba, "PNG"), "image/png"),
        "exif_rotated.jpg": (_exif_rotated(), "image/jpeg"),
        "one_pixel.png": (_save(Image.new("RGB", (1, 1), (200, 30, 30)), "PNG"), "image/png"),
        "tall_strip.png": (_save(_gradient(3, 2000), "PNG"), "image/png"),
        "wide_strip.png": (_save(_gradient(4000, 2), "PNG"), "image/png"),
    }


def bad_files() -> dict[str, tuple[bytes, str]]:
    """Files that cannot be used: each must give a message, never a traceback."""
    png = _save(_gradient(), "PNG")
    return {
        "empty.png": (b"", "image/png"),
        "random.png": (np.random.default_rng(0).bytes(2048), "image/png"),
        "notes.png": (b"this is a text file, not an image\n" * 20, "image/png"),
        "truncated.png": (png[: len(png) // 2], "image/png"),
        "bomb.png": (_bomb_png(), "image/png"),
    }
