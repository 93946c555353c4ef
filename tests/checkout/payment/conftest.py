from tests.checkout.lifecycle import dummy_only, fake_stripe, order  # noqa: F401
