"""The support report (`/admin/support/report/`, ADR 0051): per agent and period, conversations,
first-response and resolution times (median, p90), satisfaction, and the orders and revenue credited.

Each column is one function of `support.reporting` called with the period; `COLUMNS` lists them, so a
new metric is one more function and one more entry. Open to support agents (the Support agent role)
and to superusers (managers); other staff get 403.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from checkout.order import statuses as order_statuses
from support import reporting
from support.proposal_selectors import proposals_accepted_by_agent
from support.selectors import user_is_agent
from support.sla import service_level_target

PERIODS = {"today": "Today", "7d": "Last 7 days", "30d": "Last 30 days", "range": "Dates"}
MAX_RANGE_DAYS = 366


class PeriodForm(forms.Form):
    period = forms.ChoiceField(choices=list(PERIODS.items()), required=False)
    start = forms.DateField(required=False)
    end = forms.DateField(required=False, help_text="Included.")

    def clean(self):
        data = super().clean()
        if data.get("period") == "range":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("Give both dates for a range.")
            if end < start:
                raise forms.ValidationError("The end date is before the start date.")
            if (end - start).days >= MAX_RANGE_DAYS:
                raise forms.ValidationError(f"A range covers at most {MAX_RANGE_DAYS} days.")
        return data


def report_period(*, period: str, start: dt.date | None, end: dt.date | None, zone, now: dt.datetime):
    """[start, end) in aware UTC for a period name, whole days in the shop's time zone."""

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time()).replace(tzinfo=zone).astimezone(dt.UTC)

    today = now.astimezone(zone).date()
    if period == "range" and start and end:
        return midnight(start), midnight(end + dt.timedelta(days=1))
    days = {"today": 1, "30d": 30}.get(period, 7)
    return midnight(today - dt.timedelta(days=days - 1)), now


#: (key, function) per column; each function takes start/end and returns {agent id: value}
COLUMNS = (
    ("conversations", reporting.conversations_by_agent),
    ("first_response", reporting.first_response_by_agent),
    ("resolution", reporting.resolution_by_agent),
    ("satisfaction", reporting.satisfaction_by_agent),
    (
        "credited",
        lambda *, start, end: reporting.orders_credited_by_agent(start=start, end=end, statuses=order_statuses.REVENUE),
    ),
    ("proposals_accepted", proposals_accepted_by_agent),  # by the agent who proposed (ADR 0049)
)


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def support_report_rows(*, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """One row per agent with any figure in the period (None: unassigned), by conversations handled."""
    columns = {key: function(start=start, end=end) for key, function in COLUMNS}
    agent_ids = set().union(*(values.keys() for values in columns.values()))
    names = reporting.agents_named(agent_ids=agent_ids)
    rows = []
    for agent_id in agent_ids:
        row = {"agent_id": agent_id, "agent": names.get(agent_id, "Unassigned") if agent_id else "Unassigned"}
        row.update({key: values.get(agent_id) for key, values in columns.items()})
        for key in ("first_response", "resolution"):
            value = row[key]
            row[f"{key}_median"] = _minutes(value.median if value else None)
            row[f"{key}_p90"] = _minutes(value.p90 if value else None)
        credit = row["credited"]
        row["revenue"] = sorted(credit.revenue.items()) if credit else []
        rows.append(row)
    rows.sort(key=lambda row: (row["agent_id"] is None, -(row["conversations"] or 0), row["agent"]))
    return rows


@staff_member_required
def support_report(request):
    if not user_is_agent(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or None)
    valid = form.is_valid() if request.GET else False
    data = form.cleaned_data if valid else {}
    period = data.get("period") or "7d"
    zone = service_level_target().hours.time_zone
    start, end = report_period(
        period=period, start=data.get("start"), end=data.get("end"), zone=zone, now=timezone.now()
    )
    context = {
        **admin.site.each_context(request),
        "title": "Support report",
        "form": form,
        "periods": PERIODS,
        "period": period,
        "start": start,
        "end": end,
        "time_zone": str(zone),
        "rows": support_report_rows(start=start, end=end),
    }
    return render(request, "backoffice/support_report.html", context, status=400 if request.GET and not valid else 200)
