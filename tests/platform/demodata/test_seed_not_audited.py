"""Demo data is nobody's change: seeding writes nothing to the audit trail (ADR 0047)."""

import pytest
from django.core.management import call_command

from audittrail.models import AuditLogEntry


@pytest.mark.django_db
def test_seed_demo_leaves_the_audit_trail_empty():
    call_command("seed_demo", products=2, no_progress=True, verbosity=0)

    assert not AuditLogEntry.objects.exists()
