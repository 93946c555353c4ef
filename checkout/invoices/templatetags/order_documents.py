"""`{% order_documents order %}`: the order page's invoices and credit notes, as download links (the
guest's carry the order's key, like the signed status link)."""

from django import template

from apibase.money import money_display

from ..links import document_path
from ..selectors import order_documents as documents_of

register = template.Library()


@register.inclusion_tag("order/partials/documents.html")
def order_documents(order) -> dict:
    documents = []
    for document in documents_of(order=order):
        document.order = order  # the page's order: no query per link
        documents.append({
            "document": document,
            "label": document.get_kind_display(),
            "url": document_path(document),
            "total": money_display(document.total_incl_tax, document.currency),
        })  # fmt: skip
    return {"documents": documents, "order_number": order.number}
