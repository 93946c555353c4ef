"""Wagtail choosers for Oscar's catalogue: products (by title, UPC or SKU) and categories.

Each viewset gives the chooser modal under /cms/choose-product/ and /cms/choose-category/, a form
widget and a StreamField block (`content.blocks.ProductChooserBlock`, `CategoryChooserBlock`).

The product chooser lists each product with its thumbnail, price (a range for a parent whose variants
differ), free stock and whether the shop shows it ("Published"/"Hidden"), from the catalogue's staff
figures (`catalogue.selectors.product_stock_and_prices`) in the one list query; a chosen product reads
the same way in the editor ("Linen Shirt · £30.00 · 25 in stock · Published").
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from oscar.core.loading import get_model
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

from catalogue.selectors import (
    CHOOSER_SQUARE_GEOMETRY,
    STOCK_LOW,
    STOCK_OUT,
    primary_image_prefetch,
    product_price_range_display,
    product_stock_and_prices,
    product_thumbnail,
)

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class _SearchForm(BaseFilterForm):
    """One search box; subclasses say which fields it matches."""

    q = forms.CharField(label="Search term", required=False, widget=forms.TextInput(attrs={"placeholder": "Search"}))

    def query(self, term: str) -> Q:
        raise NotImplementedError

    def filter(self, objects: QuerySet) -> QuerySet:
        objects = super().filter(objects)
        term = (self.cleaned_data.get("q") or "").strip()
        if term:
            objects = objects.filter(self.query(term)).distinct()
            self.is_searching = True
            self.search_query = term
        return objects


class ProductSearchForm(_SearchForm):
    def query(self, term: str) -> Q:
        return (
            Q(title__icontains=term)
            | Q(upc__iexact=term)
            | Q(stockrecords__partner_sku__iexact=term)
            | Q(children__upc__iexact=term)
            | Q(children__stockrecords__partner_sku__iexact=term)
        )


class CategorySearchForm(_SearchForm):
    def query(self, term: str) -> Q:
        return Q(name__icontains=term)


#: The chooser's thumbnails: cropped squares shown at half size.
THUMBNAIL_GEOMETRY = CHOOSER_SQUARE_GEOMETRY


def product_chooser_products():
    """Top-level products (standalone and parents; a variant is chosen through its parent) with their
    staff figures and primary image."""
    products = Product.objects.exclude(structure=Product.CHILD)
    return product_stock_and_prices(products=products).prefetch_related(primary_image_prefetch())


def _stock_text(product) -> str:
    if product.stock_state == STOCK_OUT:
        return "Out of stock"
    if product.stock_state == STOCK_LOW and product.is_parent:
        return f"{product.stock_free} in stock, a variant low"
    if product.stock_state == STOCK_LOW:
        return f"Low: {product.stock_free} left"
    return f"{product.stock_free} in stock"


def _kind_text(product) -> str:
    if product.is_parent:
        return f"{product.variant_count} variant{'' if product.variant_count == 1 else 's'}"
    return "Single product"


def _shop_text(product) -> str:
    return "Published" if product.is_public else "Hidden"


def product_chooser_title(product) -> str:
    """A chosen product as the editor shows it: title, price, stock and whether the shop shows it."""
    if not hasattr(product, "stock_state"):
        product = product_chooser_products().get(pk=product.pk)
    price = product_price_range_display(product) or "No price"
    return f"{product.get_title()} · {price} · {_stock_text(product)} · {_shop_text(product)}"


class ThumbnailColumn(Column):
    cell_template_name = "content/chooser/thumbnail_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["thumbnail"] = product_thumbnail(product=instance, geometry=THUMBNAIL_GEOMETRY)
        return context


class _ProductChooseMixin:
    filter_form_class = ProductSearchForm
    ordering = ("title", "pk")

    def get_object_list(self):
        return product_chooser_products()

    @property
    def columns(self):
        return [
            ThumbnailColumn("thumbnail", label="", accessor="pk", width="56px"),
            self.title_column,
            Column("upc", label="UPC"),
            Column("kind", label="Kind", accessor=_kind_text),
            Column("price", label="Price", accessor=lambda product: product_price_range_display(product) or "-"),
            Column("stock", label="Stock", accessor=_stock_text),
            StatusTagColumn("shop", label="Shop", accessor=_shop_text, primary=lambda product: product.is_public),
        ]


class ProductChooseView(_ProductChooseMixin, ChooseView):
    pass


class ProductChooseResultsView(_ProductChooseMixin, ChooseResultsView):
    pass


class ProductChosenView(ChosenView):
    def get_display_title(self, instance):
        return product_chooser_title(instance)


class ProductChooserWidget(BaseChooser):
    def get_display_title(self, instance):
        return product_chooser_title(instance)


class ProductChooserViewSet(ChooserViewSet):
    model = Product
    base_widget_class = ProductChooserWidget
    chosen_view_class = ProductChosenView
    icon = "tag"
    choose_one_text = "Choose a product"
    choose_another_text = "Choose another product"
    edit_item_text = "Edit product"
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView
    per_page = 20


class _CategoryChooseMixin:
    filter_form_class = CategorySearchForm
    ordering = ("path",)

    def get_object_list(self):
        return Category.objects.all()


class CategoryChooseView(_CategoryChooseMixin, ChooseView):
    pass


class CategoryChooseResultsView(_CategoryChooseMixin, ChooseResultsView):
    pass


class CategoryChooserViewSet(ChooserViewSet):
    model = Category
    icon = "folder-open-inverse"
    choose_one_text = "Choose a category"
    choose_another_text = "Choose another category"
    choose_view_class = CategoryChooseView
    choose_results_view_class = CategoryChooseResultsView
    per_page = 30


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="choose-product")
category_chooser_viewset = CategoryChooserViewSet("category_chooser", url_prefix="choose-category")
