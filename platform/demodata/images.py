"""Generated product images: the product's kind drawn as a flat silhouette in its colour, as JPEG bytes.

Offline and deterministic: the same (shape, colour) always gives the same bytes (Pillow only, no fonts,
no randomness). Shapes are drawn on a 100 x 100 grid (`_Canvas` scales it), at twice the final size and
then reduced, which smooths the edges. One image is made per (shape, colour) and shared by every product
that looks like it (`batch.product_image_file`), so a big catalogue costs about a hundred images, not one each.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageDraw

PALETTE = {
    "Red": (178, 34, 52),
    "Navy": (28, 42, 84),
    "Black": (38, 38, 40),
    "White": (240, 238, 232),
    "Green": (46, 110, 72),
    "Ochre": (204, 142, 36),
    "Grey": (128, 128, 132),
    "Blue": (52, 104, 178),
}
BACKGROUND = (244, 242, 238)
SHADOW = (224, 220, 213)
SUPERSAMPLE = 2

RGB = tuple[int, int, int]


def _shade(colour: RGB, factor: float) -> RGB:
    """Darker (factor < 1) or lighter (factor > 1, towards white) version of a colour."""
    if factor <= 1:
        return tuple(int(c * factor) for c in colour)  # type: ignore[return-value]
    return tuple(int(c + (255 - c) * (factor - 1)) for c in colour)  # type: ignore[return-value]


class _Canvas:
    """A square image addressed on a 100 x 100 grid; `fill` is the product colour, `line` its outline."""

    def __init__(self, size: int, colour: RGB) -> None:
        self.size = size
        self.image = Image.new("RGB", (size, size), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)
        self.fill = colour
        light = sum(colour) > 600  # white products need a visible outline and darker details
        self.line = _shade(colour, 0.55 if not light else 0.62)
        self.detail = _shade(colour, 0.72) if not light else (150, 146, 138)
        self.highlight = _shade(colour, 1.35) if not light else (252, 251, 248)
        self.width = max(2, size // 120)

    def p(self, *points: float) -> list[tuple[float, float]]:
        unit = self.size / 100
        return [(points[i] * unit, points[i + 1] * unit) for i in range(0, len(points), 2)]

    def _edge(self, outline: bool) -> dict:
        return {"outline": self.line, "width": self.width} if outline else {"outline": None, "width": 0}

    def polygon(self, *points: float, fill=None, outline=True) -> None:
        self.draw.polygon(self.p(*points), fill=fill or self.fill, **self._edge(outline))

    def ellipse(self, x0, y0, x1, y1, *, fill=None, outline=True) -> None:
        self.draw.ellipse(self.p(x0, y0, x1, y1), fill=fill or self.fill, **self._edge(outline))

    def rect(self, x0, y0, x1, y1, *, fill=None, radius: float = 0, outline=True) -> None:
        box = self.p(x0, y0, x1, y1)
        self.draw.rounded_rectangle(box, radius=radius * self.size / 100, fill=fill or self.fill, **self._edge(outline))

    def line_(self, *points: float, colour=None, width: float = 1) -> None:
        self.draw.line(self.p(*points), fill=colour or self.detail, width=max(1, int(self.width * width)))

    def arc(self, x0, y0, x1, y1, start, end, *, colour=None, width: float = 1) -> None:
        self.draw.arc(self.p(x0, y0, x1, y1), start, end, fill=colour or self.line, width=int(self.width * width))

    def shadow(self, x0: float, x1: float, y: float = 91) -> None:
        self.draw.ellipse(self.p(x0, y - 3, x1, y + 3), fill=SHADOW)

    def pattern(self, outline: list[float], draw_pattern: Callable[[ImageDraw.ImageDraw], None]) -> None:
        """Draw `draw_pattern` on a layer and keep it only inside the polygon `outline` (checks, quilting)."""
        layer = self.image.copy()
        draw_pattern(ImageDraw.Draw(layer))
        mask = Image.new("L", self.image.size, 0)
        ImageDraw.Draw(mask).polygon(self.p(*outline), fill=255)
        self.image.paste(layer, mask=mask)


# Garments ---------------------------------------------------------------------------------------------------

LONG_SLEEVES = [30, 16, 42, 13, 58, 13, 70, 16, 84, 26, 94, 74, 83, 77, 74, 40, 74, 88, 26, 88, 26, 40, 17, 77,
                6, 74, 16, 26]  # fmt: skip
GILET = [34, 14, 44, 12, 56, 12, 66, 14, 70, 22, 72, 44, 74, 88, 26, 88, 28, 44, 30, 22]


def _garment_details(c: _Canvas, *, cuffs: bool = True, hem: float = 88) -> None:
    if cuffs:  # cuff bands at the wrists
        c.line_(8, 70, 18, 73, width=2)
        c.line_(92, 70, 82, 73, width=2)
    c.line_(26, hem - 5, 74, hem - 5, width=1.2)


def _shirt(c: _Canvas, *, check: bool = False) -> None:
    c.shadow(24, 76)
    c.polygon(*LONG_SLEEVES)
    if check:

        def checks(draw: ImageDraw.ImageDraw) -> None:
            unit = c.size / 100
            for offset in range(0, 100, 8):
                for width, colour in ((3, c.detail), (1, c.highlight)):
                    draw.line([(offset * unit, 0), (offset * unit, c.size)], fill=colour, width=int(width * unit))
                    draw.line([(0, offset * unit), (c.size, offset * unit)], fill=colour, width=int(width * unit))

        c.pattern(LONG_SLEEVES, checks)
        c.draw.polygon(c.p(*LONG_SLEEVES), outline=c.line, width=c.width)
    c.polygon(42, 13, 50, 24, 38, 25, 36, 15, fill=c.highlight)  # collar points
    c.polygon(58, 13, 50, 24, 62, 25, 64, 15, fill=c.highlight)
    c.line_(50, 24, 50, 88, colour=c.line)  # placket and buttons
    for y in (34, 46, 58, 70, 82):
        c.ellipse(51, y - 1.2, 53.4, y + 1.2, fill=c.highlight, outline=False)
    c.rect(56, 34, 66, 44, fill=c.fill)  # chest pocket
    _garment_details(c)


def _jumper(c: _Canvas, *, cardigan: bool = False) -> None:
    c.shadow(24, 76)
    c.polygon(*LONG_SLEEVES)
    for x in range(28, 74, 3):  # ribbed hem
        c.line_(x, 83, x, 88, width=0.8)
    for x0 in (8, 84):  # ribbed cuffs
        c.line_(x0, 71, x0 + 9, 74, width=2.4)
    if cardigan:
        c.polygon(42, 13, 50, 38, 58, 13, fill=BACKGROUND)
        c.line_(50, 38, 50, 88, colour=c.line)
        for y in (46, 56, 66, 76):
            c.ellipse(46.5, y - 1.6, 49.7, y + 1.6, fill=c.highlight)
        for x in (36, 64):  # cables
            for y in range(26, 82, 6):
                c.arc(x - 3, y, x + 3, y + 6, 90, 270, colour=c.detail, width=1.4)
                c.arc(x - 3, y + 3, x + 3, y + 9, 270, 90, colour=c.detail, width=1.4)
    else:
        c.ellipse(40, 8, 60, 20, fill=BACKGROUND)
        c.arc(40, 8, 60, 20, 0, 180, width=3)
        for y in range(28, 80, 5):  # knit texture
            c.line_(32, y, 68, y, width=0.5)


def _jacket(c: _Canvas) -> None:
    c.shadow(24, 76)
    c.polygon(*LONG_SLEEVES)
    c.polygon(40, 12, 50, 30, 60, 12, 64, 18, 54, 36, 50, 30, 46, 36, 36, 18, fill=c.detail)  # collar
    c.line_(50, 30, 50, 88, colour=c.line, width=1.5)
    for y in (44, 56, 68, 80):
        c.ellipse(52, y - 1.5, 55, y + 1.5, fill=c.line, outline=False)
    c.rect(30, 58, 44, 74, fill=c.fill)  # pockets with flaps
    c.rect(56, 58, 70, 74, fill=c.fill)
    c.rect(30, 58, 44, 62, fill=c.detail, outline=False)
    c.rect(56, 58, 70, 62, fill=c.detail, outline=False)
    _garment_details(c)


def _gilet(c: _Canvas) -> None:
    c.shadow(24, 76)
    c.polygon(*GILET)

    def quilting(draw: ImageDraw.ImageDraw) -> None:
        unit = c.size / 100
        for offset in range(-100, 100, 9):
            draw.line([(offset * unit, 0), ((offset + 100) * unit, c.size)], fill=c.detail, width=int(unit))
            draw.line([((offset + 100) * unit, 0), (offset * unit, c.size)], fill=c.detail, width=int(unit))

    c.pattern(GILET, quilting)
    c.draw.polygon(c.p(*GILET), outline=c.line, width=c.width)
    c.polygon(44, 12, 50, 22, 56, 12, fill=BACKGROUND)
    c.line_(50, 22, 50, 88, colour=c.line, width=1.5)


# Homeware ---------------------------------------------------------------------------------------------------


def _mug(c: _Canvas) -> None:
    c.shadow(20, 72, 86)
    c.ellipse(58, 36, 86, 70, fill=None)  # handle ring
    c.ellipse(64, 43, 79, 63, fill=BACKGROUND)
    c.rect(20, 26, 68, 84, radius=6)
    c.ellipse(20, 20, 68, 32, fill=c.highlight)
    c.ellipse(23, 22, 65, 30, fill=c.detail)
    c.line_(24, 40, 24, 76, colour=c.highlight, width=2.5)


def _board(c: _Canvas) -> None:
    c.shadow(18, 82)
    c.rect(44, 8, 56, 30, radius=6)
    c.rect(18, 22, 82, 88, radius=8)
    c.ellipse(47.5, 12, 52.5, 17, fill=BACKGROUND)
    for y in (34, 44, 56, 66, 78):  # grain
        c.arc(24, y - 4, 76, y + 6, 200, 340, colour=c.detail, width=1)


def _bowl(c: _Canvas) -> None:
    c.shadow(20, 80, 84)
    c.draw.chord(c.p(12, 14, 88, 94), 0, 180, fill=c.fill, outline=c.line, width=c.width)
    c.ellipse(12, 44, 88, 64, fill=c.detail)
    c.ellipse(16, 47, 84, 61, fill=_shade(c.fill, 0.85) if sum(c.fill) < 600 else (228, 225, 218))
    c.rect(40, 86, 60, 90, fill=c.line, outline=False)


def _pan(c: _Canvas) -> None:
    c.shadow(8, 66, 80)
    c.polygon(56, 48, 94, 40, 96, 46, 58, 56, fill=c.line)  # handle
    c.ellipse(6, 30, 66, 78)
    c.ellipse(11, 34, 61, 72, fill=_shade(c.fill, 0.8) if sum(c.fill) < 600 else (222, 218, 210))
    c.arc(16, 38, 56, 66, 200, 260, colour=c.highlight, width=2)


def _desk_lamp(c: _Canvas) -> None:
    c.shadow(18, 58)
    c.ellipse(18, 82, 58, 92)
    c.line_(38, 86, 30, 50, colour=c.line, width=3)
    c.line_(30, 50, 62, 26, colour=c.line, width=3)
    c.ellipse(27, 47, 33, 53, fill=c.detail)
    c.polygon(56, 18, 72, 14, 88, 42, 66, 50)  # shade
    c.ellipse(70, 44, 82, 52, fill=(255, 236, 170))  # bulb glow


def _pendant(c: _Canvas) -> None:
    c.line_(50, 0, 50, 22, colour=(60, 58, 56), width=1.2)
    c.rect(46, 20, 54, 26, fill=c.line, outline=False)
    c.ellipse(18, 24, 82, 88)
    for y in range(32, 84, 7):  # paper ribs
        half = (32**2 - (56 - y) ** 2) ** 0.5
        c.line_(50 - half + 2, y, 50 + half - 2, y, width=0.8)


def _table_lamp(c: _Canvas) -> None:
    c.shadow(26, 74)
    c.ellipse(30, 46, 70, 90)  # glass base
    c.ellipse(38, 56, 50, 74, fill=c.highlight, outline=False)
    c.rect(47, 36, 53, 50, fill=c.line, outline=False)
    c.polygon(30, 10, 70, 10, 82, 40, 18, 40, fill=(236, 230, 214))  # linen shade


# Books ------------------------------------------------------------------------------------------------------


def _book(c: _Canvas) -> None:
    c.shadow(22, 82, 93)
    c.polygon(70, 10, 78, 14, 78, 92, 70, 88, fill=(250, 248, 240))  # page edges
    for y in range(18, 88, 4):
        c.line_(71, y, 77, y + 2, colour=(210, 205, 195), width=0.6)
    c.rect(22, 8, 72, 90, radius=1.5)  # cover
    c.rect(22, 8, 29, 90, fill=c.detail, outline=False)  # spine
    c.rect(35, 22, 66, 26, fill=c.highlight, outline=False)  # title and author bars
    c.rect(35, 30, 60, 33, fill=c.highlight, outline=False)
    c.rect(35, 76, 54, 79, fill=c.highlight, outline=False)
    c.ellipse(42, 42, 58, 62, fill=c.detail)  # emblem


SHAPES: dict[str, Callable[[_Canvas], None]] = {
    "shirt": _shirt,
    "check-shirt": lambda c: _shirt(c, check=True),
    "jumper": _jumper,
    "cardigan": lambda c: _jumper(c, cardigan=True),
    "jacket": _jacket,
    "gilet": _gilet,
    "mug": _mug,
    "board": _board,
    "bowl": _bowl,
    "pan": _pan,
    "desk-lamp": _desk_lamp,
    "pendant": _pendant,
    "table-lamp": _table_lamp,
    "book": _book,
}


def product_image_bytes(*, shape: str, colour: RGB, size: int = 600) -> bytes:
    """A square JPEG of `shape` (a key of `SHAPES`) in `colour`; the same arguments give the same bytes."""
    canvas = _Canvas(size * SUPERSAMPLE, colour)
    SHAPES[shape](canvas)
    image = canvas.image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
