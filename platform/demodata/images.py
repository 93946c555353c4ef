"""Generated product images: a coloured tile with the product's initials, as JPEG bytes."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

PALETTE = {
    "Red": (178, 34, 52),
    "Navy": (28, 42, 84),
    "Black": (30, 30, 30),
    "White": (236, 234, 228),
    "Green": (46, 110, 72),
    "Ochre": (204, 142, 36),
    "Grey": (128, 128, 132),
    "Blue": (52, 104, 178),
}


def product_image_bytes(*, title: str, colour: tuple[int, int, int], size: int = 600) -> bytes:
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    inset = size // 8
    text_colour = (255, 255, 255) if sum(colour) < 450 else (30, 30, 30)
    draw.rectangle([inset, inset, size - inset, size - inset], outline=text_colour, width=max(2, size // 100))
    initials = "".join(word[0] for word in title.split()[:3]).upper()
    draw.text((size // 2, size // 2), initials, fill=text_colour, anchor="mm", font_size=size // 5)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
