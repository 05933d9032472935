"""Test fixtures for payments: a localstripe of the run's own.

Fixtures:
    localstripe     the server (session), started on first use
    stripe_local    settings pointing the shop at it (keys, API base, webhook secret), per test
    card_token      a function: card number -> payment method id, as Stripe.js would produce
"""

import json
import urllib.parse
import urllib.request

import pytest

from shop.payment.localstripe_server import LocalStripe

WEBHOOK_SECRET = "whsec_test_localstripe"


@pytest.fixture(scope="session")
def localstripe():
    server = LocalStripe.start()
    yield server
    server.stop()


@pytest.fixture
def stripe_local(settings, localstripe):
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe.url
    return localstripe


@pytest.fixture
def card_token(localstripe):
    """Turn a test card number into the id the checkout posts (what the fake Stripe.js does)."""

    def make(number="4242424242424242"):
        data = urllib.parse.urlencode(
            {
                "card[number]": number.replace(" ", ""),
                "card[exp_month]": "12",
                "card[exp_year]": "2030",
                "card[cvc]": "123",
                "key": "pk_test_localstripe",
            }
        ).encode()
        with urllib.request.urlopen(localstripe.url + "/v1/tokens", data, timeout=10) as response:
            return json.loads(response.read())["card"]["id"]

    return make
