from django import forms


class AlertForm(forms.Form):
    """The "Email me when it's back" form: a guest gives an email; `child_id` names the chosen variant."""

    email = forms.EmailField(required=False, max_length=254)
    child_id = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
