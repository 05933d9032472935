"""Which fair a sale came through: the code on links, the first-touch cookie, the basket, the order.

From an embed's Buy link (or a short link / QR code) through the basket and the checkout into the
order; the first fair within FAIR_ATTRIBUTION_DAYS wins, a later fair does not overwrite it, after
expiry a new fair can; embeds never set the cookie; cached pages still count and remember.
"""

import re
from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from cms.models import TradeFairPage
from shop.fairs import attribution
from shop.fairs.models import BasketAttribution, FairCount, OrderAttribution
from tests.factories import create_fair
from tests.shop.checkout_steps import add_to_basket, new_products, place_order, to_preview

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
DEMO_CODE = "DEMO-OCOPDN"


@pytest.fixture(autouse=True)
def _vietnamese(vi):
    """Expected URLs are built in Vietnamese, whatever language an earlier request left active."""


@pytest.fixture
def demo_fair():
    return TradeFairPage.objects.get(code=DEMO_CODE, locale__language_code="vi")


@pytest.fixture
def products():
    return new_products(stock=10, price=250000)


@pytest.fixture
def fair(products):
    """A fair of today showing one new product of each cooperative."""
    return create_fair("HCM2026", products=products)


@pytest.fixture
def other_fair(products):
    return create_fair("HN2026", products=products, title="Hội chợ thử Hà Nội")


def count(fair, kind):
    row = FairCount.objects.filter(fair_key=fair.translation_key, kind=kind).first()
    return row.count if row else 0


def buy_links(html):
    return [
        unescape(href) for href in re.findall(r'<a class="e-btn" href="([^"]+)" target="_blank" rel="noopener">', html)
    ]


def cookie_touch(client):
    """The fair the visitor's signed cookie names (None without a valid one)."""
    morsel = client.cookies.get(attribution.COOKIE_NAME)
    if morsel is None or not morsel.value:
        return None
    request = HttpRequest()
    request.COOKIES = {attribution.COOKIE_NAME: morsel.value}
    return attribution.read_touch(request)


def checkout_cod(client):
    response = place_order(client, to_preview(client, "cod"))
    assert response.status_code == 302, response
    return Order.objects.order_by("-pk").first()


# LINKS OUT OF EMBEDS
# ------------------------------------------------------------------------------
def test_a_fairs_embed_links_carry_its_code_and_open_a_new_tab(client, fair, products):
    html = client.get(f"/embed/page/{fair.pk}/").content.decode()
    links = buy_links(html)
    assert len(links) == 2
    for link, product in zip(links, products, strict=True):
        assert link == f"{product.get_absolute_url()}?hoi_cho=HCM2026&nguon=nhung"
    more = re.search(r'<p class="e-more"><a href="([^"]+)" target="_blank" rel="noopener">', html)
    assert unescape(more.group(1)) == f"{fair.url}?hoi_cho=HCM2026&nguon=nhung"


def test_any_embed_asked_for_with_a_fair_code_carries_it(client, fair, products):
    bgm = products[0]
    assert buy_links(client.get(f"/embed/product/{bgm.pk}/?hoi_cho=hcm2026").content.decode()) == [
        f"{bgm.get_absolute_url()}?hoi_cho=HCM2026&nguon=nhung"
    ]
    # No code, or a code no fair has: plain links, and the embed still works.
    assert buy_links(client.get(f"/embed/product/{bgm.pk}/").content.decode()) == [bgm.get_absolute_url()]
    response = client.get(f"/embed/product/{bgm.pk}/?hoi_cho=KHONGCO")
    assert response.status_code == 200 and buy_links(response.content.decode()) == [bgm.get_absolute_url()]


def test_an_unpublished_fairs_code_is_not_carried(client, fair, products):
    fair.unpublish()
    bgm = products[0]
    assert buy_links(client.get(f"/embed/product/{bgm.pk}/?hoi_cho=HCM2026").content.decode()) == [
        bgm.get_absolute_url()
    ]
    client.get(f"{bgm.get_absolute_url()}?hoi_cho=HCM2026")
    assert attribution.COOKIE_NAME not in client.cookies and count(fair, FairCount.Kind.LINK_CLICK) == 0


