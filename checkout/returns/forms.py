"""Forms of returns: the customer's request (a quantity and a reason per returnable line) and the
back office's steps. They only parse input; the services decide and their errors become form errors."""

from __future__ import annotations

from django import forms
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget, UnfoldBooleanWidget

from .models import ReturnLine
from .services import ReturnLineInput


class ReturnRequestForm(forms.Form):
    """One quantity (0 = keep) and one reason per line that can still be returned, and a comment."""

    comment = forms.CharField(
        label="Anything we should know? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, returnable, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.returnable = [item for item in returnable if item.returnable]
        choices = [("", "Choose a reason")] + [(reason.code, reason.name) for reason in reasons]
        for item in self.returnable:
            pk = item.line.pk
            self.fields[f"quantity_{pk}"] = forms.IntegerField(
                label=f"How many of '{item.line.title}' (up to {item.returnable})",
                min_value=0, max_value=item.returnable, initial=0, required=False,
            )  # fmt: skip
            self.fields[f"reason_{pk}"] = forms.ChoiceField(
                label=f"Reason for '{item.line.title}'",
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-control"}),
            )
        self.order_fields(["comment"] + [name for name in self.fields if name != "comment"])

    def rows(self):
        """(line, quantity field, reason field) per returnable line, for the template's table."""
        return [(item, self[f"quantity_{item.line.pk}"], self[f"reason_{item.line.pk}"]) for item in self.returnable]

    def clean(self):
        data = super().clean()
        chosen = []
        for item in self.returnable:
            pk = item.line.pk
            quantity = data.get(f"quantity_{pk}") or 0
            if quantity > 0:
                if not data.get(f"reason_{pk}"):
                    self.add_error(f"reason_{pk}", "Tell us why you are returning this item.")
                else:
                    chosen.append(
                        ReturnLineInput(order_line_id=pk, quantity=quantity, reason_code=data[f"reason_{pk}"])
                    )
        if not chosen and not self.errors:
            raise forms.ValidationError("Choose how many of at least one item you want to return.")
        data["lines"] = chosen
        return data


class ReturnDecisionForm(forms.Form):
    """Back office: approve or reject each waiting line, with a note to the customer."""

    def __init__(self, *args, return_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending = [line for line in return_request.lines.all() if line.decision == ReturnLine.Decision.PENDING]
        for line in self.pending:
            self.fields[f"decision_{line.pk}"] = forms.ChoiceField(
                label=f"{line.quantity} x {line.order_line.title} ({line.reason.name})",
                choices=[("", "Decide later"), ("approved", "Approve"), ("rejected", "Reject")],
                required=False,
                widget=UnfoldAdminSelectWidget,
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label="Note to the customer", required=False, max_length=1000, widget=UnfoldAdminTextInputWidget
            )

    def decisions(self) -> dict[int, tuple[str, str]]:
        """{return line id: (decision, note)} for the lines decided in this form."""
        chosen: dict[int, tuple[str, str]] = {}
        for line in self.pending:
            decision = self.cleaned_data.get(f"decision_{line.pk}")
            if decision:
                chosen[line.pk] = (decision, self.cleaned_data.get(f"note_{line.pk}", ""))
        return chosen

    def clean(self):
        data = super().clean()
        if not any(data.get(f"decision_{line.pk}") for line in self.pending):
            raise forms.ValidationError("Approve or reject at least one line.")
        return data


class ReturnReceiveForm(forms.Form):
    """Back office: the approved lines' goods arrived; tick the lines whose units go back into stock."""

    def __init__(self, *args, return_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.approved = [line for line in return_request.lines.all() if line.decision == ReturnLine.Decision.APPROVED]
        for line in self.approved:
            self.fields[f"restock_{line.pk}"] = forms.BooleanField(
                label=f"Put {line.quantity} x {line.order_line.title} back into stock",
                required=False,
                initial=True,
                widget=UnfoldBooleanWidget,
            )

    def restock(self) -> dict[int, bool]:
        return {line.pk: bool(self.cleaned_data.get(f"restock_{line.pk}")) for line in self.approved}


class ReturnRefundForm(forms.Form):
    """Back office: confirm the refund (the amount is computed: approved units minus restocking fees)."""

    confirm = forms.BooleanField(label="Refund through the order's payment gateway", widget=UnfoldBooleanWidget)
