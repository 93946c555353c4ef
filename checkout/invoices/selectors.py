"""Reads on invoices and credit notes: the documents of an order, and one document for whoever may
download it. Anyone else gets None (pages and the API answer 404, never 403), so numbers cannot be
probed."""

from __future__ import annotations

from django.db.models import QuerySet
from oscar.core.loading import get_model

from .models import Document, DocumentKind

Order = get_model("order", "Order")


def order_documents(*, order) -> QuerySet:
    """An order's invoice and credit notes, oldest first (the invoice comes first)."""
    return Document.objects.filter(order=order).select_related("invoice").order_by("issued_at", "pk")


def order_invoice(*, order) -> Document | None:
    return Document.objects.filter(order=order, kind=DocumentKind.INVOICE).first()


def document_for_customer(*, number: str, user=None, key: str = "", email: str = "") -> Document | None:
    """The document numbered `number` if `user` owns its order, or if its order is a guest order, `key`
    is the order's signed key (`Order.verification_hash`, the key of the guest's status link) and `email`
    the guest's email - what Oscar's guest status page asks for before it shows the order."""
    document = Document.objects.select_related("order").filter(number=number).first()
    if document is None:
        return None
    order = document.order
    if user is not None and user.is_authenticated and order.user_id == user.pk:
        return document
    guest = order.user_id is None and order.guest_email and email.strip().lower() == order.guest_email.lower()
    if key and guest and order.check_verification_hash(key):
        return document
    return None


def document_of_order(*, order, number: str) -> Document | None:
    return Document.objects.filter(order=order, number=number).first()


def order_documents_of_customer(*, user, order_number: str) -> QuerySet | None:
    """The invoice and credit notes of `user`'s order `order_number`; None when it is not theirs."""
    order = Order.objects.filter(user=user, number=order_number).first() if user.is_authenticated else None
    return None if order is None else order_documents(order=order)
