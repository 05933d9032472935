"""The localstripe wrapper: loopback only, private state; `rundemo` wires the shop to it without keys."""

import os
import socket
import stat
import urllib.parse
import urllib.request

import pytest
from django.core import checks

from shop.management.commands.rundemo import Command as RunDemo
from shop.payment import stripe_client
from shop.payment.apps import stripe_settings_check
from shop.payment.localstripe_server import LocalStripe


def create_token(url):
    data = urllib.parse.urlencode(
        {
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
            "card[cvc]": "123",
            "key": "pk_test_x",
        }
    ).encode()
    urllib.request.urlopen(url + "/v1/tokens", data, timeout=10).close()


def test_binds_loopback_only_on_a_free_port(localstripe):
    host, port = urllib.parse.urlsplit(localstripe.url).hostname, urllib.parse.urlsplit(localstripe.url).port
    assert host == "127.0.0.1" and port > 1024
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for address in addresses:
        with socket.socket() as probe:
            probe.settimeout(1)
            assert probe.connect_ex((address, port)) != 0, f"localstripe answers on {address}"


def test_state_file_is_private_and_nothing_lands_in_shared_tmp(tmp_path):
    before = os.path.exists("/tmp/localstripe.pickle")
    state = tmp_path / "private" / "state.pickle"
    server = LocalStripe.start(state_file=state)
    try:
        create_token(server.url)
    finally:
        server.stop()
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.parent.stat().st_mode) == 0o700
    assert os.path.exists("/tmp/localstripe.pickle") == before


def test_rundemo_points_the_shop_at_its_own_localstripe(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    server = RunDemo()._start_localstripe("http://127.0.0.1:8000")
    try:
        assert settings.STRIPE_API_BASE == server.url
        assert settings.STRIPE_SECRET_KEY.startswith("sk_test_") and settings.STRIPE_WEBHOOK_SECRET.startswith("whsec_")
        assert stripe_client.is_configured() and stripe_client.is_test_mode()
        assert stripe_client.js_url() == server.url + "/js.stripe.com/v3/"
    finally:
        server.stop()


def test_real_keys_use_real_stripe_js(settings):
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_live_x", "pk_live_x"
    assert stripe_client.js_url() == "https://js.stripe.com/v3/"
    assert not stripe_client.is_test_mode()


@pytest.mark.parametrize(
    ("secret", "publishable", "webhook", "ids"),
    [
        ("sk_live_x", "pk_live_x", "", ["payment.W001"]),
        ("sk_live_x", "", "whsec_x", ["payment.W002"]),
        ("sk_live_x", "pk_live_x", "whsec_x", []),
        ("", "", "", []),
    ],
)
def test_settings_check_warns_about_half_configured_stripe(settings, secret, publishable, webhook, ids):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = secret, publishable
    settings.STRIPE_WEBHOOK_SECRET = webhook
    found = stripe_settings_check()
    assert [warning.id for warning in found] == ids
    assert all(isinstance(warning, checks.Warning) for warning in found)
