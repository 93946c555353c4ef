"""/api/v1/support/."""

from django.urls import path

from . import console_views, order_views, proposal_views, views

ORDER = "conversations/<int:pk>/orders/<str:number>/"

urlpatterns = [
    path("conversations/", views.ConversationListView.as_view(), name="support-conversation-list"),
    path("conversations/<int:pk>/", views.ConversationDetailView.as_view(), name="support-conversation-detail"),
    path("conversations/<int:pk>/messages/", views.MessageListView.as_view(), name="support-message-list"),
    path("conversations/<int:pk>/close/", views.ConversationCloseView.as_view(), name="support-conversation-close"),
    path("conversations/<int:pk>/reopen/", views.ConversationReopenView.as_view(), name="support-conversation-reopen"),
    path("conversations/<int:pk>/assign/", views.ConversationAssignView.as_view(), name="support-conversation-assign"),
    path(
        "conversations/<int:pk>/context/", views.ConversationContextView.as_view(), name="support-conversation-context"
    ),
    path("conversations/<int:pk>/rating/", views.ConversationRatingView.as_view(), name="support-conversation-rating"),
    path("conversations/<int:pk>/orders/", order_views.ConversationOrdersView.as_view(), name="support-orders"),
    path(
        ORDER + "resend-confirmation/",
        order_views.OrderConfirmationResendView.as_view(),
        name="support-order-resend-confirmation",
    ),
    path(ORDER + "cancel/", order_views.OrderCancelView.as_view(), name="support-order-cancel"),
    path(ORDER + "refund/", order_views.OrderRefundView.as_view(), name="support-order-refund"),
    path(ORDER + "notes/", order_views.OrderNoteView.as_view(), name="support-order-notes"),
    path("conversations/<int:pk>/pages/", console_views.ConversationPagesView.as_view(), name="support-pages"),
    path("canned-replies/", console_views.CannedReplyListView.as_view(), name="support-canned-replies"),
    path("conversations/<int:pk>/proposals/", proposal_views.ProposalListView.as_view(), name="support-proposal-list"),
    path(
        "conversations/<int:pk>/proposals/<int:proposal_id>/accept/",
        proposal_views.ProposalAcceptView.as_view(),
        name="support-proposal-accept",
    ),
    path(
        "conversations/<int:pk>/proposals/<int:proposal_id>/decline/",
        proposal_views.ProposalDeclineView.as_view(),
        name="support-proposal-decline",
    ),
    path(
        "conversations/<int:pk>/proposals/<int:proposal_id>/withdraw/",
        proposal_views.ProposalWithdrawView.as_view(),
        name="support-proposal-withdraw",
    ),
    path("tickets/", views.TicketView.as_view(), name="support-ticket"),
    path("status/", views.SupportStatusView.as_view(), name="support-status"),
]
