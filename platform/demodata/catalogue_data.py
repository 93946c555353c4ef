"""The shape of the demo catalogue: categories, product types, names. Plain data, no database."""

from __future__ import annotations

CATEGORY_PATHS = [
    "Clothing > Shirts",
    "Clothing > Knitwear",
    "Clothing > Jackets",
    "Home > Kitchen",
    "Home > Lighting",
    "Books > Fiction",
    "Books > Non-fiction",
]

COLOURS = ["Red", "Navy", "Black", "White", "Green", "Ochre", "Grey", "Blue"]
SIZES = ["S", "M", "L", "XL"]

# (category path, product class name, nouns); clothing classes have variants by size.
CLOTHING_LINES = [
    ("Clothing > Shirts", ["Oxford Shirt", "Linen Shirt", "Flannel Shirt", "Poplin Shirt"]),
    ("Clothing > Knitwear", ["Merino Jumper", "Cable Cardigan", "Lambswool Crew"]),
    ("Clothing > Jackets", ["Waxed Jacket", "Chore Jacket", "Quilted Gilet"]),
]
HOME_LINES = [
    ("Home > Kitchen", ["Enamel Mug", "Oak Chopping Board", "Stoneware Bowl", "Copper Pan"]),
    ("Home > Lighting", ["Brass Desk Lamp", "Paper Pendant", "Glass Table Lamp"]),
]
BOOK_LINES = [
    ("Books > Fiction", ["The Quiet Harbour", "Salt and Iron", "A Winter Orchard", "The Glass Road"]),
    ("Books > Non-fiction", ["Making Things Last", "The Repair Manual", "Small Workshops", "On Craft"]),
]
AUTHORS = ["Ada Marsh", "Tom Kettle", "Rosa Vane", "Ilse Brandt", "Kofi Mensah", "Nadia Oru"]
MATERIALS = ["stoneware", "oak", "brass", "enamel", "linen paper", "copper", "glass"]

# What each product line's generated image draws (a key of `demodata.images.SHAPES`).
SHAPE_OF = {
    "Oxford Shirt": "shirt", "Linen Shirt": "shirt", "Flannel Shirt": "check-shirt", "Poplin Shirt": "shirt",
    "Merino Jumper": "jumper", "Cable Cardigan": "cardigan", "Lambswool Crew": "jumper",
    "Waxed Jacket": "jacket", "Chore Jacket": "jacket", "Quilted Gilet": "gilet",
    "Enamel Mug": "mug", "Oak Chopping Board": "board", "Stoneware Bowl": "bowl", "Copper Pan": "pan",
    "Brass Desk Lamp": "desk-lamp", "Paper Pendant": "pendant", "Glass Table Lamp": "table-lamp",
}  # fmt: skip
BOOK_SHAPE = "book"

# (name, kind, attributes) - kind picks how products of the class are generated.
PRODUCT_CLASSES = {
    "Clothing": {"requires_shipping": True, "track_stock": True},
    "Homeware": {"requires_shipping": True, "track_stock": True},
    "Book": {"requires_shipping": True, "track_stock": True},
}
