"""`manage.py seed_demo [--products N] [--seed S]`: a demo shop, deterministic and idempotent."""

from __future__ import annotations

import random

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from demodata import builders, site_content
from demodata.orders import orders_build


class Command(BaseCommand):
    help = "Load a demo shop: catalogue with variants and images, stock, shipping, a voucher, staff and CMS pages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--products", type=int, default=60, help="Top-level products to have (default 60).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same shop.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, products: int, seed: int, no_progress: bool, **options) -> None:
        if products < 0:
            self.stderr.write("--products must be 0 or more.")
            raise SystemExit(2)
        with disable_auditlog():  # demo data is nobody's change: not in the audit trail (ADR 0047)
            self._seed(products=products, seed=seed, no_progress=no_progress)

    def _seed(self, *, products: int, seed: int, no_progress: bool) -> None:
        rng = random.Random(seed)
        categories = builders.categories_build()
        classes = builders.product_classes_build()
        partner = builders.partner_build()
        with tqdm(total=products, desc="products", unit="product", disable=no_progress) as bar:
            created = builders.products_build(
                rng=rng, count=products, classes=classes, categories=categories, partner=partner, progress=bar.update
            )
        builders.shipping_build()
        builders.tax_rates_build()
        voucher = builders.voucher_build()
        staff = builders.staff_superuser_build()
        builders.home_page_build()
        site_content.site_content_build()
        # after the site content: a paid order's invoice keeps the merchant's contact details as they are
        # when it is issued (ADR 45)
        orders_build(staff=staff)  # demo orders in each lifecycle state (demodata/orders.py)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo shop ready: {created} product(s) created, {products} in all; voucher {voucher.code}; "
                f"staff login {builders.DEMO_ADMIN_EMAIL} / {builders.DEMO_ADMIN_PASSWORD}"
            )
        )
