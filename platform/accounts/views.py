"""Shopper account pages that Hypex adds to allauth's and Oscar's."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, RedirectView, TemplateView

from .forms import AccountDeleteForm, ProfileNamesForm
from .services import user_anonymise, user_profile_update
from .unsubscribe import marketing_opt_out_add, marketing_opted_out, unsubscribe_email_from_token


class AccountDeleteView(LoginRequiredMixin, FormView):
    """Delete my account: personal data erased, orders kept anonymously for the merchant's books."""

    form_class = AccountDeleteForm
    template_name = "accounts/account_delete.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user_anonymise(user=self.request.user)
        logout(self.request)
        messages.success(self.request, _("Your account has been deleted. Thank you for shopping with us."))
        return HttpResponseRedirect("/")


class ToAllauth(RedirectView):
    """Send Oscar's account links (login, register, logout, password pages) to the one allauth page,
    keeping `?next=`."""

    url_name = "account_login"
    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        url = reverse(self.url_name)
        next_url = self.request.GET.get("next")
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class ProfileUpdateView(LoginRequiredMixin, FormView):
    """Edit name on the profile; the email address is changed (and verified) at /auth/email/."""

    form_class = ProfileNamesForm
    template_name = "accounts/profile_form.html"

    def get_initial(self):
        return {"first_name": self.request.user.first_name, "last_name": self.request.user.last_name}

    def form_valid(self, form):
        user_profile_update(user=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Profile updated"))
        return HttpResponseRedirect(reverse("customer:profile-view"))


class UnsubscribeView(TemplateView):
    """`/unsubscribe/<token>/`: the link in every marketing mail. GET shows a confirm button; POST (the
    button, or a mail client's one-click `List-Unsubscribe-Post`, which carries no CSRF token) records
    the opt-out. No login: the signed token is the proof. A bad token is a 404."""

    template_name = "accounts/unsubscribe.html"

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        self.email = unsubscribe_email_from_token(kwargs["token"])
        if self.email is None:
            raise Http404("This unsubscribe link is not valid.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "email": self.email,
            "done": marketing_opted_out(email=self.email),
        }

    def post(self, request, *args, **kwargs):
        marketing_opt_out_add(email=self.email)
        return self.render_to_response(self.get_context_data(**kwargs))
