"""Storefront pages in headless Chromium at phone and desktop widths: no console errors, no serious
or critical axe-core violations (axe-core from tests/e2e/vendor, never a CDN), and the search box.

One test function, because each browser test restores the whole database (tests/e2e/conftest.py)."""

from pathlib import Path

import pytest
from oscar.core.loading import get_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = [(390, 844), (1280, 900)]
PAGES = [
    ("home", "/"),
    ("collection", "/qua-tet/"),
    ("product", None),  # filled in from the demo product below
    ("cooperative", "/hop-tac-xa/htx-bu-gia-map/"),
    ("trade fair", "/tin-tuc/hoi-cho-ocop-dong-nai/"),
    ("English cooperative", "/en/cooperatives/bu-gia-map-cooperative/"),
]


def _serious_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_storefront_pages_at_phone_and_desktop_widths(page, demo_live_server):
    Product = get_model("catalogue", "Product")
    product_url = Product.objects.get(upc="DEMO-BGM-RM-500").get_absolute_url()
    problems = []
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        for name, path in PAGES:
            page.console_errors.clear()
            response = page.goto(demo_live_server.url + (path or product_url))
            assert response.status == 200, (name, width)
            page.wait_for_load_state("load")
            # Nothing wider than the screen (no sideways scrolling on a phone).
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 1:
                problems.append(f"{name} @{width}px: {overflow}px wider than the viewport")
            broken = page.evaluate(
                "Array.from(document.images).filter(i => i.complete && i.loading !== 'lazy' && !i.naturalWidth)"
                ".map(i => i.currentSrc || i.src)"
            )
            problems += [f"{name} @{width}px: broken image {src}" for src in broken]
            problems += [f"{name} @{width}px: console: {e}" for e in page.console_errors]
            problems += [f"{name} @{width}px: axe {v}" for v in _serious_violations(page)]
    assert problems == []

    # The search box: plain typing finds the accented product (in the same test: one restore).
    page.goto(demo_live_server.url + "/")
    page.get_by_role("searchbox").first.fill("hat dieu rang muoi")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=hat+dieu+rang+muoi")
    assert page.get_by_role("link", name="Hạt điều rang muối Bù Gia Mập 500 g").count() == 1
    assert page.console_errors == []
