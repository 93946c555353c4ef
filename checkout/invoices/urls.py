from django.urls import path

from .views import document_download

app_name = "invoices"

urlpatterns = [
    path("<str:number>/pdf/", document_download, name="document-pdf"),
]
