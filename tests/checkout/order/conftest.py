from tests.checkout.lifecycle import dummy_only, order  # noqa: F401
