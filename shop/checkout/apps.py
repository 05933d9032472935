import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.card_authentication_view = get_class("checkout.views", "CardAuthenticationView")
        self.card_return_view = get_class("checkout.views", "CardReturnView")

    def get_urls(self):
        # Card payments that need 3-D Secure leave the preview page and come back here.
        urls = [
            path("card/authenticate/", self.card_authentication_view.as_view(), name="card-authenticate"),
            path("card/return/", self.card_return_view.as_view(), name="card-return"),
        ]
        return super().get_urls() + self.post_process_urls(urls)
