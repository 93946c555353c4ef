"""Review pages: Oscar's views, with Hypex's rule (purchasers only, once) and the write in a service."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.reviews import views as oscar_views
from oscar.apps.catalogue.reviews.views import *  # noqa: F401,F403 (the views Hypex keeps as they are)

from .selectors import AUTHENTICATION_REQUIRED, REASONS, review_refusal
from .services import ReviewNotAllowed, review_create


class CreateProductReview(oscar_views.CreateProductReview):
    def dispatch(self, request, *args, **kwargs):
        self.product = get_object_or_404(self.product_model, pk=kwargs["product_pk"], is_public=True)
        reason = review_refusal(product=self.product, user=request.user)
        if reason == AUTHENTICATION_REQUIRED:
            return redirect_to_login(request.get_full_path())
        if reason:
            messages.warning(request, REASONS[reason])
            return redirect(self.product.get_absolute_url())
        return super(oscar_views.CreateProductReview, self).dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = review_create(
                product=self.product, user=self.request.user, score=data["score"], title=data["title"],
                body=data["body"],
            )  # fmt: skip
        except ReviewNotAllowed as exc:
            messages.warning(self.request, str(exc.detail))
            return redirect(self.product.get_absolute_url())
        response = redirect(self.get_success_url())
        self.send_signal(self.request, response, self.object)
        return response

    def get_success_url(self):
        messages.success(self.request, _("Thank you for your review: it appears once our team has checked it."))
        return self.product.get_absolute_url()
