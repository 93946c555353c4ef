"""Product reviews: Oscar's models without the side effects in `save()`/`delete()`.

Oscar's `ProductReview.save()` recalculates the product's rating on every save. Hypex keeps the
product's `rating` (average of approved scores) and `reviews_count` (approved reviews) in services
(`catalogue.reviews.services`): create, approve, reject and delete go through them.
"""

from django.db import models
from oscar.apps.catalogue.reviews.abstract_models import AbstractProductReview


class ProductReview(AbstractProductReview):
    def save(self, *args, **kwargs):
        models.Model.save(self, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return models.Model.delete(self, *args, **kwargs)


from oscar.apps.catalogue.reviews.models import *  # noqa: E402,F401,F403
