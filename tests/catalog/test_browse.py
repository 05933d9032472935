"""Catalogue browsing: category, cooperative, certification, OCOP and price filters with facet counts."""

from datetime import date, timedelta

import pytest
from oscar.core.loading import get_model

from catalog import browse

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Certification = get_model("catalogue", "Certification")
OcopRating = get_model("catalogue", "OcopRating")
Cooperative = get_model("catalogue", "Cooperative")


def _listing(client, **params):
    """The listing's context, with "products" the page's products in the order shown."""
    context = client.get("/shop/catalogue/", params).context
    found = browse.products_for_cards(context["product_ids"])
    assert len(context["cards"]) == len(context["product_ids"])
    return {"facets": context["facets"], "products": [found[pk] for pk in context["product_ids"]]}


def test_category_filter_and_facet_counts(client):
    context = _listing(client, category="dieu-nhan")
    titles = [p.title for p in context["products"]]
    assert titles and all("Điều nhân" in t for t in titles)
    facets = {f.value: f for f in context["facets"]["category"]}
    assert facets["dieu-nhan"].selected and facets["dieu-nhan"].count == len(titles)
    assert facets["hop-qua"].count == 2  # counted over the other filters, not this one


def test_cooperative_and_price_filters_combine(client):
    context = _listing(client, cooperative="huucodongnai", min_price=100000, max_price=200000, sort="price-asc")
    prices = [p.card_price for p in context["products"]]
    assert prices == sorted(prices) and all(100000 <= p <= 200000 for p in prices)
    coops = {f.value: f.count for f in context["facets"]["cooperative"]}
    assert set(coops) == {"bugiamap", "huucodongnai"}


def _cooperative(code):
    cooperative = Cooperative.objects.filter(partner__code=code).first()
    if cooperative is None:
        from oscar.core.loading import get_model as gm

        partner = gm("partner", "Partner").objects.get(code=code)
        cooperative = Cooperative.objects.create(partner=partner, slug=f"test-{code}", name=partner.name)
    return cooperative


def test_certification_and_ocop_filters_count_only_certificates_in_force(client):
    coop = _cooperative("bugiamap")
    kernels = Product.objects.get(upc="DEMO-BGM-W240-500")
    salted = Product.objects.get(upc="DEMO-BGM-RM-500")
    today = date.today()
    vietgap = Certification.objects.create(
        kind="vietgap",
        number="DEMO-TEST-VG",
        certifying_body="DEMO",
        cooperative=coop,
        valid_from=today - timedelta(days=10),
        expires_on=today + timedelta(days=300),
    )
    expired = Certification.objects.create(
        kind="organic_vn",
        number="DEMO-TEST-HC",
        certifying_body="DEMO",
        cooperative=coop,
        valid_from=today - timedelta(days=800),
        expires_on=today - timedelta(days=1),
    )
    kernels.certifications.add(vietgap, expired)
    OcopRating.objects.create(
        kind="ocop",
        number="DEMO-TEST-OCOP",
        certifying_body="DEMO",
        cooperative=coop,
        product=salted,
        stars=4,
        valid_from=today - timedelta(days=10),
        expires_on=today + timedelta(days=1000),
    )
    vietgap_pks = {p.pk for p in _listing(client, certification="vietgap")["products"]}
    assert kernels.pk in vietgap_pks
    organic_pks = {p.pk for p in _listing(client, certification="organic")["products"]}
    assert kernels.pk not in organic_pks  # its organic certificate has expired
    ocop4 = {p.pk for p in _listing(client, ocop=4)["products"]}
    assert salted.pk in ocop4
    assert salted.pk not in {p.pk for p in _listing(client, ocop=5)["products"]}
    facets = _listing(client)["facets"]
    assert {f.value: f.count for f in facets["ocop"]}.get("4", 0) >= 1
    assert "vietgap" in {f.value for f in facets["certification"]}


def test_bad_filters_are_reported_not_crashing(client):
    response = client.get("/shop/catalogue/", {"min_price": "500", "max_price": "100", "ocop": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_products_for_cards_fetches_in_bulk(django_assert_num_queries):
    ids = list(Product.objects.browsable().values_list("pk", flat=True)[:10])
    with django_assert_num_queries(4):  # products, images, stock records, partners
        cards = browse.products_for_cards(ids)
        names = [(p.primary_image(), p.stockrecords.all()[0].partner.name) for p in cards.values()]
    assert len(names) == 10


def test_facet_counts_are_kept_until_the_catalogue_changes(client, monkeypatch):
    counted = []
    count_facets = browse.count_facets
    monkeypatch.setattr(browse, "count_facets", lambda *args: counted.append(args) or count_facets(*args))

    def cooperatives(**params):
        return {f.value: f.count for f in _listing(client, **params)["facets"]["cooperative"]}

    before = cooperatives(sort="price-asc")
    # Another sort of the same listing reuses the counts; another filter has its own.
    assert cooperatives(sort="newest") == before and len(counted) == 1
    cooperatives(category="dieu-nhan")
    assert len(counted) == 2
    # A product taken off sale drops them.
    product = Product.objects.filter(cooperative__partner__code="bugiamap", structure="standalone").first()
    product.is_public = False
    product.save()
    assert cooperatives(sort="price-asc")["bugiamap"] == before["bugiamap"] - 1 and len(counted) == 3
