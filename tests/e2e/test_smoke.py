"""The newcomer's first look: home, language switch and catalogue in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_switch_language_and_browse(page, demo_live_server):
    page.goto(demo_live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    assert page.locator("h1").first.inner_text() == "OCOP cashews from Bù Gia Mập and Đồng Nai"
    page.get_by_role("link", name="View products").click()
    page.wait_for_url("**/en/shop/catalogue/")
    assert page.locator(".product-card").count() >= 12
    assert "₫" in page.locator(".product-card .price").first.inner_text()
    assert page.console_errors == []
