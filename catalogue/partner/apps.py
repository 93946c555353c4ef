import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    name = "catalogue.partner"

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401
