"""The resources staff can import and export, by key (the key is stored on each ImportJob)."""

from __future__ import annotations

from dataclasses import dataclass

from .base import HypexResource
from .categories import CategoryResource
from .orders import OrderResource
from .products import ProductResource
from .stock import PriceResource, StockLevelResource
from .vouchers import VoucherResource


@dataclass(frozen=True)
class ResourceEntry:
    key: str
    label: str
    resource_class: type[HypexResource]
    can_import: bool
    permission: str  # the model permission an import needs (exports need the matching view_ permission)
    # True when an import changes what shoppers see in the catalogue: the import then invalidates the
    # anonymous catalogue cache after it commits (ADR 0023).
    shown_in_catalogue: bool = False

    @property
    def view_permission(self) -> str:
        app_label, codename = self.permission.split(".")
        return f"{app_label}.view_{codename.split('_', 1)[1]}"


RESOURCES: dict[str, ResourceEntry] = {
    entry.key: entry
    for entry in [
        ResourceEntry(
            "products",
            "Products (with variants, stock, prices, categories, attributes)",
            ProductResource,
            True,
            "catalogue.change_product",
            shown_in_catalogue=True,
        ),  # fmt: skip
        ResourceEntry(
            "categories", "Categories", CategoryResource, True, "catalogue.change_category", shown_in_catalogue=True
        ),
        ResourceEntry(
            "stock", "Stock levels", StockLevelResource, True, "partner.change_stockrecord", shown_in_catalogue=True
        ),
        ResourceEntry("prices", "Prices", PriceResource, True, "partner.change_stockrecord", shown_in_catalogue=True),
        ResourceEntry("vouchers", "Vouchers", VoucherResource, True, "voucher.change_voucher"),
        ResourceEntry("orders", "Orders (export only)", OrderResource, False, "order.change_order"),
    ]
}

IMPORTABLE = [key for key, entry in RESOURCES.items() if entry.can_import]

__all__ = ["IMPORTABLE", "RESOURCES", "ResourceEntry"]
