"""Every audit entry, whoever writes it (auditlog's model signals, m2m changes), takes the current
context: source, actor, group, address (`context.audit_entry_fill`)."""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from .context import audit_entry_fill
from .models import AuditLogEntry


@receiver(pre_save, sender=AuditLogEntry, dispatch_uid="audittrail_entry_fill")
def audit_entry_context(sender, instance, **kwargs) -> None:
    if instance._state.adding:
        audit_entry_fill(instance)