# EMBED TO ORDER TO REPORT
# ------------------------------------------------------------------------------
def test_attribution_survives_from_an_embed_click_through_checkout_into_the_order_and_the_report(
    client, admin_client, fair, products
):
    embed = client.get(f"/embed/page/{fair.pk}/")
    assert not embed.cookies
    link = buy_links(embed.content.decode())[0]

    landing = client.get(link)
    assert landing.status_code == 200
    assert attribution.COOKIE_NAME in landing.cookies and "private" in landing["Cache-Control"]
    assert count(fair, FairCount.Kind.EMBED_CLICK) == 1 and count(fair, FairCount.Kind.LINK_CLICK) == 0
    assert not BasketAttribution.objects.exists(), "no basket yet: the cookie remembers the fair"

    add_to_basket(client, products[0], 2)
    mark = BasketAttribution.objects.get()
    assert (mark.code, mark.source, mark.fair_key) == ("HCM2026", "embed", fair.translation_key)

    order = checkout_cod(client)
    assert order.fair_attribution.code == "HCM2026" and order.fair_attribution.source == "embed"

    report = admin_client.get(f"/admin/hoi-cho/{fair.pk}/").content.decode()
    assert "500.000\xa0₫" in report  # 2 × 250.000 ₫ of order lines
    assert products[0].title in report
    rows = admin_client.get(f"/admin/hoi-cho/{fair.pk}/bao-cao.csv").content.decode("utf-8-sig").splitlines()
    today = timezone.localdate().isoformat()
    assert f"{today},0,1,0,1,500000" in rows
    assert rows[-1] == "total,0,1,0,1,500000"


def test_a_card_order_placed_by_the_webhook_keeps_the_fair(client, fair, products, stripe_local, card_token):
    """No browser cookie reaches the webhook: the basket carries the fair to the order."""
    from shop.payment.models import PaymentAttempt
    from tests.shop.checkout_steps import authenticate_3ds, post_event, signed_event

    client.get(f"/h/{fair.code}/{products[0].pk}", follow=True)
    add_to_basket(client, products[0])
    place_order(client, to_preview(client, "card"), payment_method_id=card_token("4000002760003184"))
    attempt = PaymentAttempt.objects.get(basket__lines__product=products[0])
    intent_id = attempt.intents.get().intent_id
    assert authenticate_3ds(intent_id) == "succeeded"

    stripe = Client()  # Stripe's servers: no cookies, no session
    assert post_event(stripe, *signed_event(intent_id)).status_code == 200
    attempt.refresh_from_db()
    assert attempt.order.fair_attribution.code == "HCM2026"
    assert attempt.order.fair_attribution.source == "link"


# FIRST TOUCH, EXPIRY
# ------------------------------------------------------------------------------
def test_the_first_fair_wins_and_a_later_fairs_link_does_not_overwrite_it(client, fair, other_fair, products):
    client.get(f"{products[0].get_absolute_url()}?hoi_cho=HCM2026")
    first = cookie_touch(client)
    response = client.get(f"{products[1].get_absolute_url()}?hoi_cho=HN2026")
    assert attribution.COOKIE_NAME not in response.cookies, "the first fair's cookie is kept"
    assert cookie_touch(client) == first and first.code == "HCM2026"
    # The second fair's link still counts as a visit for the second fair.
    assert count(fair, FairCount.Kind.LINK_CLICK) == 1 and count(other_fair, FairCount.Kind.LINK_CLICK) == 1
    add_to_basket(client, products[1])
    assert checkout_cod(client).fair_attribution.code == "HCM2026"


def test_a_basket_keeps_its_fair_even_when_the_visitor_comes_through_another(client, fair, other_fair, products):
    client.get(f"/h/{fair.code}", follow=True)
    add_to_basket(client, products[0])
    client.cookies.pop(attribution.COOKIE_NAME)  # cookies cleared, the basket cookie kept
    client.get(f"/h/{other_fair.code}", follow=True)
    assert cookie_touch(client).code == "HN2026"
    add_to_basket(client, products[1])
    assert BasketAttribution.objects.get().code == "HCM2026"
    assert checkout_cod(client).fair_attribution.code == "HCM2026"


def test_after_expiry_a_new_fair_can_take_over(client, settings, fair, other_fair, products):
    long_ago = timezone.now() - timedelta(days=settings.FAIR_ATTRIBUTION_DAYS + 1)
    with mock.patch.object(attribution, "now", return_value=long_ago):
        client.get(f"{products[0].get_absolute_url()}?hoi_cho=HCM2026")
        assert cookie_touch(client).code == "HCM2026"
        add_to_basket(client, products[0])
    assert BasketAttribution.objects.get().code == "HCM2026"
    assert cookie_touch(client) is None, "expired"

    response = client.get(f"{products[1].get_absolute_url()}?hoi_cho=HN2026")
    assert attribution.COOKIE_NAME in response.cookies
    assert cookie_touch(client).code == "HN2026"
    mark = BasketAttribution.objects.get()
    assert mark.code == "HN2026", "the expired mark gave way to the new fair"
    assert checkout_cod(client).fair_attribution.code == "HN2026"


