"""Payments and the order lifecycle: which gateways are offered, their keys, unpaid-order expiry.

`PAYMENT_GATEWAYS` lists the gateway codes offered at checkout, in order (`dummy`, `stripe`). By default
`dummy` (our own hosted approve/decline page, for development, demos and tests) plus `stripe` when a
Stripe secret key is set.

The dummy gateway approves any order for free, so it has one switch, `PAYMENT_DUMMY_GATEWAY_ENABLED`:
on here (embedded default and tests), off in production settings. Listing `dummy` in PAYMENT_GATEWAYS
while the switch is off is refused at start-up (docs/adr/0013).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
# Where the stripe package sends its API calls; tests point it at a local server.
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
# Webhook signatures older than this are refused (replay protection; Stripe's own default).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env_int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300)

PAYMENT_DUMMY_GATEWAY_ENABLED = env_bool("PAYMENT_DUMMY_GATEWAY_ENABLED", True)


def payment_gateways_from_env(*, dummy_enabled: bool, stripe_secret_key: str) -> list[str]:
    """`PAYMENT_GATEWAYS`, or its default: `dummy` when enabled, `stripe` when it has a key."""
    default = (["dummy"] if dummy_enabled else []) + (["stripe"] if stripe_secret_key else [])
    gateways = env_list("PAYMENT_GATEWAYS", default)
    if "dummy" in gateways and not dummy_enabled:
        raise ImproperlyConfigured(
            "PAYMENT_GATEWAYS lists 'dummy', which approves orders without payment; it is offered only "
            "with PAYMENT_DUMMY_GATEWAY_ENABLED=true."
        )
    return gateways


PAYMENT_GATEWAYS = payment_gateways_from_env(
    dummy_enabled=PAYMENT_DUMMY_GATEWAY_ENABLED, stripe_secret_key=STRIPE_SECRET_KEY
)

# An order still "Pending payment" this long after it was placed is cancelled (stock and voucher released).
ORDER_UNPAID_CANCEL_MINUTES = env_int("ORDER_UNPAID_CANCEL_MINUTES", 30)
