from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    """Numbered invoices and credit notes of paid and refunded orders, rendered as PDFs (ADR 0045)."""

    name = "checkout.invoices"
    label = "invoices"
    verbose_name = "Invoices"
    default_auto_field = "django.db.models.BigAutoField"
