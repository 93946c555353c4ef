from django.urls import path

from .views import DocumentPdfView, OrderDocumentListView

urlpatterns = [
    path("orders/<str:number>/invoices/", OrderDocumentListView.as_view(), name="order-invoices"),
    path("invoices/<str:number>/pdf/", DocumentPdfView.as_view(), name="invoice-pdf"),
]
