from django.db.models import Q
from oscar.core.loading import get_model

from catalog.scoping import scope


def partner_product_visibility_q(user):
    """Products `user` may act on: their cooperative's (catalog.scoping), whoever holds stock of them.

    Oscar's version follows stock records, so a product stocked by both partners was open to both.
    Oscar's bulk actions filter with this Q for non-staff users.
    """
    Product = get_model("catalogue", "Product")
    return Q(pk__in=scope(Product.objects.all(), user).values("pk"))
