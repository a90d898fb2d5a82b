"""load_image over a corpus of good, bad and odd files that the test builds itself."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from dsdcn import ImageError, load_image
from dsdcn.imaging import MAX_UPLOAD_BYTES


def _save(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def _gradient_rgb(w: int = 64, h: int = 48) -> Image.Image:
    x = np.linspace(0, 255, w, dtype=np.uint8)[None, :].repeat(h, 0)
    y = np.linspace(0, 255, h, dtype=np.uint8)[:, None].repeat(w, 1)
    return Image.fromarray(np.stack([x, y, 255 - x], axis=-1), "RGB")


def _png_with_size(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims width x height (a decompression bomb)."""
    data = bytearray(_save(Image.new("L", (1, 1)), "PNG"))
    ihdr = 8  # signature, then the IHDR chunk: length(4) type(4) data(13) crc(4)
    data[ihdr + 8 : ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4 : ihdr + 21])) & 0xFFFFFFFF
    data[ihdr + 21 : ihdr + 25] = struct.pack(">I", crc)
    return bytes(data)


def _exif_rotated_jpeg() -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    return _save(image, "JPEG", exif=exif.tobytes())


def _animated_gif() -> bytes:
    """Three palette frames: red, green, blue."""
    palette = [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * (3 * 252)
    frames = []
    for index in (1, 2, 3):
        frame = Image.new("P", (16, 16), index)
        frame.putpalette(palette)
        frames.append(frame)
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


BAD = {
    "empty": b"",
    "random bytes": bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8)),
    "text": b"hello, this is not an image\n" * 20,
    "truncated png": _save(Image.effect_noise((128, 128), 64).convert("RGB"), "PNG")[:2000],
    "truncated jpeg": _save(_gradient_rgb(256, 256), "JPEG")[:600],
    "decompression bomb": _png_with_size(100_000, 100_000),
    "too many pixels": _save(Image.new("1", (9000, 9000)), "PNG"),
    "unsupported format (ICO)": _save(Image.new("RGB", (16, 16)), "ICO"),
    "header only": b"\x89PNG\r\n\x1a\n",
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_files_raise_a_readable_image_error(name: str) -> None:
    with pytest.raises(ImageError) as info:
        load_image(BAD[name])
    message = str(info.value)
    assert len(message) > 20 and "Traceback" not in message
    assert isinstance(info.value, ValueError)


def test_oversized_upload_is_refused_before_decoding() -> None:
    with pytest.raises(ImageError, match="MB"):
        load_image(b"\0" * (MAX_UPLOAD_BYTES + 1))


def test_not_bytes() -> None:
    with pytest.raises(ImageError):
        load_image("image.png")  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "BMP", "GIF", "TIFF"])
def test_supported_formats_decode_to_rgb(fmt: str) -> None:
    image = load_image(_save(_gradient_rgb(), fmt))
    assert image.mode == "RGB" and image.size == (64, 48)


def test_cmyk_jpeg() -> None:
    image = load_image(_save(Image.new("CMYK", (20, 10), (0, 255, 255, 0)), "JPEG"))
    assert image.mode == "RGB" and image.size == (20, 10)
    r, g, b = np.asarray(image)[5, 10]
    assert r > 200 and g < 60 and b < 60  # cyan 0, magenta and yellow full: red


def test_16_bit_png_keeps_its_range() -> None:
    ramp = np.linspace(0, 65535, 256, dtype=np.uint16)[None, :].repeat(4, 0)
    data = _save(Image.fromarray(ramp), "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    arr = np.asarray(load_image(data))[..., 0]
    assert arr[0, 0] == 0 and arr[0, -1] == 255 and arr[0, 128] in range(120, 136)


def test_float_tiff_is_scaled() -> None:
    arr = np.linspace(-1.0, 3.0, 64, dtype=np.float32)[None, :].repeat(8, 0)
    out = np.asarray(load_image(_save(Image.fromarray(arr, "F"), "TIFF")))[..., 0]
    assert out[0, 0] == 0 and out[0, -1] == 255


def test_palette_and_animated_gif_give_first_frame() -> None:
    image = load_image(_animated_gif())
    assert image.mode == "RGB" and image.size == (16, 16)
    assert tuple(np.asarray(image)[0, 0]) == (255, 0, 0)


def test_rgba_is_flattened_on_white() -> None:
    rgba = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    rgba.putpixel((0, 0), (10, 20, 30, 255))
    arr = np.asarray(load_image(_save(rgba, "PNG")))
    assert tuple(arr[0, 0]) == (10, 20, 30) and tuple(arr[4, 4]) == (255, 255, 255)


def test_palette_with_transparency() -> None:
    image = Image.new("P", (4, 4), 0)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.info["transparency"] = 0
    arr = np.asarray(load_image(_save(image, "PNG", transparency=0)))
    assert tuple(arr[0, 0]) == (255, 255, 255)


def test_exif_orientation_is_applied() -> None:
    image = load_image(_exif_rotated_jpeg())
    assert image.size == (20, 40)


def test_one_pixel() -> None:
    assert load_image(_save(Image.new("RGB", (1, 1), (1, 2, 3)), "PNG")).size == (1, 1)


@pytest.mark.parametrize(
    ("size", "expected"), [((5000, 2), (2048, 1)), ((3, 4000), (2, 2048)), ((3000, 1500), (2048, 1024))]
)
def test_downscaled_to_max_side_with_aspect_kept(size, expected) -> None:
    assert load_image(_save(Image.new("RGB", size, (9, 9, 9)), "PNG")).size == expected


def test_max_side_is_respected_for_jpeg_draft() -> None:
    image = load_image(_save(_gradient_rgb(1600, 1200), "JPEG"), max_side=300)
    assert image.size == (300, 225)


def test_bad_max_side() -> None:
    with pytest.raises(ValueError, match="max_side"):
        load_image(_save(_gradient_rgb(), "PNG"), max_side=0)


SEEDS = {fmt: _save(_gradient_rgb(32, 24), fmt) for fmt in ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")}


@given(
    fmt=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    cut=st.integers(0, 10_000),
)
def test_mutated_files_never_raise_anything_but_image_error(fmt: str, edits, cut: int) -> None:
    data = bytearray(SEEDS[fmt])
    for pos, value in edits:
        data[pos % len(data)] = value
    data = data[: max(cut, 1)] if cut < len(data) else data
    try:
        image = load_image(bytes(data))
    except ImageError:
        return
    assert image.mode == "RGB" and max(image.size) <= 2048
