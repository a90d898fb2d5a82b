"""Make the bundled sample images of the Image lab (numpy and Pillow only, deterministic).

Run from the repository root: ``python assets/make_samples.py``. Writes ``assets/samples/*.png``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent / "samples"


def _smooth_noise(rng: np.random.Generator, h: int, w: int, scales: tuple[int, ...]) -> np.ndarray:
    # fractal value noise: random grids at several scales, upsampled bicubically and summed
    total = np.zeros((h, w), dtype=np.float64)
    amp = 1.0
    for s in scales:
        grid = rng.random((max(2, h // s + 2), max(2, w // s + 2)))
        img = Image.fromarray((grid * 255).astype(np.uint8)).resize(
            ((w // s + 2) * s, (h // s + 2) * s), Image.Resampling.BICUBIC
        )
        total += amp * (np.asarray(img, dtype=np.float64)[:h, :w] / 255.0 - 0.5)
        amp *= 0.55
    return total


def street_scene(h: int = 384, w: int = 512, seed: int = 7) -> Image.Image:
    """A photo-like street: sky and clouds, hills, a brick building with windows, a tree, grass, a road."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    # sky: vertical gradient with soft clouds
    t = yy / h
    sky = np.stack([90 + 110 * t, 150 + 80 * t, 230 + 15 * t], axis=-1)
    clouds = np.clip(_smooth_noise(rng, h, w, (96, 48, 24)) * 2.2 + 0.1, 0, 1)[..., None]
    img[:] = sky * (1 - 0.75 * clouds) + 245 * 0.75 * clouds
    # distant hills with haze
    ridge = h * 0.48 + 30 * _smooth_noise(rng, 1, w, (128, 32, 8))[0] * 2
    hills = yy > ridge[None, :]
    hill_tex = _smooth_noise(rng, h, w, (16, 4))[..., None]
    img[hills] = (np.array([96, 122, 110]) + 40 * hill_tex)[hills]
    # grass foreground
    horizon = int(h * 0.66)
    grass_tex = _smooth_noise(rng, h, w, (8, 2, 1))
    blades = 0.5 + 0.5 * np.sin(xx * 1.7 + 3 * grass_tex)
    grass = np.stack(
        [60 + 40 * grass_tex + 20 * blades, 120 + 60 * grass_tex + 25 * blades, 40 + 20 * grass_tex], -1
    )
    img[yy >= horizon] = grass[yy >= horizon]
    # road in perspective
    centre = w * 0.3
    half = 8 + (yy - horizon) * 0.9
    road = (yy >= horizon) & (np.abs(xx - centre - (yy - horizon) * 0.35) < half)
    asphalt = 95 + 25 * _smooth_noise(rng, h, w, (2, 1))
    img[road] = np.stack([asphalt, asphalt, asphalt + 5], -1)[road]
    dash = road & (np.abs(xx - centre - (yy - horizon) * 0.35) < 1 + (yy - horizon) * 0.03)
    dash &= (np.maximum(yy - horizon, 0) ** 0.8 % 14) < 7
    img[dash] = (235, 225, 170)
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(pil)
    # brick building
    bx0, by0, bx1, by1 = int(w * 0.52), int(h * 0.22), int(w * 0.92), horizon + 10
    draw.rectangle((bx0, by0, bx1, by1), fill=(150, 70, 55))
    brick_h, brick_w = 6, 16
    for row, y in enumerate(range(by0, by1, brick_h)):
        draw.line((bx0, y, bx1, y), fill=(200, 190, 175), width=1)
        offset = (row % 2) * brick_w // 2
        for x in range(bx0 + offset, bx1, brick_w):
            draw.line((x, y, x, min(y + brick_h, by1)), fill=(200, 190, 175), width=1)
    # windows with frames and reflections
    for r in range(3):
        for c in range(4):
            x0 = bx0 + 16 + c * 50
            y0 = by0 + 18 + r * 52
            draw.rectangle((x0 - 3, y0 - 3, x0 + 31, y0 + 37), fill=(235, 230, 220))
            draw.rectangle((x0, y0, x0 + 28, y0 + 34), fill=(40 + 20 * c, 60 + 10 * r, 90))
            draw.line((x0 + 14, y0, x0 + 14, y0 + 34), fill=(235, 230, 220), width=2)
            draw.line((x0, y0 + 17, x0 + 28, y0 + 17), fill=(235, 230, 220), width=2)
            draw.polygon([(x0 + 2, y0 + 2), (x0 + 10, y0 + 2), (x0 + 2, y0 + 12)], fill=(150, 170, 200))
    draw.rectangle((bx0 - 6, by0 - 10, bx1 + 6, by0), fill=(70, 60, 60))
    door_x = (bx0 + bx1) // 2 - 14
    draw.rectangle((door_x, by1 - 50, door_x + 28, by1), fill=(70, 45, 30))
    # lamp post
    draw.line((int(w * 0.46), horizon + 40, int(w * 0.46), int(h * 0.36)), fill=(30, 30, 35), width=4)
    draw.ellipse(
        (int(w * 0.46) - 8, int(h * 0.36) - 10, int(w * 0.46) + 8, int(h * 0.36) + 4), fill=(250, 240, 190)
    )
    # tree: trunk and a leafy crown of many small discs
    tx, ty = int(w * 0.14), int(h * 0.62)
    draw.polygon(
        [(tx - 7, horizon + 30), (tx + 7, horizon + 30), (tx + 4, ty - 30), (tx - 4, ty - 30)],
        fill=(80, 55, 35),
    )
    for _ in range(900):
        a = rng.random() * 2 * math.pi
        r = 70 * math.sqrt(rng.random())
        cx, cy = tx + r * math.cos(a) * 1.1, ty - 80 + r * math.sin(a) * 0.9
        s = rng.integers(2, 6)
        g = int(rng.integers(70, 150))
        draw.ellipse((cx - s, cy - s, cx + s, cy + s), fill=(int(g * 0.45), g, int(g * 0.35)))
    # soften like a lens, then a little sensor noise
    pil = pil.filter(ImageFilter.GaussianBlur(0.6))
    arr = np.asarray(pil, dtype=np.float64) + rng.normal(0, 1.2, (h, w, 3))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def line_drawing(size: int = 512) -> Image.Image:
    """Black ink on white: a house, a sun, circles, a spiral, hatching and lettering (anti-aliased)."""
    scale = 2
    s = size * scale
    pil = Image.new("L", (s, s), 255)
    d = ImageDraw.Draw(pil)
    ink = 20
    lw = 3 * scale

    def p(x: float, y: float) -> tuple[float, float]:
        return x * scale, y * scale

    # house
    d.line([p(60, 300), p(60, 450), p(260, 450), p(260, 300), p(60, 300)], fill=ink, width=lw)
    d.line([p(40, 310), p(160, 200), p(280, 310)], fill=ink, width=lw)
    d.rectangle([p(140, 370), p(185, 450)], outline=ink, width=lw)
    d.rectangle([p(85, 330), p(125, 370)], outline=ink, width=lw)
    d.line([p(105, 330), p(105, 370)], fill=ink, width=scale * 2)
    d.line([p(85, 350), p(125, 350)], fill=ink, width=scale * 2)
    # roof hatching
    for i in range(0, 110, 10):
        d.line([p(70 + i, 300), p(160, 215 + i * 0.2)], fill=ink, width=scale)
    # sun with rays
    d.ellipse([p(370, 50), p(450, 130)], outline=ink, width=lw)
    for k in range(16):
        a = 2 * math.pi * k / 16
        d.line(
            [
                p(410 + 50 * math.cos(a), 90 + 50 * math.sin(a)),
                p(410 + 75 * math.cos(a), 90 + 75 * math.sin(a)),
            ],
            fill=ink,
            width=scale * 2,
        )
    # concentric circles
    for r in range(10, 70, 12):
        d.ellipse([p(400 - r, 330 - r), p(400 + r, 330 + r)], outline=ink, width=scale * 2)
    # spiral
    pts = [p(120 + 3 * t * math.cos(t), 110 + 3 * t * math.sin(t)) for t in np.linspace(0, 6 * math.pi, 400)]
    d.line(pts, fill=ink, width=scale * 2)
    # cross-hatched square and fine parallel lines
    for i in range(0, 80, 6):
        d.line([p(300 + i, 420), p(300 + i, 490)], fill=ink, width=scale)
        d.line([p(300, 420 + i * 70 / 80), p(380, 420 + i * 70 / 80)], fill=ink, width=scale)
    for i in range(0, 60, 4):
        d.line([p(420, 420 + i), p(500, 400 + i)], fill=ink, width=scale)
    # ground line and lettering
    d.line([p(20, 452), p(290, 452)], fill=ink, width=lw)
    d.text(p(25, 480), "DILATION d = 1, 2, 4, 8", fill=ink, font_size=13 * scale)
    return pil.resize((size, size), Image.Resampling.LANCZOS)


