from tests.checkout.lifecycle import order, paid_order  # noqa: F401
