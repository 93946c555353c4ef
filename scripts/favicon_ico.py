"""Write static/hypex/img/favicon.ico (16, 32 and 48 px) from the shape of favicon.svg.

Pillow cannot read SVG, so the icon's two shapes (a rounded navy square and a white "H", in the SVG's
32-unit grid) are drawn here at 8x and scaled down. Run after changing favicon.svg:

    .venv/bin/python scripts/favicon_ico.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SVG_GRID = 32
SCALE = 8
NAVY = (0x1D, 0x2B, 0x53, 255)
WHITE = (255, 255, 255, 255)
CORNER = 7  # rx of the square
H_OUTLINE = [
    (9, 7),
    (13, 7),
    (13, 14),
    (19, 14),
    (19, 7),
    (23, 7),
    (23, 25),
    (19, 25),
    (19, 18),
    (13, 18),
    (13, 25),
    (9, 25),
]
SIZES = [(16, 16), (32, 32), (48, 48)]
TARGET = Path(__file__).resolve().parent.parent / "static" / "hypex" / "img" / "favicon.ico"


def favicon_image() -> Image.Image:
    side = SVG_GRID * SCALE
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=CORNER * SCALE, fill=NAVY)
    draw.polygon([(x * SCALE, y * SCALE) for x, y in H_OUTLINE], fill=WHITE)
    return image


def main() -> None:
    favicon_image().save(TARGET, format="ICO", sizes=SIZES)
    print(f"wrote {TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET}")


if __name__ == "__main__":
    main()
