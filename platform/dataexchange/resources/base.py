"""What every Hypex import/export resource shares: progress reports, formula un-escaping, row lists."""

from __future__ import annotations

from collections.abc import Callable
from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from import_export import resources, widgets
from import_export.results import RowResult

from apibase.fields import decimal_parse
from apibase.money import money_round

from ..formats import NUL, cell_unescape

ProgressCallback = Callable[[int, int], None]
NUL_CELL_ERROR = "This cell holds a NUL character (\\x00), which is not text. Remove it and upload the file again."


class HypexResource(resources.ModelResource):
    """A ModelResource that reports progress every `progress_every` rows and reads back escaped cells.

    `progress(done, total)` is called from inside the import transaction, so it must not write to the
    database (the services publish to the cache, which other processes read).
    """

    progress_every = 250

    def __init__(self, *, progress: ProgressCallback | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._progress = progress
        self._rows_seen = 0
        self._rows_total = 0
        resource = self

        class _RowResult(RowResult):
            def add_instance_info(self, instance) -> None:
                if instance is not None:
                    self.object_id = getattr(instance, "pk", None)
                    self.object_repr = resource.instance_repr(instance)

        self._row_result_class = _RowResult

    def get_row_result_class(self):
        return self._row_result_class

    def instance_repr(self, instance) -> str:
        """How a row's object is named on the dry-run page (override where str() would query)."""
        return str(instance)

    class Meta:
        skip_diff = True  # no per-row HTML diffs: we report create/update/reject, and it halves the work
        report_skipped = True  # one RowResult per data row, so result.rows[i] is data row i + 1
        clean_model_instances = True

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._rows_seen = 0
        self._rows_total = len(dataset)
        if self._progress:
            self._progress(0, self._rows_total)

    def before_import_row(self, row, **kwargs) -> None:
        for key, value in row.items():  # XLSX gives None for an empty cell, CSV gives "": read both as ""
            row[key] = "" if value is None else cell_unescape(value)
        nul_cells = [key for key, value in row.items() if isinstance(value, str) and NUL in value]
        if nul_cells:  # not text: PostgreSQL refuses it, and on SQLite it would be stored as a hidden cut
            raise ValidationError({key: [NUL_CELL_ERROR] for key in nul_cells})
        super().before_import_row(row, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        self._rows_seen += 1
        if self._progress and (self._rows_seen % self.progress_every == 0 or self._rows_seen == self._rows_total):
            self._progress(self._rows_seen, self._rows_total)
        return row_result

    def after_import(self, dataset, result, **kwargs) -> None:
        # ModelResource resets SQL sequences after creating rows with explicit ids; we never import ids.
        return None


def text(value) -> str:
    """A cell as stripped text ("" for empty cells, numbers as written)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class WholeNumberWidget(widgets.Widget):
    """An integer cell; "" is empty; anything else that is not a whole number is a field error."""

    def clean(self, value, row=None, **kwargs):
        raw = text(value)
        if raw == "":
            return None
        try:
            number = decimal_parse(raw)
        except ValueError:
            number = None
        if number is None or number != number.to_integral_value():
            raise ValueError(f"Enter a whole number, not {raw!r}.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class MoneyWidget(widgets.Widget):
    """A price cell such as 19.99, kept as a Decimal with two places."""

    def clean(self, value, row=None, **kwargs):
        raw = text(value)
        if raw == "":
            return None
        try:
            amount = money_round(decimal_parse(raw))
        except (ValueError, InvalidOperation):
            amount = None
        if amount is None or not amount.is_finite():
            raise ValueError(f"Enter a price such as 19.99, not {raw!r}.")
        return amount

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)
