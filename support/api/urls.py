"""/api/v1/support/."""

from django.urls import path

from . import views

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
    path("tickets/", views.TicketView.as_view(), name="support-ticket"),
    path("status/", views.SupportStatusView.as_view(), name="support-status"),
]