def test_pattern(size: int = 512) -> Image.Image:
    """Four quadrants: a zone plate, a Siemens star, checkerboards of 1/2/4/8 px and sine gratings."""
    half = size // 2
    yy, xx = np.mgrid[0:half, 0:half].astype(np.float64)
    # zone plate: local frequency grows with the radius up to Nyquist at the corner
    r2 = (xx - half / 2) ** 2 + (yy - half / 2) ** 2
    zone = 0.5 + 0.5 * np.cos(math.pi * r2 / (half * 1.0))
    # Siemens star: 36 spoke pairs
    ang = np.arctan2(yy - half / 2, xx - half / 2)
    star = (np.sin(36 * ang) > 0).astype(np.float64)
    rad = np.sqrt(r2)
    star = np.where(rad < half * 0.47, star, 1.0)
    star = np.where(rad < 3, 0.5, star)
    # checkerboards, one per strip
    checks = np.zeros((half, half))
    for i, period in enumerate((1, 2, 4, 8)):
        y0, y1 = i * half // 4, (i + 1) * half // 4
        ys, xs = yy[y0:y1], xx[y0:y1]
        checks[y0:y1] = ((ys // period + xs // period) % 2).astype(np.float64)
    # sine gratings: vertical, horizontal and diagonal at several periods
    grat = np.zeros((half, half))
    third = half // 3
    grat[:third] = 0.5 + 0.5 * np.sin(2 * math.pi * xx[:third] / (3 + xx[:third] / 32))
    grat[third : 2 * third] = 0.5 + 0.5 * np.sin(2 * math.pi * yy[third : 2 * third] / 4.0)
    grat[2 * third :] = 0.5 + 0.5 * np.sin(2 * math.pi * (xx[2 * third :] + yy[2 * third :]) / 6.0)
    img = np.block([[zone, star], [checks, grat]])
    img[half - 1 : half + 1, :] = 0.5
    img[:, half - 1 : half + 1] = 0.5
    return Image.fromarray(np.rint(img * 255).astype(np.uint8), mode="L")


def favicon(size: int = 64) -> Image.Image:
    """The app's icon: the 3x3 taps of a kernel at dilation 2 (filled) on a 5x5 grid, drawn locally so
    the browser never fetches an icon from the internet."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    cell = size / 5
    for r in range(5):
        for c in range(5):
            tap = r % 2 == 0 and c % 2 == 0
            box = (c * cell + 1, r * cell + 1, (c + 1) * cell - 2, (r + 1) * cell - 2)
            draw.rectangle(box, fill=(0, 114, 178, 255) if tap else (0, 114, 178, 60))
    return img


def main() -> None:
    """Write every sample (and the app's icon) and print its size."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, image in (
        ("street_scene.png", street_scene()),
        ("line_drawing.png", line_drawing()),
        ("test_pattern.png", test_pattern()),
        ("../favicon.png", favicon()),
    ):
        path = OUT / name
        image.save(path, optimize=True)
        print(
            f"{path.name}: {image.size[0]}x{image.size[1]} {image.mode}, {path.stat().st_size / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
