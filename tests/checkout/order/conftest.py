from tests.checkout.lifecycle import order  # noqa: F401
