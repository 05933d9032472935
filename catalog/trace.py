"""What the traceability pages, the resolver and the EPCIS export read, fetched in a fixed number of queries.

Each function here chooses its select_related/prefetch_related so that templates never query in a
loop: the lot page makes the same number of queries for 3 events as for 60.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from catalog.models import IN_FORCE, CertificateStatus, Certification, Lot, OcopRating, RawMaterialZone, TraceEvent

# Rendition shown for an event photo on the lot page (prefetched with the events).
EVENT_PHOTO_SPEC = "fill-480x320"
# How many generations of input lots the lot page follows back (each costs one query).
MAX_LINEAGE_DEPTH = 8


@dataclass(frozen=True)
class CertificateAt:
    """A certificate with its status on a given day (an event's date, or today)."""

    certificate: Certification
    status: CertificateStatus
    day: date

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


def statuses(certificates, day: date) -> list[CertificateAt]:
    return [CertificateAt(c, c.status(day), day) for c in certificates]


def certificate_queryset():
    return Certification.objects.for_display().order_by("kind", "number")


# PRODUCTS
# ------------------------------------------------------------------------------
@dataclass
class ProductTrace:
    product: object
    ocop: OcopRating | None
    certificates: list[CertificateAt]
    zones: list[RawMaterialZone]
    lots: list[Lot] = field(default_factory=list)
    today: date | None = None


def current_ocop(ratings, day: date):
    """The OCOP rating to show: the latest decision in force, else the latest one (shown as expired)."""
    ordered = sorted(ratings, key=lambda r: (r.issued_on or date.min, r.pk), reverse=True)
    for rating in ordered:
        if rating.status(day) in IN_FORCE:
            return rating
    return ordered[0] if ordered else None


def claims_of(product):
    """The product whose claimed certificates and origin zones stand for `product`: a variant's parent
    (the product page edits them there, README "Products, variants and CSV"), else itself."""
    return product.parent if product.parent_id else product


def product_trace(product, with_lots=False) -> ProductTrace:
    """OCOP rating, certificates (claimed or held) and origin zones of a product, in three queries
    (a variant shows its parent's claims: one more)."""
    today = timezone.localdate()
    claimant = claims_of(product)  # a variant claims what its parent claims
    owners = {product.pk, claimant.pk}
    held_or_claimed = list(certificate_queryset().filter(Q(products=claimant) | Q(product__in=owners)))
    # One query for both: the OCOP ratings are the product's (or its parent's) own, joined in by for_display().
    ratings = [c.ocoprating for c in held_or_claimed if c.kind == Certification.Kind.OCOP and c.product_id in owners]
    certificates = [c for c in held_or_claimed if c.kind != Certification.Kind.OCOP]
    zones = list(
        claimant.origin_zones.select_related("cooperative").prefetch_related(
            Prefetch("certifications", queryset=Certification.objects.select_related("ocoprating"))
        )
    )
    lots = []
    if with_lots:
        # A parent's lots are its variants' (each packed in one pack size).
        own = Q(product=product) | Q(product__parent=product)
        lots = list(Lot.objects.public().filter(own).select_related("product").order_by("-packing_date", "code"))
    return ProductTrace(
        product=product,
        ocop=current_ocop(ratings, today),
        certificates=statuses(_unique(certificates), today),
        zones=zones,
        lots=lots,
        today=today,
    )


def _unique(items):
    seen, result = set(), []
    for item in items:
        if item.pk not in seen:
            seen.add(item.pk)
            result.append(item)
    return result


# LOTS
# ------------------------------------------------------------------------------
def lot_queryset(user=None):
    qs = Lot.objects.select_related("product", "product__cooperative", "product__cooperative__partner")
    qs = qs.prefetch_related(Prefetch("zones", queryset=RawMaterialZone.objects.order_by("code")))
    return qs.visible_to(user) if user is not None else qs.public()


def lineage_ids(lot) -> list[int]:
    """The lot and every lot used to make it (input lots, their inputs...), one query per generation."""
    through = TraceEvent.input_lots.through
    found, frontier = [lot.pk], {lot.pk}
    for _ in range(MAX_LINEAGE_DEPTH):
        parents = set(through.objects.filter(traceevent__lot_id__in=frontier).values_list("lot_id", flat=True))
        parents -= set(found)
        if not parents:
            break
        found.extend(sorted(parents))
        frontier = parents
    return found


def event_queryset():
    images = get_image_model().objects.prefetch_renditions(EVENT_PHOTO_SPEC)
    return (
        TraceEvent.objects.select_related("lot", "lot__product", "zone", "document")
        .prefetch_related(
            Prefetch("photo", queryset=images),
            Prefetch("input_lots", queryset=Lot.objects.select_related("product").order_by("code")),
            # An event lists its certificates by kind and number only: no joins needed.
            Prefetch("certifications", queryset=Certification.objects.order_by("kind", "number")),
        )
        .order_by("occurred_at", "pk")
    )


@dataclass
class TimelineEntry:
    event: TraceEvent
    certificates: list[CertificateAt]
    is_upstream: bool  # happened to an input lot, not to this lot itself


@dataclass
class LotTrace:
    lot: Lot
    product: object
    cooperative: object
    zones: list[RawMaterialZone]
    timeline: list[TimelineEntry]
    certificates_today: list[CertificateAt]
    ocop: OcopRating | None
    lineage: list[int]
    today: date

    @property
    def input_lots(self):
        return _unique(lot for entry in self.timeline for lot in entry.event.input_lots.all())

    @property
    def documents(self):
        """Every document on the page once: certificates' files and events' attachments."""
        docs = []
        for cert in self.certificates_today:
            if cert.certificate.document:
                docs.append(("certificate", cert.certificate))
        for entry in self.timeline:
            if entry.event.document:
                docs.append(("event", entry.event))
        return docs


def lot_trace(lot) -> LotTrace:
    """Everything the lot page shows, in a fixed number of queries whatever the number of events."""
    today = timezone.localdate()
    lineage = lineage_ids(lot)
    events = list(event_queryset().filter(lot_id__in=lineage))
    product = lot.product
    zones = list(lot.zones.all())
    timeline = [TimelineEntry(e, statuses(e.certifications.all(), e.local_date), e.lot_id != lot.pk) for e in events]
    # Certificates that stand behind the lot today: the product's (claimed or held; a variant's
    # parent claims them) and its zones'.
    zone_ids = [z.pk for z in zones]
    claimant = claims_of(product)
    current = list(
        certificate_queryset()
        .filter(Q(products=claimant) | Q(product__in={product.pk, claimant.pk}) | Q(zone_id__in=zone_ids))
        .distinct()
    )
    ocop = current_ocop([c.ocoprating for c in current if c.is_ocop and _has_rating(c)], today)
    return LotTrace(
        lot=lot,
        product=product,
        cooperative=product.cooperative,
        zones=zones,
        timeline=timeline,
        certificates_today=statuses(current, today),
        ocop=ocop,
        lineage=lineage,
        today=today,
    )


def _has_rating(certificate) -> bool:
    try:
        return certificate.ocoprating is not None
    except OcopRating.DoesNotExist:
        return False


def events_for_lots(lot_ids):
    """Events of these lots and of every lot they were made from (for the EPCIS export)."""
    ids = []
    for lot_id in lot_ids:
        for found in lineage_ids(Lot(pk=lot_id)):
            if found not in ids:
                ids.append(found)
    return list(
        TraceEvent.objects.filter(lot_id__in=ids)
        .select_related("lot__product__cooperative", "zone")
        .prefetch_related("input_lots__product", "certifications")
        .order_by("occurred_at", "pk")
    )
