"""The intermediate pages of the product list's bulk actions (Django admin's confirmation pattern):
the action's own field(s), then a preview of every row that will change, then Confirm - only Confirm
writes. The pages parse input and call `bulk_changes`; the preview and the write share its plan.

Stages travel in the POST to the changelist (`action` and `_selected_action` kept as hidden fields, no
`index`, so Django runs the action again): none (from the list) shows the form; `preview` checks the
form and shows the plan; `edit` goes back to the form; `confirm` writes what the preview showed, or
previews again when the rows changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from oscar.core.loading import get_model
from unfold.widgets import UnfoldAdminDecimalFieldWidget, UnfoldAdminSelectWidget

from .bulk_changes import (
    BulkPlan,
    BulkPlanStale,
    product_category_move,
    product_category_plan,
    stockrecord_prices_change,
    stockrecord_prices_plan,
)
from .models import BulkChange
from .services import MAX_PERCENT, MIN_PERCENT, BackofficeError

Category = get_model("catalogue", "Category")

#: Rows listed on the preview page; the counts above the table cover all of them.
PREVIEW_ROWS_SHOWN = 500


class PriceChangeForm(forms.Form):
    percent = forms.DecimalField(
        label="Change prices by (%)",
        min_value=MIN_PERCENT,
        max_value=MAX_PERCENT,
        max_digits=7,
        decimal_places=2,
        help_text=f"10 raises every price by 10%, -15 lowers it by 15% (from {MIN_PERCENT} to {MAX_PERCENT}). "
        "New prices are rounded half up to the cent.",
        widget=UnfoldAdminDecimalFieldWidget,
    )


class CategoryMoveForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.order_by("path"),
        label="Move to the category",
        help_text="The products will be in this category only (variants follow their parent).",
        widget=UnfoldAdminSelectWidget,
    )


@dataclass(frozen=True)
class BulkAction:
    name: str
    title: str
    form_class: type[forms.Form]
    plan: Callable[..., BulkPlan]
    apply: Callable[..., BulkChange]
    rows_name: str


PRICE_CHANGE = BulkAction(
    name="change_prices",
    title="Change prices by a percentage",
    form_class=PriceChangeForm,
    plan=stockrecord_prices_plan,
    apply=stockrecord_prices_change,
    rows_name="stock records",
)
CATEGORY_MOVE = BulkAction(
    name="move_to_category",
    title="Move to the category",
    form_class=CategoryMoveForm,
    plan=product_category_plan,
    apply=product_category_move,
    rows_name="products",
)


def bulk_action_page(model_admin, request, queryset: QuerySet, action: BulkAction):
    """The action's page for the selected products; None (back to the list) once confirmed."""
    stage = request.POST.get("_stage", "")
    form = action.form_class(request.POST if stage else None)
    plan, stale, status = None, False, 200
    if stage in ("preview", "confirm"):
        if not form.is_valid():
            status = 400
        else:
            try:
                if stage == "confirm":
                    change = action.apply(
                        products=queryset, by=request.user, digest=request.POST.get("_digest"), **form.cleaned_data
                    )
                    _confirmed(model_admin, request, change, action)
                    return None
                plan = action.plan(products=queryset, **form.cleaned_data)
            except BulkPlanStale as error:
                stale = str(error)
                plan = action.plan(products=queryset, **form.cleaned_data)
                status = 409
            except BackofficeError as error:
                form.add_error(None, str(error))
                status = 400
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": action.title,
        "opts": opts,
        "action": action,
        "form": form,
        "plan": plan,
        "rows_shown": plan.rows[:PREVIEW_ROWS_SHOWN] if plan else (),
        "stale": stale,
        "selected": list(queryset.values_list("pk", flat=True)),
        "selected_name": helpers.ACTION_CHECKBOX_NAME,
        "selected_count": queryset.count(),
        # the list as it was (filters, search, page): the steps post to it and Cancel returns to it
        "changelist_url": request.get_full_path(),
    }
    return TemplateResponse(request, "backoffice/bulk_action.html", context, status=status)


def _confirmed(model_admin, request, change: BulkChange, action: BulkAction) -> None:
    rows = change.rows.count()
    url = reverse("admin:backoffice_bulkchange_change", args=[change.pk])
    model_admin.message_user(
        request,
        format_html(
            '{} {} changed ({}). <a href="{}">Undo it within 24 hours</a>.',
            rows,
            action.rows_name,
            change.summary,
            url,
        ),
        messages.SUCCESS,
    )
