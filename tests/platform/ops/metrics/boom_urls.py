"""A URLconf with a view that raises, for the exception family."""

from django.urls import path


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom, name="boom")]
