"""The address book's province → commune/ward lists in Chromium: filled in place with JavaScript,
by the "show wards" button without it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ADD_ADDRESS = "/shop/accounts/addresses/add/"


@pytest.fixture
def signed_in_cookie(demo_live_server):
    user = get_user_model().objects.create_user("lan", "lan@example.org", "pw-lan-12345")
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    return user, {"name": "sessionid", "value": cookie.value, "url": demo_live_server.url}


def fill_the_rest(page):
    page.fill("#id_first_name", "Nguyễn Thị Lan")
    page.fill("#id_phone_number", "0251 3822 123")
    page.fill("#id_line1", "Thôn 3, đường ĐT 741")


def test_wards_follow_the_province_with_and_without_javascript(page, browser, demo_live_server, signed_in_cookie):
    # One live-server test for both: each live-server test restores the whole database.
    user, cookie = signed_in_cookie
    page.context.add_cookies([cookie])
    page.goto(demo_live_server.url + ADD_ADDRESS)
    # The server-side button gives way to the script.
    assert page.locator("button[name=refresh_wards]").count() == 0
    fill_the_rest(page)
    with page.expect_response("**/shop/dia-chi/phuong-xa/?tinh=75"):
        page.select_option("#id_province_code", label="Đồng Nai")
    page.select_option("#id_ward_code", label="Xã Bù Gia Mập")
    with page.expect_response("**/shop/dia-chi/phuong-xa/?tinh=79"):
        page.select_option("#id_province_code", label="Thành phố Hồ Chí Minh")
    assert page.locator("#id_ward_code option", has_text="Xã Bù Gia Mập").count() == 0
    with page.expect_response("**/shop/dia-chi/phuong-xa/?tinh=75"):
        page.select_option("#id_province_code", label="Đồng Nai")
    page.select_option("#id_ward_code", label="Xã Bù Gia Mập")
    page.get_by_role("button", name="Lưu địa chỉ").click()
    page.wait_for_url("**/shop/accounts/addresses/")
    saved = user.addresses.get()
    assert (saved.province_code, saved.line4, saved.state) == ("75", "Xã Bù Gia Mập", "Đồng Nai")
    assert saved.phone_number.as_e164 == "+842513822123"
    assert page.console_errors == []
    saved.delete()

    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    context.add_cookies([cookie])
    page = context.new_page()
    try:
        page.goto(demo_live_server.url + ADD_ADDRESS)
        fill_the_rest(page)
        page.select_option("#id_province_code", label="Đồng Nai")
        page.get_by_role("button", name="Hiện danh sách phường/xã").click()
        page.wait_for_load_state()
        # Same form again, what was typed still there, and the province's wards to choose from.
        assert page.input_value("#id_first_name") == "Nguyễn Thị Lan"
        assert page.input_value("#id_phone_number") == "0251 3822 123"
        assert page.locator(".error-summary").count() == 0
        page.select_option("#id_ward_code", label="Xã Bù Gia Mập")
        page.get_by_role("button", name="Lưu địa chỉ").click()
        page.wait_for_url("**/shop/accounts/addresses/")
        assert user.addresses.get().ward_code == saved.ward_code
    finally:
        context.close()
