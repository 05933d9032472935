"""The shoppers of `bench/load.py`: a realistic mix of browsing, baskets and checkouts (card and COD).

Run by bench/load.py (which starts the servers and passes LOAD_* variables); by hand:

    LOAD_PATHS=var/loadtest/paths.json LOAD_RESULTS=var/loadtest/checkouts.jsonl \\
      locust -f bench/locustfile.py --host http://127.0.0.1:8000 --headless -u 16 -r 16 -t 60s

Browsers get whole pages (HTML only, as a cheap phone that already has the CSS cached). Each
checkout starts with no cookies, adds one product, walks address → delivery → payment → preview,
and places the order: by card (a token from localstripe's /v1/tokens, which is what Stripe.js does
in test mode) or cash on delivery. Every checkout that reaches the thank-you page is appended to
LOAD_RESULTS with its order number, so bench/load.py can compare them with the orders in PostgreSQL.
"""

import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PATHS = json.loads(open(os.environ["LOAD_PATHS"]).read())
RESULTS = os.environ.get("LOAD_RESULTS", "")
STRIPE = os.environ.get("LOAD_STRIPE_URL", "")
HEADERS = {"Accept": "text/html", "Accept-Encoding": "gzip, br", "Accept-Language": "vi"}
EXPECTED_TOTAL = re.compile(r'name="expected_total" value="(\d+)"')
ORDER_NUMBER = re.compile(r"<strong>(\d+)</strong>")
SEARCHES = ["hat dieu", "dieu rang muoi", "huu co", "ocop", "bu gia map", "dieu wasabi", "qua tet"]


def _card_token():
    """What Stripe.js does in test mode: turn the test card into a card id at localstripe."""
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode(
        {
            "card[number]": "4242424242424242",
            "card[exp_month]": "12",
            "card[exp_year]": "2030",
            "card[cvc]": "123",
            "key": "pk_test_localstripe",
        }
    ).encode()
    with urllib.request.urlopen(STRIPE + "/v1/tokens", data, timeout=10) as response:
        return json.loads(response.read())["card"]["id"]


class Shopper(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self):
        self.client.headers.update(HEADERS)

    # Browsing (anonymous visitors, mostly served from the page cache)
    # ---------------------------------------------------------------------------

    @task(20)
    def home(self):
        self.client.get("/", name="home")

    @task(10)
    def collection(self):
        self.client.get(PATHS["collection"], name="collection")

    @task(25)
    def product(self):
        self.client.get(random.choice(PATHS["products"]), name="product")

    @task(8)
    def listing(self):
        page = random.choice(["", "?page=2", "?sort=price-asc", "?cooperative=bugiamap"])
        self.client.get("/shop/catalogue/" + page, name="listing")

    @task(8)
    def lot(self):
        self.client.get(random.choice(PATHS["lots"]), name="lot trace")

    @task(5)
    def resolver(self):
        # A phone scanning the QR code on a bag: the 307 to the lot page, then the page.
        self.client.get(random.choice(PATHS["digital_links"]), name="resolver /01/…")

    @task(8)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(SEARCHES)}, name="search")

    # Baskets and checkouts (each one a new visitor, with no cookies)
    # ---------------------------------------------------------------------------

    @task(4)
    def add_to_basket(self):
        self.client.cookies.clear()
        self._add_product()
        self.client.get("/shop/basket/", name="basket")
        self.client.cookies.clear()

    @task(3)
    def checkout_card(self):
        self._checkout("card")

    @task(2)
    def checkout_cod(self):
        self._checkout("cod")

    def _csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def _post(self, path, data, name, referer=None):
        data = {"csrfmiddlewaretoken": self._csrf(), **data}
        return self.client.post(path, data=data, name=name, headers={"Referer": self.host + (referer or path)})

    def _add_product(self):
        product = random.choice(PATHS["buyable"])
        self.client.get(product["url"], name="product")
        # Oscar sends the shopper back to the page they came from (the Referer).
        return self._post(f"/shop/basket/add/{product['id']}/", {"quantity": 1}, "add to basket", product["url"])

    def _checkout(self, method):
        self.client.cookies.clear()
        started = time.time()
        try:
            self._add_product()
            self._post(
                "/shop/checkout/",
                {"username": f"load-{random.randrange(10**9)}@example.org", "options": "anonymous"},
                "checkout: email",
            )
            self._post("/shop/checkout/shipping-address/", PATHS["address"], "checkout: address")
            response = self.client.get("/shop/checkout/shipping-method/", name="checkout: delivery options")
            if "method_code" in response.text:
                self._post("/shop/checkout/shipping-method/", {"method_code": "standard"}, "checkout: delivery chosen")
            self._post("/shop/checkout/payment-method/", {"method": method}, "checkout: payment method")
            preview = self.client.get("/shop/checkout/preview/", name="checkout: preview")
            found = EXPECTED_TOTAL.search(preview.text)
            if not found:
                events.request.fire(
                    request_type="CHECK",
                    name=f"checkout {method}: preview has a total",
                    response_time=0,
                    response_length=0,
                    exception=RuntimeError(f"no total on {preview.url}"),
                    context={},
                )
                return
            data = {"action": "place_order", "expected_total": found.group(1)}
            if method == "card":
                token_started = time.perf_counter()
                data["payment_method_id"] = _card_token()
                events.request.fire(
                    request_type="POST",
                    name="stripe.js token (localstripe)",
                    response_time=(time.perf_counter() - token_started) * 1000,
                    response_length=0,
                    exception=None,
                    context={},
                )
            with self.client.post(
                "/shop/checkout/preview/",
                data={"csrfmiddlewaretoken": self._csrf(), **data},
                name=f"checkout: place order ({method})",
                headers={"Referer": self.host + "/shop/checkout/preview/"},
                catch_response=True,
            ) as placed:
                number = ORDER_NUMBER.search(placed.text) if "thank-you" in placed.url else None
                if number is None:
                    placed.failure(f"ended on {placed.url}, not the thank-you page")
                    return
                placed.success()
            if RESULTS:
                with open(RESULTS, "a") as out:
                    out.write(
                        json.dumps({"method": method, "order": number.group(1), "seconds": time.time() - started})
                        + "\n"
                    )
        finally:
            self.client.cookies.clear()
