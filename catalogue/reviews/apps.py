import oscar.apps.catalogue.reviews.apps as apps


class CatalogueReviewsConfig(apps.CatalogueReviewsConfig):
    """Oscar's reviews, forked: purchasers only, once; the rating is kept by services
    (`catalogue/reviews/services.py`), never by `save()`.

    Oscar's `get_class("catalogue.reviews.views", ...)` resolves through the app labelled `catalogue`
    (it would look in `catalogue.catalogue.reviews`), so this config names its own views directly."""

    name = "catalogue.reviews"

    def ready(self):
        super().ready()
        from . import views

        self.create_view = views.CreateProductReview
