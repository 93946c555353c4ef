"""Cancel orders left unpaid too long, now. A huey consumer (`run_huey`) does this every minute; this
command is for the embedded default, where huey runs tasks in-process and has no scheduler."""

from django.core.management.base import BaseCommand

from checkout.order.tasks import orders_unpaid_cancel


class Command(BaseCommand):
    help = "Cancel orders still unpaid ORDER_UNPAID_CANCEL_MINUTES after they were placed."

    def handle(self, *args, **options):
        cancelled = orders_unpaid_cancel.call_local()
        self.stdout.write(f"Cancelled {cancelled} unpaid order(s).")