def test_an_order_placed_after_the_window_is_not_attributed(client, settings, fair, products):
    long_ago = timezone.now() - timedelta(days=settings.FAIR_ATTRIBUTION_DAYS + 1)
    with mock.patch.object(attribution, "now", return_value=long_ago):
        client.get(f"{products[0].get_absolute_url()}?hoi_cho=HCM2026")
        add_to_basket(client, products[0])
    order = checkout_cod(client)
    assert not OrderAttribution.objects.filter(order=order).exists()


def test_within_the_window_the_order_is_attributed(client, settings, fair, products):
    recently = timezone.now() - timedelta(days=settings.FAIR_ATTRIBUTION_DAYS - 1)
    with mock.patch.object(attribution, "now", return_value=recently):
        client.get(f"{products[0].get_absolute_url()}?hoi_cho=HCM2026")
    add_to_basket(client, products[0])
    assert checkout_cod(client).fair_attribution.code == "HCM2026"


def test_moving_around_the_shop_with_the_code_in_the_address_is_not_another_click(client, fair, products):
    landing = f"{products[0].get_absolute_url()}?hoi_cho=HCM2026&nguon=nhung"
    client.get(landing, HTTP_REFERER=f"http://testserver/embed/page/{fair.pk}/")  # the embed's Buy
    # Oscar sends the shopper back to the page they added from, code and all.
    client.post(f"/shop/basket/add/{products[0].pk}/", {"quantity": 1}, HTTP_REFERER=f"http://testserver{landing}")
    back = client.get(landing, HTTP_REFERER=f"http://testserver{landing}")
    assert back.status_code == 200
    assert count(fair, FairCount.Kind.EMBED_CLICK) == 1
    # From another site (the organiser's page, a chat app) it is a new click.
    client.get(landing, HTTP_REFERER="https://hoicho.example.vn/san-pham")
    assert count(fair, FairCount.Kind.EMBED_CLICK) == 2


def test_a_forged_or_garbled_cookie_is_ignored(client, fair, products):
    client.cookies[attribution.COOKIE_NAME] = f"{fair.translation_key}|HCM2026|link|9999999999"
    add_to_basket(client, products[0])
    assert not BasketAttribution.objects.exists()
    assert not OrderAttribution.objects.filter(order=checkout_cod(client)).exists()


def test_a_touch_round_trips_through_its_cookie_value():
    touch = attribution.Touch("0b5e", "HCM2026", "embed", timezone.now().replace(microsecond=0))
    assert attribution.Touch.from_cookie(touch.as_cookie()) == touch
    assert attribution.Touch.from_cookie("garbage") is None and attribution.Touch.from_cookie("a|b|c|x") is None


