from tests.checkout.lifecycle import fake_stripe, order, paid_order  # noqa: F401
