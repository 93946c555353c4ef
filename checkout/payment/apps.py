import oscar.apps.payment.apps as apps


class PaymentConfig(apps.PaymentConfig):
    name = "checkout.payment"

    def ready(self):
        super().ready()
        from ops.notices import readiness_notice_register

        from .checks import DUMMY_WARNING, dummy_gateway_notice, logger

        readiness_notice_register(dummy_gateway_notice)
        if dummy_gateway_notice():
            logger.warning(DUMMY_WARNING)
