"""A system check: no audited model stores a secret in the audit trail (ADR 0047). A field whose name
says it holds a password, token, secret, key or hash must be excluded from the model's registration in
`AUDITLOG_INCLUDE_TRACKING_MODELS`."""

from __future__ import annotations

import re

from auditlog.registry import auditlog
from django.core import checks

SECRET_NAME = re.compile(r"(password|token|secret|api_key|private_key|_hash$|^hash$)", re.IGNORECASE)


def secret_fields_tracked() -> list[tuple[str, str]]:
    """(model label, field name) of every audited field that looks like a secret."""
    found = []
    for model in auditlog.get_models():
        excluded = set(auditlog.get_model_fields(model)["exclude_fields"])
        for field in model._meta.concrete_fields:
            if SECRET_NAME.search(field.name) and field.name not in excluded:
                found.append((model._meta.label, field.name))
    return found


@checks.register()
def audit_trail_keeps_no_secrets(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"{label}.{name} looks like a secret and is audited.",
            hint="Add it to the model's exclude_fields in AUDITLOG_INCLUDE_TRACKING_MODELS.",
            id="audittrail.E001",
        )
        for label, name in secret_fields_tracked()
    ]
