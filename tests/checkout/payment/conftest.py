from tests.checkout.lifecycle import dummy_only, fake_stripe, order, paid_order  # noqa: F401
