"""One batch of demo products as plain rows, written with one `executemany` per table
(`demodata.rows.rows_insert`): products, variants, attribute values, categories, images, stock records.

No per-row `save()`: a product with its variants, attribute values, category, image and stock was 20-30
statements and, through the receivers, a stock-transition check per record; then `bulk_create`, whose
per-field preparation of model instances was most of a 10,000-product seed. Rows refer to products by
UPC until the products are written and their ids read back.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify
from oscar.core.loading import get_model

from . import catalogue_data as data
from .images import PALETTE, product_image_bytes
from .rows import rows_insert

Product = get_model("catalogue", "Product")
ProductAttribute = get_model("catalogue", "ProductAttribute")
AttributeOption = get_model("catalogue", "AttributeOption")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")

DEMO_IMAGE_FOLDER = "images/products/demo"  # generated images, one per (shape, colour)


def product_image_file(*, shape: str, colour_name: str, made: dict[tuple[str, str], str]) -> str:
    """The storage name of the generated image for (shape, colour): one file per pair, shared by every
    product that looks like it and kept across runs (found by its fixed name), so 10,000 products write
    at most `len(SHAPES) x len(COLOURS)` JPEGs. `made` remembers the names during one run."""
    key = (shape, colour_name)
    if key not in made:
        name = f"{DEMO_IMAGE_FOLDER}/{shape}-{colour_name.lower()}.jpg"
        if not default_storage.exists(name):
            content = ContentFile(product_image_bytes(shape=shape, colour=PALETTE[colour_name]))
            name = default_storage.save(name, content)
        made[key] = name
    return made[key]


def _price(rng: random.Random, low: int, high: int) -> Decimal:
    return (
        Decimal(rng.randint(low, high)) + Decimal("0.00")
        if rng.random() < 0.5
        else Decimal(f"{rng.randint(low, high)}.95")
    )


class Batch:
    def __init__(self, *, classes, categories, partner, images: dict) -> None:
        self.classes, self.categories, self.partner, self.images_made = classes, categories, partner, images
        self.products: list[dict] = []  # top-level products
        self.children: list[tuple[str, dict]] = []  # (parent UPC, child)
        self.values: list[tuple[str, int, str, object]] = []  # (UPC, attribute id, value kind, value)
        self.links: list[tuple[str, int]] = []  # (UPC, category id)
        self.images: list[tuple[str, str, str]] = []  # (UPC, file name, caption)
        self.stock: list[tuple[str, dict]] = []  # (UPC, stock record without product)
        self.attributes = {
            (attribute.product_class_id, attribute.code): attribute.pk
            for attribute in ProductAttribute.objects.filter(product_class__in=list(classes.values()))
        }
        self.options = {
            (option.group.name, option.option): option.pk for option in AttributeOption.objects.select_related("group")
        }

    def _stock(self, *, rng: random.Random, upc: str, sku: str, price: Decimal) -> None:
        in_stock = 0 if rng.random() < 0.08 else rng.randint(1, 60)
        record = {"partner_id": self.partner.pk, "partner_sku": sku, "price": price, "price_currency": "GBP",
                  "num_in_stock": in_stock, "low_stock_threshold": 5}  # fmt: skip
        self.stock.append((upc, record))

    def add(self, *, spec: dict, rng: random.Random) -> None:
        """The rows `Product.save()` and the attribute container would write, with the same random draws."""
        kind, upc = spec["kind"], spec["upc"]
        structure = Product.PARENT if kind == "Clothing" else Product.STANDALONE
        product_class = self.classes[kind].pk
        self.products.append(
            {"upc": upc, "title": spec["title"], "slug": slugify(spec["title"]), "description": spec["description"],
             "structure": structure, "product_class_id": product_class, "parent_id": None, "is_public": True}
        )  # fmt: skip
        attribute = self.attributes.__getitem__
        colour = self.options["Colour", spec["colour"]]
        if kind == "Homeware":
            self.values.append((upc, attribute((product_class, "colour")), "option_id", colour))
            self.values.append((upc, attribute((product_class, "material")), "text", rng.choice(data.MATERIALS)))
        elif kind == "Book":
            self.values.append((upc, attribute((product_class, "author")), "text", rng.choice(data.AUTHORS)))
            self.values.append((upc, attribute((product_class, "pages")), "integer", rng.randint(120, 640)))
        self.links.append((upc, self.categories[spec["category_path"]].pk))
        image = product_image_file(shape=spec["shape"], colour_name=spec["colour"], made=self.images_made)
        self.images.append((upc, image, spec["title"]))
        if structure == Product.STANDALONE:
            low, high = (8, 140) if kind == "Homeware" else (9, 30)
            self._stock(rng=rng, upc=upc, sku=f"{upc}-1", price=_price(rng, low, high))
            return
        base_price = _price(rng, 35, 180)
        for size in data.SIZES:
            child_upc = f"{upc}-{size}"
            self.children.append(
                (upc, {"upc": child_upc, "title": f"{spec['title']}, size {size}", "description": "",
                       "slug": slugify(f"{spec['title']}-{size}"), "structure": Product.CHILD,
                       "product_class_id": None, "is_public": True})
            )  # fmt: skip
            self.values.append((child_upc, attribute((product_class, "colour")), "option_id", colour))
            self.values.append((child_upc, attribute((product_class, "size")), "option_id", self.options["Size", size]))
            self._stock(rng=rng, upc=child_upc, sku=child_upc, price=base_price)

    def write(self) -> tuple[list[int], list[int]]:
        """Insert the batch; returns the top-level products' ids and the stock records' ids."""
        rows_insert(Product, self.products)
        ids = self._ids([row["upc"] for row in self.products])
        rows_insert(Product, [{**child, "parent_id": ids[parent]} for parent, child in self.children])
        ids |= self._ids([child["upc"] for _parent, child in self.children])
        kinds = {kind for _upc, _attribute, kind, _value in self.values}
        for kind in sorted(kinds):  # one statement per value column (the rows of one call share keys)
            rows_insert(
                ProductAttributeValue,
                [{"product_id": ids[upc], "attribute_id": attribute, f"value_{kind}": value}
                 for upc, attribute, row_kind, value in self.values if row_kind == kind],
            )  # fmt: skip
        rows_insert(ProductCategory, [{"product_id": ids[upc], "category_id": c} for upc, c in self.links])
        rows_insert(
            ProductImage,
            [{"product_id": ids[upc], "original": name, "caption": caption, "display_order": 0}
             for upc, name, caption in self.images],
        )  # fmt: skip
        rows_insert(StockRecord, [{**record, "product_id": ids[upc]} for upc, record in self.stock])
        product_ids = [ids[row["upc"]] for row in self.products]
        record_ids = list(StockRecord.objects.filter(product_id__in=ids.values()).values_list("pk", flat=True))
        return product_ids, record_ids

    @staticmethod
    def _ids(upcs: list[str]) -> dict[str, int]:
        ids = {}
        for start in range(0, len(upcs), 900):  # under SQLite's old limit of 999 variables a statement
            ids.update(Product.objects.filter(upc__in=upcs[start : start + 900]).values_list("upc", "pk"))
        return ids
