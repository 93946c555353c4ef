"""Reads on the category tree, with product counts (browsable products in the category or below it),
in three queries whatever the tree's size."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")


def _product_ids_by_path() -> dict[str, set[int]]:
    pairs = ProductCategory.objects.filter(product__in=Product.objects.browsable()).values_list(
        "category__path", "product_id"
    )
    by_path: dict[str, set[int]] = defaultdict(set)
    for path, product_id in pairs:
        by_path[path].add(product_id)
    return by_path


def category_tree() -> list[dict]:
    """Every public category as nested dicts: id, name, slug, depth, product_count, children."""
    categories = list(Category.objects.filter(is_public=True, ancestors_are_public=True).order_by("path"))
    by_path = _product_ids_by_path()
    nodes, roots = {}, []
    for category in categories:
        ids = (
            set().union(*(ids for path, ids in by_path.items() if path.startswith(category.path))) if by_path else set()
        )
        node = {"id": category.pk, "name": category.name, "slug": category.slug, "depth": category.depth,
                "product_count": len(ids), "children": []}  # fmt: skip
        nodes[category.path] = node
        parent = nodes.get(category.path[: -Category.steplen])
        (parent["children"] if parent and category.depth > 1 else roots).append(node)
    return roots


def category_by_slug(slug: str) -> dict | None:
    """One category (by slug) from the tree, with its subtree and its ancestors as breadcrumbs."""

    def walk(nodes, trail):
        for node in nodes:
            if node["slug"] == slug:
                return {**node, "breadcrumbs": [{"name": n["name"], "slug": n["slug"]} for n in trail]}
            found = walk(node["children"], [*trail, node])
            if found:
                return found
        return None

    return walk(category_tree(), [])


def menu_categories() -> list[dict]:
    """The header menu's categories (name, url), in one query: the top-level categories Oscar's
    `{% category_tree depth=1 %}` lists (public, not excluded from the menu), in tree order."""
    roots = Category.objects.browsable().filter(depth=1, exclude_from_menu=False).order_by("path")
    return [
        {"name": category.name,
         "url": reverse("catalogue:category", kwargs={"category_slug": category.slug, "pk": category.pk})}
        for category in roots
    ]  # fmt: skip
