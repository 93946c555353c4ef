"""Re-apply the staff roles (after models were added to a role's apps)."""

from django.core.management.base import BaseCommand

from backoffice.roles import staff_roles_apply


class Command(BaseCommand):
    help = "Create or update the staff role groups (backoffice.roles.ROLES) with exactly their permissions."

    def handle(self, *args, **options):
        for name, count in staff_roles_apply().items():
            self.stdout.write(f"{name}: {count} permissions")
