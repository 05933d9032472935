from oscar.apps.dashboard.catalogue import mixins

from catalog.scoping import scope


class PartnerProductFilterMixin(mixins.PartnerProductFilterMixin):
    def filter_queryset(self, queryset):
        """Products of the user's cooperative (`Product.cooperative`), all for a platform admin.

        Oscar's version lets every is_staff user see everything and a partner user every product
        one of whose stock records is theirs; here it is the one permission helper, catalog.scoping.
        """
        return scope(queryset, self.request.user)
