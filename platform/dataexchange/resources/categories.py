"""Categories, one row per category, keyed by its path ("Clothing > Shirts"). Missing ancestors are
created; name, description and visibility of the category at the end of the path are set."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, widgets
from import_export.instance_loaders import BaseInstanceLoader
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from .base import HypexResource, text

Category = get_model("catalogue", "Category")
SEPARATOR = " > "


def path_parts(path: str) -> list[str]:
    return [part.strip() for part in str(path).split(">") if part.strip()]


def category_paths() -> dict[int, str]:
    """Every category's full path by id, in one query."""
    names_by_path: dict[str, str] = {}
    paths: dict[int, str] = {}
    for pk, tree_path, name in Category.objects.order_by("path").values_list("pk", "path", "name"):
        parent = names_by_path.get(tree_path[: -Category.steplen])
        full = f"{parent}{SEPARATOR}{name}" if parent else name
        names_by_path[tree_path] = full
        paths[pk] = full
    return paths


class CategoryLoader(BaseInstanceLoader):
    def __init__(self, resource, dataset=None) -> None:
        super().__init__(resource, dataset)
        self.by_path = {full: pk for pk, full in category_paths().items()}

    def get_instance(self, row):
        parts = path_parts(row.get("path") or "")
        if not parts:
            raise ValidationError({"path": "A category path is required, e.g. Clothing > Shirts."})
        pk = self.by_path.get(SEPARATOR.join(parts))
        return Category.objects.get(pk=pk) if pk else None


class CategoryResource(HypexResource):
    """Columns: path, description, is_public (name and slug follow the path)."""

    path = fields.Field(column_name="path", readonly=True)
    description = fields.Field(attribute="description", column_name="description")
    is_public = fields.Field(
        attribute="is_public", column_name="is_public", widget=widgets.BooleanWidget(coerce_to_string=False)
    )

    class Meta(HypexResource.Meta):
        model = Category
        fields = ("path", "description", "is_public")
        import_id_fields = ["path"]
        instance_loader_class = CategoryLoader
        clean_model_instances = False

    def get_queryset(self):
        return Category.objects.order_by("path")

    def export(self, queryset=None, **kwargs):
        self._paths = category_paths()
        return super().export(queryset, **kwargs)

    def dehydrate_path(self, category) -> str:
        return getattr(self, "_paths", {}).get(category.pk) or category.full_name

    def import_instance(self, instance, row, **kwargs) -> None:
        instance._hx_path = path_parts(row.get("path") or "")
        if row.get("description") is None:
            row["description"] = instance.description or ""
        if text(row.get("is_public")) == "":
            row["is_public"] = True if instance.pk is None else instance.is_public
        super().import_instance(instance, row, **kwargs)
        if any(len(part) > 255 for part in instance._hx_path):
            raise ValidationError({"path": "A category name is at most 255 characters."})

    def do_instance_save(self, instance, is_create: bool) -> None:
        if is_create:  # treebeard creates nodes; the path's missing ancestors come with it
            leaf = create_from_breadcrumbs(SEPARATOR.join(instance._hx_path))
            leaf.description, leaf.is_public = instance.description, instance.is_public
            leaf.save()
            instance.pk, instance.id, instance.name, instance.path = leaf.pk, leaf.pk, leaf.name, leaf.path
        else:
            instance.save()
