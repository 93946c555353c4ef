"""robots.txt: keep crawlers out of private areas, point them at the sitemap."""

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

DISALLOWED = ["/admin/", "/cms/", "/api/", "/basket/", "/checkout/", "/accounts/", "/auth/", "/search/"]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *[f"Disallow: {path}" for path in DISALLOWED],
             f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}", ""]  # fmt: skip
    return HttpResponse("\n".join(lines), content_type="text/plain")
