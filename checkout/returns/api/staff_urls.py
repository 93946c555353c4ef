"""/api/v1/staff/returns/... (returns)."""

from django.urls import path

from .staff import ReturnApproveView, ReturnReceiveView, ReturnRefundView, ReturnRejectView

urlpatterns = [
    path("returns/<int:pk>/approve/", ReturnApproveView.as_view(), name="staff-return-approve"),
    path("returns/<int:pk>/reject/", ReturnRejectView.as_view(), name="staff-return-reject"),
    path("returns/<int:pk>/receive/", ReturnReceiveView.as_view(), name="staff-return-receive"),
    path("returns/<int:pk>/refund/", ReturnRefundView.as_view(), name="staff-return-refund"),
]