# SHORT LINKS
# ------------------------------------------------------------------------------
def test_short_link_goes_to_the_fair_page_carrying_the_code(client, fair):
    for path in ("/h/HCM2026", "/h/hcm2026/", "/h/HCM2026/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{fair.url}?hoi_cho=HCM2026"
        assert not response.cookies, "the page it lands on remembers the fair, not the redirect"
    landing = client.get(f"{fair.url}?hoi_cho=HCM2026")
    assert landing.status_code == 200 and attribution.COOKIE_NAME in landing.cookies
    assert count(fair, FairCount.Kind.LINK_CLICK) == 1


def test_short_link_of_a_product_and_in_the_visitors_language(client, fair, products, demo_fair):
    from wagtail.models import Locale

    bgm = products[0]
    response = client.get(f"/h/HCM2026/{bgm.pk}")
    assert response.status_code == 302 and response["Location"] == f"{bgm.get_absolute_url()}?hoi_cho=HCM2026"
    english = client.get(f"/h/HCM2026/{bgm.pk}", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert english["Location"] == f"/en/shop/catalogue/{bgm.slug}_{bgm.pk}/?hoi_cho=HCM2026"
    english_fair = demo_fair.get_translation(Locale.objects.get(language_code="en"))
    response = client.get("/h/DEMO-OCOPDN", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == f"{english_fair.url}?hoi_cho=DEMO-OCOPDN" and english_fair.url.startswith("/en/")
    # A fair without an English page sends English visitors to the Vietnamese one.
    assert client.get("/h/HCM2026", HTTP_ACCEPT_LANGUAGE="en")["Location"] == f"{fair.url}?hoi_cho=HCM2026"


def test_short_link_of_a_product_no_longer_sold_goes_to_the_fair(client, fair, products):
    from oscar.core.loading import get_model

    get_model("catalogue", "Product").objects.filter(pk=products[0].pk).update(is_public=False)
    response = client.get(f"/h/HCM2026/{products[0].pk}")
    assert response["Location"] == f"{fair.url}?hoi_cho=HCM2026"


def test_unknown_short_link_is_a_clear_404(client):
    response = client.get("/h/KHONGCO")
    assert response.status_code == 404
    assert client.get("/h/co%20dau").status_code == 404


def test_demo_fair_short_link(client, demo_fair):
    assert client.get("/h/DEMO-OCOPDN")["Location"] == f"{demo_fair.url}?hoi_cho=DEMO-OCOPDN"


# NO COOKIES ON EMBEDS, VIEWS COUNTED BY BEACON
# ------------------------------------------------------------------------------
def test_embed_routes_never_set_the_fair_cookie_nor_count_a_click(client, fair, products):
    for url in (f"/embed/product/{products[0].pk}/?hoi_cho=HCM2026", f"/embed/page/{fair.pk}/?hoi_cho=HCM2026"):
        response = client.get(url)
        assert response.status_code == 200 and not response.cookies
    assert count(fair, FairCount.Kind.EMBED_CLICK) == count(fair, FairCount.Kind.LINK_CLICK) == 0


def test_a_fairs_embed_asks_for_the_view_beacon(client, fair, products):
    html = client.get(f"/embed/page/{fair.pk}/").content.decode()
    assert '<body data-beacon="/embed/xem/?hoi_cho=HCM2026">' in html
    assert "<body>" in client.get(f"/embed/product/{products[0].pk}/").content.decode(), "no fair, no beacon"


def test_the_beacon_counts_one_view_and_sets_no_cookie(client, fair):
    for _ in range(3):
        response = client.post("/embed/xem/?hoi_cho=HCM2026")
        assert response.status_code == 204 and not response.cookies
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert count(fair, FairCount.Kind.EMBED_VIEW) == 3
    assert FairCount.objects.filter(fair_key=fair.translation_key, kind="embed_view").count() == 1
    assert client.get("/embed/xem/?hoi_cho=HCM2026").status_code == 405
    assert client.post("/embed/xem/?hoi_cho=KHONGCO").status_code == 404
    assert client.post("/en/embed/xem/?hoi_cho=HCM2026").status_code == 204


def test_the_counter_is_one_row_per_fair_day_and_kind(fair):
    yesterday = timezone.localdate() - timedelta(days=1)
    for _ in range(2):
        FairCount.bump(fair.translation_key, FairCount.Kind.LINK_CLICK)
    FairCount.bump(fair.translation_key, FairCount.Kind.LINK_CLICK, day=yesterday)
    rows = dict(FairCount.objects.filter(fair_key=fair.translation_key).values_list("day", "count"))
    assert rows == {timezone.localdate(): 2, yesterday: 1}


# THE PAGE CACHE
# ------------------------------------------------------------------------------
def test_a_visitor_landing_with_the_code_on_a_cached_page_is_counted_and_remembered(page_cache, fair):
    url = f"{fair.url}?hoi_cho=HCM2026"
    first = Client().get(url)
    assert first["X-Page-Cache"] == "miss" and attribution.COOKIE_NAME in first.cookies
    second = Client().get(url)
    assert second["X-Page-Cache"] == "hit", "served from the page cache..."
    assert attribution.COOKIE_NAME in second.cookies, "...and still remembered"
    assert "private" in second["Cache-Control"]
    assert count(fair, FairCount.Kind.LINK_CLICK) == 2


def test_cached_pages_stay_cookie_free_for_everyone_else(page_cache, fair):
    code_url = f"{fair.url}?hoi_cho=HCM2026"
    Client().get(code_url)  # stored while the fair's cookie was being set on the same response
    for _ in range(2):  # miss, then hit
        plain = Client().get(fair.url)
        assert not plain.cookies, list(plain.cookies)
    assert plain["X-Page-Cache"] == "hit"
    # A visitor whose fair is already remembered gets the stored code page without any cookie:
    # the cookie was never stored with the page. And the fair cookie does not make pages personal.
    visitor = Client()
    visitor.get(f"/h/{fair.code}", follow=True)
    for url in (code_url, fair.url):
        again = visitor.get(url)
        assert again["X-Page-Cache"] == "hit" and not again.cookies, url
