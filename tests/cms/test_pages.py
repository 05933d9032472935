"""Page types: where each may be created, and that each renders with the demo's sample content."""

from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    ArticlePage,
    CollectionPage,
    CooperativeIndexPage,
    CooperativePage,
    HomePage,
    NewsIndexPage,
    StandardPage,
    TradeFairPage,
)

ALL = [
    HomePage,
    StandardPage,
    CooperativeIndexPage,
    CooperativePage,
    CollectionPage,
    NewsIndexPage,
    ArticlePage,
    TradeFairPage,
]
ALLOWED = {
    HomePage: {Page},
    StandardPage: {HomePage, StandardPage},
    CooperativeIndexPage: {HomePage},
    CooperativePage: {CooperativeIndexPage},
    CollectionPage: {HomePage},
    NewsIndexPage: {HomePage},
    ArticlePage: {NewsIndexPage, CooperativePage},
    TradeFairPage: {NewsIndexPage},
}


class PageTreeRulesTests(WagtailPageTestCase):
    def test_each_page_type_can_be_created_only_under_its_parents(self):
        for child in ALL:
            for parent in [Page, *ALL]:
                if parent in ALLOWED[child]:
                    self.assertCanCreateAt(parent, child)
                else:
                    self.assertCanNotCreateAt(parent, child)

    def test_leaf_pages_have_no_children(self):
        for leaf in (CollectionPage, ArticlePage, TradeFairPage):
            self.assertAllowedSubpageTypes(leaf, {})

    def test_a_cooperative_page_holds_its_own_articles(self):
        self.assertAllowedSubpageTypes(CooperativePage, {ArticlePage})

    def test_home_and_cooperative_index_are_single(self):
        home = HomePage.objects.filter(locale__language_code="vi").first()
        self.assertFalse(CooperativeIndexPage.can_create_at(home))
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))  # one per language already


class RenderTests(WagtailPageTestCase):
    def test_every_demo_page_renders_in_both_languages(self):
        for model in ALL:
            for language in ("vi", "en"):
                pages = model.objects.live().filter(locale=Locale.objects.get(language_code=language))
                self.assertTrue(pages.exists(), f"no {language} {model.__name__} in the demo")
                for page in pages:
                    self.assertPageIsRenderable(page)

    def test_pages_say_they_are_samples(self):
        page = CooperativePage.objects.get(slug="htx-bu-gia-map")
        html = self.client.get(page.url).content.decode()
        self.assertIn("Nội dung mẫu", html)
        self.assertIn("543,8", html)  # area with its as-of date
        self.assertIn("tính đến", html)

    def test_cooperative_lists_its_products_and_organization_schema(self):
        page = CooperativePage.objects.get(slug="htx-bu-gia-map")
        response = self.client.get(page.url)
        html = response.content.decode()
        self.assertIn('itemtype="https://schema.org/Organization"', html)
        products = response.context["products"]
        self.assertTrue(products)
        self.assertTrue(all(p.stockrecords.all()[0].partner.code == "bugiamap" for p in products))
        # Its raw-material zones and certificates come from the traceability records.
        self.assertTrue(response.context["zones"])
        self.assertTrue(response.context["certifications"])
        self.assertIn('id="zones-heading"', html)

    def test_trade_fair_shows_dates_venue_booth_and_products(self):
        page = TradeFairPage.objects.get(slug="hoi-cho-ocop-dong-nai")
        response = self.client.get(page.url)
        html = response.content.decode()
        self.assertIn('itemtype="https://schema.org/Event"', html)
        self.assertIn("Gian hàng A12", html)
        self.assertEqual(len(response.context["products"]), 3)

    def test_curated_and_rule_collections(self):
        curated = CollectionPage.objects.get(slug="qua-tet")
        response = self.client.get(curated.url)
        titles = [p.title for p in response.context["products"]]
        self.assertEqual(titles[0], "Hộp quà Tết hạt điều hữu cơ Đồng Nai")
        rule = CollectionPage.objects.get(slug="dieu-nhan")
        products = list(self.client.get(rule.url).context["products"])
        self.assertTrue(products)
        self.assertTrue(all(p.categories.filter(slug="dieu-nhan").exists() for p in products))
        prices = [p.card_price for p in products]
        self.assertEqual(prices, sorted(prices))

    def test_trade_fair_dates_are_checked(self):
        from datetime import date

        from django.core.exceptions import ValidationError

        fair = TradeFairPage(title="x", slug="x", start_date=date(2027, 1, 5), end_date=date(2027, 1, 1), venue="v")
        with self.assertRaises(ValidationError):
            fair.clean()

    def test_cooperative_figures_need_an_as_of_date(self):
        from django.core.exceptions import ValidationError

        page = CooperativePage(title="x", slug="x", members=10)
        with self.assertRaises(ValidationError):
            page.clean()
