"""Product feed for organisers and marketplaces: `/feeds/products.json` and `/feeds/products.csv`.

Every public product (or, with `?fair=<code>`, a trade fair's featured products) with GTIN, titles in
both languages, price in whole đồng, stock status, image and product URLs, OCOP stars and
certificates with today's status. The JSON follows cms/schemas/product-feed.schema.json. Read live
(never from the page cache) in a fixed number of queries; any origin may GET it.
"""

import csv
import io
import json
from pathlib import Path

from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from catalog import browse
from catalog.models import IN_FORCE
from cms import embeds

SCHEMA_PATH = Path(__file__).parent / "schemas" / "product-feed.schema.json"
FEED_VERSION = 1
CSV_COLUMNS = [
    "id",
    "gtin",
    "title_vi",
    "title_en",
    "price_vnd",
    "stock_status",
    "image_url",
    "product_url",
    "product_url_en",
    "ocop_stars",
    "certificates",
]


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def fair_for_code(code):
    """The live trade fair whose code (TradeFairPage.code, any case) is `code`; 404 otherwise."""
    from cms.models import TradeFairPage

    fair = TradeFairPage.for_code(code)
    if fair is None:
        raise Http404
    return fair


def _product_ids(fair_code):
    if fair_code:
        return embeds.page_product_ids(fair_for_code(fair_code))
    return list(browse.browsable_products().order_by("pk").values_list("pk", flat=True))


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def feed_items(request, fair_code=None) -> list[dict]:
    """One dict per product, in the schema's shape."""
    cards = embeds.build_cards(_product_ids(fair_code), limit=None)
    items = []
    for card in cards:
        product = card.product
        image = next(iter(product.images.all()), None)  # prefetched, ordered by display_order
        with translation.override("en"):
            url_en = product.get_absolute_url()
        with translation.override("vi"):
            url_vi = product.get_absolute_url()
        items.append(
            {
                "id": product.pk,
                "gtin": product.gtin,
                "title_vi": product.title,
                "title_en": product.title_en or None,
                "price_vnd": int(card.price) if card.price is not None else None,
                "stock_status": card.stock,
                "image_url": _absolute(request, image.original.url) if image and image.original else None,
                "product_url": _absolute(request, url_vi),
                "product_url_en": _absolute(request, url_en),
                "ocop_stars": card.ocop.stars if card.ocop and card.ocop.current_status in IN_FORCE else None,
                "certificates": [
                    {
                        "kind": cert.kind,
                        "number": cert.number,
                        "status": status.value,
                        "expires_on": cert.expires_on.isoformat() if cert.expires_on else None,
                    }
                    for cert, status in card.certificates
                ],
            }
        )
    return items


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def products_json(request):
    fair = request.GET.get("fair") or None
    items = feed_items(request, fair)
    data = {
        "version": FEED_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "currency": "VND",
        "fair": fair_for_code(fair).code if fair else None,
        "products": items,
    }
    return _cors(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))


@require_safe
def products_csv(request):
    """The same items as the JSON feed; certificates as `kind:number:status` joined by "|"."""
    items = feed_items(request, request.GET.get("fair") or None)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        row = {key: "" if value is None else value for key, value in item.items()}
        row["certificates"] = "|".join(f"{c['kind']}:{c['number']}:{c['status']}" for c in item["certificates"])
        writer.writerow(row)
    # A byte order mark so spreadsheet programs read the Vietnamese as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="products.csv"'
    return _cors(response)
