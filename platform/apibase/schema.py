"""drf-spectacular hooks."""


def only_public_api(endpoints):
    """Keep the schema to /api/v1/: spectacular would otherwise also describe Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
