from django.db.models import F
from django.db.models.functions import Round
from django.db.transaction import atomic
from oscar.apps.dashboard.catalogue import bulk_actions
from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


class SetProductPriceAction(bulk_actions.SetProductPriceAction):
    """Oscar's bulk price change; a percentage change is rounded to whole đồng (VND has no minor unit)."""

    @atomic
    def execute(self, request, objects, form):
        super().execute(request, objects, form)
        # Oscar's UPDATE multiplies in SQL, bypassing StockRecord's whole-đồng check: round the same rows.
        records = StockRecord.objects.filter(product__in=objects, partner__in=form.cleaned_data["partners"])
        if not request.user.is_staff:
            records = records.filter(partner__in=request.user.partners.all())
        records.update(price=Round(F("price")))
