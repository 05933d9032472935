"""Guest order tracking: an order number plus the email or phone it was placed with.

A wrong number and a wrong email/phone get the same answer, so the form reveals nothing about
which orders exist. Failed lookups are counted per visitor address and per order number in the
cache; past ORDER_TRACKING_ATTEMPTS in 15 minutes the form refuses to look until the window ends.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from shop.address.forms import parse_vietnamese_phone
from shop.order import statuses

Order = get_model("order", "Order")

WINDOW_SECONDS = 15 * 60


class OrderTrackingForm(forms.Form):
    number = forms.CharField(
        label=_("Mã đơn hàng"),
        max_length=64,
        help_text=_("Có trong email xác nhận đơn hàng, ví dụ 100123."),
        error_messages={"required": _("Vui lòng nhập mã đơn hàng.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    contact = forms.CharField(
        label=_("Email hoặc số điện thoại đã dùng khi đặt hàng"),
        max_length=254,
        error_messages={"required": _("Vui lòng nhập email hoặc số điện thoại.")},
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().lstrip("#").replace(" ", "")

    def clean_contact(self):
        return self.cleaned_data["contact"].strip()


def find_order(number: str, contact: str):
    """The order with this number if `contact` is its email or shipping phone; otherwise None."""
    order = (
        Order._default_manager.select_related("shipping_address", "user").filter(number=number).first()
        if number
        else None
    )
    if order is None or not _contact_matches(order, contact):
        return None
    return order


def _contact_matches(order, contact: str) -> bool:
    if "@" in contact:
        return constant_time_compare(_fingerprint(contact.casefold()), _fingerprint((order.email or "").casefold()))
    phone = parse_vietnamese_phone(contact)
    address = order.shipping_address
    if phone is None or address is None or not address.phone_number:
        return False
    return constant_time_compare(_fingerprint(phone.as_e164), _fingerprint(address.phone_number.as_e164))


def _fingerprint(value: str) -> str:
    return salted_hmac("shop.order.tracking", value).hexdigest()


# Throttling


def client_address(request) -> str:
    """The visitor's address: the one our reverse proxy appended to X-Forwarded-For, else REMOTE_ADDR.

    Behind nginx every REMOTE_ADDR is the proxy's, which would make one limit for everybody. Without
    a proxy a visitor can forge the header and dodge the per-address limit, but not the per-number one.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.rsplit(",", 1)[-1].strip() or request.META.get("REMOTE_ADDR", "")


def _keys(request, number: str) -> list[str]:
    keys = [f"order-tracking:client:{client_address(request)}"]
    if number:
        keys.append(f"order-tracking:number:{_fingerprint(number)}")
    return keys


def is_throttled(request, number: str) -> bool:
    limit = settings.ORDER_TRACKING_ATTEMPTS
    return any((cache.get(key) or 0) >= limit for key in _keys(request, number))


def record_failure(request, number: str) -> None:
    for key in _keys(request, number):
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, WINDOW_SECONDS)


# What the shopper sees


@dataclass
class TrackedLine:
    title: str
    quantity: int
    status: str
    shipping_events: list
    pk: int = 0
    status_code: str = ""

    @property
    def shipments(self) -> list:
        """The events that name a carrier or a tracking number (what the shopper can follow up)."""
        return [event for event in self.shipping_events if event["carrier"] or event["tracking_number"]]


def tracked_lines(order, lines=None) -> list[TrackedLine]:
    """Each line (of `order`, or the given line queryset) with its status and shipping events, oldest first.

    An event carries its name in the active language, date, quantity for this line, carrier,
    tracking number and the carrier's website. Three queries, whatever the number of lines.
    """
    lines = order.lines.all() if lines is None else lines
    lines = lines.prefetch_related("shipping_events__event_type", "shipping_event_quantities")
    result = []
    for line in lines:
        quantities = {q.event_id: q.quantity for q in line.shipping_event_quantities.all()}
        events = [
            {
                "name": statuses.event_label(event.event_type),
                "date": event.date_created,
                "quantity": quantities.get(event.pk),
                "carrier": event.carrier_label,
                "tracking_number": event.tracking_number,
                "website": event.carrier_website,
            }
            for event in sorted(line.shipping_events.all(), key=lambda e: (e.date_created, e.pk))
        ]
        result.append(TrackedLine(line.title, line.quantity, statuses.label(line.status), events, line.pk, line.status))
    return result


def tracking_context(order) -> dict:
    """What the shopper's pages show of an order's lines: `lines` and whether any has a shipment."""
    lines = tracked_lines(order)
    return {"lines": lines, "has_shipments": any(line.shipments for line in lines)}
