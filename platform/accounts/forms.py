"""Forms for the shopper's account pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountDeleteForm(forms.Form):
    """Asks for the password (or, for accounts without one, an explicit confirmation)."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput, required=False)
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased"), required=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password


class ProfileNamesForm(forms.Form):
    """Oscar's profile form without the email field: email changes go through allauth, verified."""

    first_name = forms.CharField(label=_("First name"), max_length=255, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=255, required=False)
