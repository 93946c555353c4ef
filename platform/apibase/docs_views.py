"""The API's own docs (Swagger UI, ReDoc), served from our static files and fetching nothing else.

drf-spectacular's ReDoc page links Google Fonts, and ReDoc's sidebar shows a logo from its CDN; Swagger
UI asks a public validator about the schema. Our pages use system fonts and no validator, and carry a
Content-Security-Policy that lets the browser load only from this site, so no bundled script can
reach out either (docs/adr/0029-api-contract-checked-in-ci.md).
"""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",  # the pages' inline init scripts
        "style-src 'self' 'unsafe-inline'",  # ReDoc and Swagger UI inject their styles
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",  # ReDoc's search runs in a blob worker
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ]
)


class _OwnOriginOnly:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SwaggerView(_OwnOriginOnly, SpectacularSwaggerView):
    pass


class RedocView(_OwnOriginOnly, SpectacularRedocView):
    template_name = "apibase/redoc.html"
