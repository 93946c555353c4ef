"""Wagtail choosers for Oscar's catalogue: products (by title, UPC or SKU) and categories.

Each viewset gives the chooser modal under /cms/choose-product/ and /cms/choose-category/, a form
widget and a StreamField block (`content.blocks.ProductChooserBlock`, `CategoryChooserBlock`).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from oscar.core.loading import get_model
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

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


class _ProductChooseMixin:
    filter_form_class = ProductSearchForm
    ordering = ("title", "pk")

    def get_object_list(self):
        # Top-level products only (standalone and parents): a variant is shown through its parent.
        return Product.objects.exclude(structure=Product.CHILD)

    @property
    def columns(self):
        return [
            self.title_column,
            Column("upc", label="UPC"),
            Column("structure", label="Kind"),
            Column("is_public", label="Public"),
        ]


class ProductChooseView(_ProductChooseMixin, ChooseView):
    pass


class ProductChooseResultsView(_ProductChooseMixin, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = Product
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
