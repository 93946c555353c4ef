"""Back-office forms for order actions (status, refund, note, shipping event). They only parse input;
the services do the work and their business errors come back as form errors."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminIntegerFieldWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
    UnfoldAdminTextInputWidget,
)

from checkout.payment.selectors import order_refund_state


class OrderStatusForm(forms.Form):
    status = forms.ChoiceField(widget=UnfoldAdminSelectWidget)
    note = forms.CharField(required=False, max_length=1000, widget=UnfoldAdminTextareaWidget)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(status, status) for status in order.available_statuses()]


class OrderRefundForm(forms.Form):
    """Leave everything empty to refund all that is left; or give line quantities, or an amount. Each
    line says what was paid for it, what was refunded and what is left (`order_refund_state`)."""

    amount = forms.DecimalField(
        required=False, min_value=Decimal("0.01"), max_digits=12, decimal_places=2, widget=UnfoldAdminDecimalFieldWidget
    )
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=UnfoldAdminTextInputWidget,
        help_text="Kept in the order's notes; the customer's refund email does not show it.",
    )

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.refund_state = order_refund_state(order=order)
        self.order_lines = [state.line for state in self.refund_state.lines]
        self.fields["amount"].label = f"Amount ({order.currency})"
        self.fields["amount"].help_text = (
            f"Any sum up to {self.refund_state.refundable.display}, not tied to lines. "
            "Leave the amount and the units empty to refund everything that is left."
        )
        for state in self.refund_state.lines:
            line = state.line
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=state.refundable_units,
                label=f"{line.title}: units to refund",
                help_text=(
                    f"Paid {state.paid.display} for {line.quantity}; refunded {state.refunded_units} "
                    f"({state.refunded.display}); up to {state.refundable_units} more ({state.refundable.display})."
                ),
                widget=UnfoldAdminIntegerFieldWidget,
            )

    def refund_lines(self) -> dict[int, int] | None:
        lines = {line.pk: self.cleaned_data.get(f"line_{line.pk}") or 0 for line in self.order_lines}
        return {pk: quantity for pk, quantity in lines.items() if quantity} or None


class OrderNoteForm(forms.Form):
    message = forms.CharField(max_length=2000, widget=UnfoldAdminTextareaWidget)


class ShippingEventForm(forms.Form):
    carrier = forms.CharField(max_length=64, widget=UnfoldAdminTextInputWidget)
    tracking_number = forms.CharField(max_length=128, widget=UnfoldAdminTextInputWidget)
    notes = forms.CharField(required=False, max_length=1000, widget=UnfoldAdminTextareaWidget)
