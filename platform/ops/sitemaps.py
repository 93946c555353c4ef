"""The sitemap view: Django's, with every URL on the host the request came to (ADR 0031).

Django's view takes the domain from the Sites table; here each sitemap is asked for its URLs with the
request's site (`RequestSite`: the ALLOWED_HOSTS-checked host). Wagtail sitemaps get the request, so
page URLs come from `Page.get_full_url(request)`.
"""

from __future__ import annotations

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.contrib.sites.requests import RequestSite
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap


class _OnServedHost:
    """A sitemap whose URLs use `site` whatever site the view passes."""

    def __init__(self, sitemap, site):
        self._sitemap = sitemap
        self._site = site

    def __getattr__(self, name):
        if name in ("_sitemap", "_site"):
            raise AttributeError(name)
        return getattr(self._sitemap, name)

    def get_urls(self, page=1, site=None, protocol=None):
        return self._sitemap.get_urls(page=page, site=self._site, protocol=protocol)


def sitemap(request, sitemaps: dict, **kwargs):
    site = RequestSite(request)
    served = {}
    for name, entry in sitemaps.items():
        if isinstance(entry, type):
            entry = entry(request) if issubclass(entry, WagtailSitemap) else entry()
        served[name] = _OnServedHost(entry, site)
    return django_sitemap(request, served, **kwargs)
