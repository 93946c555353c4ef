"""Payments and the order lifecycle: which gateways are offered, their keys, unpaid-order expiry.

`PAYMENT_GATEWAYS` lists the gateway codes offered at checkout, in order (`dummy`, `stripe`). By default
`dummy` (our own hosted approve/decline page, for development, demos and tests) plus `stripe` when a
Stripe secret key is set. Production should list only real gateways.
"""

from config.env import env_int, env_list, env_str

STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
# Where the stripe package sends its API calls; tests point it at a local server.
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
# Webhook signatures older than this are refused (replay protection; Stripe's own default).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = env_int("STRIPE_WEBHOOK_TOLERANCE_SECONDS", 300)

PAYMENT_GATEWAYS = env_list("PAYMENT_GATEWAYS", ["dummy", "stripe"] if STRIPE_SECRET_KEY else ["dummy"])

# An order still "Pending payment" this long after it was placed is cancelled (stock and voucher released).
ORDER_UNPAID_CANCEL_MINUTES = env_int("ORDER_UNPAID_CANCEL_MINUTES", 30)
