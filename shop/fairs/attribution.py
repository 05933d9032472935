"""Which fair a sale came through: first touch, with an expiry.

A link into the shop carries the fair's code as `?hoi_cho=<code>` (links out of embeds add
`&nguon=nhung`): the fair's short link and QR codes (`/h/<code>`, shop.fairs.views), the Buy and
"see all" links of embeds (cms.embeds) and any link an organiser writes by hand. This module is the
one place that knows those names.

`FairAttributionMiddleware` sees every request except the embed routes (which set no cookies):
- an arrival with a live fair's code counts one click for that fair (from an embed, or by QR code
  / link); a request with the code whose Referer is another page of the shop (not an embed) is the
  visitor moving around, e.g. Oscar sending them back to the product page after "add to basket",
  and is not counted again; and, unless the visitor already has a fair in force, sets a signed cookie
  naming the fair and the time: the first fair within FAIR_ATTRIBUTION_DAYS wins, a later fair's
  link does not overwrite it, after expiry a new fair can;
- while a fair is in force, the visitor's basket, once it exists, is marked with it
  (`BasketAttribution`), so an order placed without the browser (a card payment settled by
  Stripe's webhook) still knows its fair; an expired mark gives way to a newer fair.
When Oscar places an order (`order_placed`), the basket's mark, if still in force, becomes the
order's `OrderAttribution`, which the fair report counts.

It sits outside the anonymous page cache (cms.cache), so a visitor landing with the code on a
cached page is still counted and remembered; the cookie is added to the response after the cache
stored (or replayed) the page, so cached pages stay cookie-free, and the response that sets it is
marked private so no shared cache keeps it.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control

from shop.fairs.models import Attribution, BasketAttribution, FairCount, OrderAttribution, attribution_window

logger = logging.getLogger("shop.fairs")

PARAM = "hoi_cho"  # ?hoi_cho=HCM2026: the fair a link comes from (embed.js mirrors this name)
SOURCE_PARAM = "nguon"
EMBED_SOURCE = "nhung"  # ?nguon=nhung: the link is an embed's Buy or "see all" button
COOKIE_NAME = "htx_hoi_cho"
COOKIE_SALT = "shop.fairs.attribution"


def now():
    """The current time (one function, so tests can move the clock)."""
    return timezone.now()


@dataclass(frozen=True)
class Touch:
    """A visitor's first arrival through a fair: which fair, from where, when."""

    fair_key: str
    code: str
    source: str
    touched_at: datetime

    def in_force(self, at=None) -> bool:
        return (at or now()) - self.touched_at <= attribution_window()

    def as_cookie(self) -> str:
        return f"{self.fair_key}|{self.code}|{self.source}|{int(self.touched_at.timestamp())}"

    @classmethod
    def from_cookie(cls, value):
        try:
            fair_key, code, source, stamp = value.split("|")
            return cls(fair_key, code, source, datetime.fromtimestamp(int(stamp), tz=UTC))
        except (AttributeError, ValueError, OverflowError, OSError):
            return None

    def fields(self) -> dict:
        return {"fair_key": self.fair_key, "code": self.code, "source": self.source, "touched_at": self.touched_at}


def fair_link(url: str, code: str, from_embed: bool = False) -> str:
    """`url` carrying the fair's code (and, for an embed's buttons, that it came from an embed)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in (PARAM, SOURCE_PARAM)]
    query.append((PARAM, code))
    if from_embed:
        query.append((SOURCE_PARAM, EMBED_SOURCE))
    return urlunsplit(parts._replace(query=urlencode(query)))


def code_in(request) -> str:
    """The fair code a request names in its query string ("" when none)."""
    return (request.GET.get(PARAM) or "").strip()


def read_touch(request):
    """The fair in force for this visitor from their signed cookie, or None (none, forged, expired)."""
    value = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    touch = Touch.from_cookie(value) if value else None
    return touch if touch is not None and touch.in_force() else None


def remember(response, touch: Touch) -> None:
    response.set_signed_cookie(
        COOKIE_NAME,
        touch.as_cookie(),
        salt=COOKIE_SALT,
        max_age=int(attribution_window().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    # A response that sets a visitor's cookie must never be kept by a shared cache.
    patch_cache_control(response, private=True)


def attach_to_basket(basket, touch: Touch) -> None:
    """Mark a saved basket with the visitor's fair; a mark in force is never replaced, an expired one gives way."""
    if basket is None or not basket.pk:
        return
    current = BasketAttribution.objects.filter(basket_id=basket.pk).first()
    if current is None:
        try:
            with transaction.atomic():
                BasketAttribution.objects.create(basket_id=basket.pk, **touch.fields())
        except IntegrityError:  # two requests of the same visitor at once
            pass
    elif not current.in_force(now()) and touch.touched_at > current.touched_at:
        for name, value in touch.fields().items():
            setattr(current, name, value)
        current.save()


class FairAttributionMiddleware:
    """Counts arrivals with a fair's code, remembers the first fair, marks the basket (see module docstring).

    Listed after the authentication middleware (a signed-in visitor's basket is theirs) and before
    the page cache, so it runs on cached pages too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from cms.framing import is_embed_path

        if is_embed_path(request.path_info):
            return self.get_response(request)  # embeds set no cookies and their views count themselves
        touch = read_touch(request)
        new_touch = None
        code = code_in(request) if request.method == "GET" else ""
        if code:
            new_touch = self._arrival(request, code, touch)
            touch = touch or new_touch
        response = self.get_response(request)
        if new_touch is not None and touch is new_touch:
            remember(response, new_touch)
        if touch is not None:
            # Oscar's BasketMiddleware leaves the basket it loaded (if the view used one) here.
            attach_to_basket(getattr(request, "_basket_cache", None), touch)
        return response

    @staticmethod
    def _arrival(request, code, touch):
        """Count this arrival; return the touch it would be if the visitor had no fair yet."""
        from cms.models import TradeFairPage

        fair = TradeFairPage.for_code(code)
        if fair is None:
            return None
        from_embed = request.GET.get(SOURCE_PARAM) == EMBED_SOURCE
        if not _from_within_the_shop(request):
            kind = FairCount.Kind.EMBED_CLICK if from_embed else FairCount.Kind.LINK_CLICK
            FairCount.bump(fair.translation_key, kind)
        source = Attribution.Source.EMBED if from_embed else Attribution.Source.LINK
        return Touch(str(fair.translation_key), fair.code, source, now())


def _from_within_the_shop(request) -> bool:
    """True when the Referer is one of the shop's own pages other than an embed (the iframe a click comes from)."""
    from cms.framing import is_embed_path

    referer = urlsplit(request.META.get("HTTP_REFERER") or "")
    return referer.netloc == request.get_host() and not is_embed_path(referer.path)


def on_order_placed(sender, order, user=None, **kwargs):
    """`order_placed` receiver: the basket's fair, if still in force when the order is placed, becomes the order's."""
    if not order.basket_id:
        return
    mark = BasketAttribution.objects.filter(basket_id=order.basket_id).first()
    if mark is None or not mark.in_force(order.date_placed or now()):
        return
    OrderAttribution.objects.get_or_create(
        order=order,
        defaults={"fair_key": mark.fair_key, "code": mark.code, "source": mark.source, "touched_at": mark.touched_at},
    )
    logger.info("Order #%s attributed to fair %s", order.number, mark.code)
