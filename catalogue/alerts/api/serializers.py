from rest_framework import serializers


class AlertCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(
        required=False,
        max_length=254,
        help_text="Guests: where to email (a confirmation link first). Ignored when signed in.",
    )


class AlertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product_id = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=["Unconfirmed", "Active"],
        help_text="`Active` for a signed-in shopper; `Unconfirmed` for a guest until the mailed link is followed.",
    )
    email = serializers.EmailField(source="get_email_address", help_text="Where the back-in-stock email goes.")
