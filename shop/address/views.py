"""The commune/ward list of a province as JSON, for the address form's progressive enhancement."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from shop.address import divisions


@require_safe
@cache_control(public=True, max_age=24 * 3600)
def wards(request):
    """`?tinh=75` → {"province": {...}, "wards": [{"code", "name"}, ...]}; 404 for an unknown province."""
    province = divisions.get_province(request.GET.get("tinh", ""))
    if province is None:
        return JsonResponse({"error": "unknown province"}, status=404)
    return JsonResponse(
        {
            "province": {"code": province.code, "name": province.name},
            "wards": [{"code": ward.code, "name": ward.name} for ward in divisions.wards_of(province.code)],
        }
    )
