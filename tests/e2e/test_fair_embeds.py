"""An organiser's page on another origin embeds a product card and a fair's collection; a visitor buys.

The organiser's page is a static HTML file served by a tiny http.server on 127.0.0.1 (another port,
another host name than the shop's live server on localhost): the shop's embed.js inserts the
iframes, which resize to their content and count their views; Buy opens the shop in a new tab with
the fair's code; the order placed there (cash on delivery) shows in the fair's report.
"""

import functools
import http.server
import threading
import time

import pytest
from django.conf import settings
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from cms.models import TradeFairPage
from shop.fairs.models import FairCount
from tests.e2e.test_checkout_payments import checkout_until_payment, place_order, thank_you_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

StockRecord = get_model("partner", "StockRecord")
CODE = "DEMO-OCOPDN"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def organiser_site(tmp_path):
    """(folder, origin) of a static site on 127.0.0.1, a different origin from the shop's."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


ORGANISER_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Ban tổ chức hội chợ</title>
<link rel="icon" href="data:,"></head>
<body>
<h1>Hội chợ OCOP: sản phẩm hạt điều</h1>
<div class="htx-embed" id="card" data-product="{product}" data-fair="{code}"></div>
<div class="htx-embed" id="fair" data-page="{fair}"></div>
<script src="{shop}/static/embed/embed.js" async></script>
</body></html>
"""


def wait_for(predicate, timeout=10.0, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {message}")


def frame_of(page, selector):
    handle = page.locator(f"{selector} iframe").element_handle()
    frame = handle.content_frame()
    frame.wait_for_load_state("load")
    return frame


def heights(page, selector):
    """(the iframe's height on the organiser's page, its content's height inside the frame)."""
    outer = page.locator(f"{selector} iframe").evaluate("el => el.getBoundingClientRect().height")
    inner = frame_of(page, selector).evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    return outer, inner


def test_organiser_page_embeds_cards_that_resize_and_sell_for_the_fair(
    page, migration_data, demo_live_server, organiser_site
):
    shop = demo_live_server.url
    fair = TradeFairPage.objects.get(code=CODE, locale__language_code="vi")
    featured = [block["value"] for block in fair.featured_products.raw_data]
    record = StockRecord.objects.filter(product_id__in=featured, num_in_stock__gte=5).select_related("product").first()
    product = record.product
    folder, origin = organiser_site
    (folder / "index.html").write_text(
        ORGANISER_PAGE.format(product=product.pk, code=CODE, fair=fair.pk, shop=shop), encoding="utf-8"
    )

    page.goto(f"{origin}/index.html")
    for selector, initial in (("#card", 260), ("#fair", 600)):
        iframe = page.locator(f"{selector} iframe")
        iframe.wait_for(state="attached")
        src = iframe.get_attribute("src")
        assert src.startswith(f"{shop}/embed/") and f"parent={origin.replace(':', '%3A').replace('/', '%2F')}" in src
        # The iframe takes its content's height (postMessage from the frame, checked origin on both sides).
        wait_for(lambda s=selector: abs(heights(page, s)[0] - heights(page, s)[1]) <= 1, message=f"{selector} resized")
        outer, inner = heights(page, selector)
        assert outer != initial and abs(outer - inner) <= 1, (selector, outer, inner)
    card = frame_of(page, "#card")
    assert product.get_title() in card.locator("h2").inner_text()
    assert len(frame_of(page, "#fair").locator("li.e-card").all()) == len(featured)

    # Each iframe shown on the organiser's page counted one view for the fair (the beacon).
    key = fair.translation_key

    def views():
        row = FairCount.objects.filter(fair_key=key, kind=FairCount.Kind.EMBED_VIEW).first()
        return row.count if row else 0

    wait_for(lambda: views() == 2, message="two embed views")

    # Buy opens the shop in a new top-level tab, carrying the fair's code.
    buy = card.locator("a.e-btn")
    assert (buy.get_attribute("target"), buy.get_attribute("rel")) == ("_blank", "noopener")
    with page.context.expect_page() as new_tab:
        buy.click()
    shop_tab = new_tab.value
    shop_tab.wait_for_load_state()
    assert shop_tab.url.startswith(shop + product.get_absolute_url())
    assert f"hoi_cho={CODE}" in shop_tab.url and "nguon=nhung" in shop_tab.url
    assert any(cookie["name"] == "htx_hoi_cho" for cookie in page.context.cookies(shop))

    # An order placed there, cash on delivery, is the fair's.
    shop_tab.locator("#add_to_basket_form button[type=submit]").click()
    shop_tab.wait_for_load_state()
    checkout_until_payment(shop_tab, shop, "cod")
    place_order(shop_tab)
    order = thank_you_order(shop_tab)
    assert order.fair_attribution.code == CODE and order.fair_attribution.source == "embed"
    clicks = FairCount.objects.get(fair_key=key, kind=FairCount.Kind.EMBED_CLICK).count
    assert clicks == 1

    # ...and shows in the fair's report.
    shop_tab.goto(f"{shop}/admin/login/")
    shop_tab.locator("input[name=username]").fill("admin")
    shop_tab.locator("input[name=password]").fill(settings.DEMO_PASSWORD)
    shop_tab.locator("form [type=submit]").first.click()
    shop_tab.wait_for_url(f"{shop}/admin/")
    shop_tab.goto(f"{shop}/admin/hoi-cho/{fair.pk}/")
    totals = shop_tab.locator(".fair-report__totals").inner_text()
    revenue = sum(int(line.line_price_incl_tax) for line in order.lines.all())
    from django.utils import translation

    with translation.override("vi"):
        expected = str(currency(revenue, "VND"))
    assert expected.replace("\xa0", " ") in totals.replace("\xa0", " ")
    assert product.get_title() in shop_tab.locator("#top-products + table").inner_text()
    assert page.console_errors == []
