"""`manage.py seed_demo [--products N] [--seed S] [--no-history]`: a demo shop, deterministic and idempotent."""

from __future__ import annotations

import random
import time

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from tqdm import tqdm

from demodata import builders, site_content
from demodata.customers import customers_build
from demodata.history import history_build
from demodata.orders import orders_build
from demodata.reviews import reviews_build


class Command(BaseCommand):
    help = (
        "Load a demo shop: catalogue with variants and images, stock, shipping, a voucher, staff, CMS pages, "
        "customers with 90 days of orders, and reviews (--no-history: without the customers and their past)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--products", type=int, default=60, help="Top-level products to have (default 60).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same shop.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Leave out the twelve customers, their 90 days of order history and their reviews (the rest "
            "of the shop, the customer@hypex.test orders included, is the same); for a shop without a past.",
        )

    def handle(self, *args, products: int, seed: int, no_progress: bool, no_history: bool, **options) -> None:
        self.verbosity = options.get("verbosity", 1)
        if products < 0:
            self.stderr.write("--products must be 0 or more.")
            raise SystemExit(2)
        with disable_auditlog():  # demo data is nobody's change: not in the audit trail (ADR 0047)
            self._seed(products=products, seed=seed, no_progress=no_progress, history=not no_history)

    def _phase(self, name: str) -> None:
        """With -v 2, how long the previous phase took (wall and CPU): where seeding spends its time."""
        wall, cpu = time.perf_counter(), time.process_time()
        if self.verbosity >= 2 and self._last is not None:
            self.stdout.write(f"  {self._last[0]}: {wall - self._last[1]:.1f} s wall, {cpu - self._last[2]:.1f} s CPU")
        self._last = (name, wall, cpu)

    def _seed(self, *, products: int, seed: int, no_progress: bool, history: bool) -> None:
        self._last = None
        rng = random.Random(seed)
        self._phase("catalogue structure")
        categories = builders.categories_build()
        classes = builders.product_classes_build()
        partner = builders.partner_build()
        self._phase("products")
        with tqdm(total=products, desc="products", unit="product", disable=no_progress) as bar:
            created = builders.products_build(
                rng=rng, count=products, classes=classes, categories=categories, partner=partner, progress=bar.update
            )
        # the rest in one transaction: a commit per step (users, orders, reviews, pages) cost more than
        # the work on a busy disk; the products above commit per batch
        with transaction.atomic():
            self._phase("shipping, tax, voucher, staff")
            builders.shipping_build()
            builders.tax_rates_build()
            voucher = builders.voucher_build()
            staff = builders.staff_superuser_build()
            self._phase("site content")
            builders.home_page_build()
            site_content.site_content_build()
            # after the site content: a paid order's invoice keeps the merchant's contact details as they are
            # when it is issued (ADR 45)
            self._phase("lifecycle orders")
            orders_build(staff=staff)  # demo orders in each lifecycle state (demodata/orders.py)
            # customers, their 90 days of orders and their reviews: own random streams, so the catalogue
            # above stays the same for a seed whatever is added here (or left out)
            if history:
                self._phase("customers")
                customers = customers_build()
                self._phase("order history")
                history_build(customers=customers, rng=random.Random(f"{seed}-history"))
                self._phase("reviews")
                reviews_build(customers=customers, rng=random.Random(f"{seed}-reviews"))
        self._phase("done")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo shop ready: {created} product(s) created, {products} in all; voucher {voucher.code}; "
                f"staff login {builders.DEMO_ADMIN_EMAIL} / {builders.DEMO_ADMIN_PASSWORD}"
            )
        )
