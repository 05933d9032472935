"""One search across pages and products, insensitive to Vietnamese diacritics, case and đ/d.

Each page and product keeps one row in `SearchEntry` whose `folded` column holds its text with the
accents stripped and lower-cased ("Hạt điều rang muối" is stored as "hat dieu rang muoi"). A query
is folded the same way and every word must occur in that column (`icontains`), which behaves the
same on SQLite and PostgreSQL with no extension. The rows are refreshed when a page is published,
unpublished or deleted and when a product is saved or deleted, by `shop.tasks.update_search_entry_task`
(queued by cms.signals); `manage.py rebuild_search` rebuilds them all.

With `SEARCH_URL` set, the rows are also copied into an OpenSearch/Elasticsearch index and
`matching()` asks the cluster instead (cms.search_cluster).
"""

import logging
import re
import unicodedata

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import strip_tags
from django.utils.translation import get_language

from cms import search_cluster

logger = logging.getLogger(__name__)

MAX_TERMS = 8
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]")


def fold(text: str) -> str:
    """Lower-case ASCII-ish text for matching: accents removed, đ → d, punctuation to spaces."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = _NON_WORD.sub(" ", stripped.casefold())
    return _SPACES.sub(" ", stripped).strip()


def terms(query: str) -> list[str]:
    """The folded words of a query, at most MAX_TERMS of them (longer queries are cut)."""
    return fold(query).split(" ")[:MAX_TERMS] if fold(query) else []


def page_text(page) -> tuple[str, str]:
    """(title, searchable body text) of a specific page: its title, intro and StreamField text."""
    parts = [page.title, getattr(page, "seo_title", ""), getattr(page, "search_description", "")]
    for name in ("intro", "venue", "booth", "city"):
        parts.append(str(getattr(page, name, "") or ""))
    body = getattr(page, "body", None)
    if body is not None:
        parts.append(_stream_text(body))
    return page.title, " ".join(p for p in parts if p)


def _stream_text(stream) -> str:
    """The words of a StreamField's raw data, without markup (choosers contribute nothing)."""
    words = []

    def walk(value):
        if isinstance(value, str):
            words.append(strip_tags(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in {"type", "id", "image", "product", "products", "poster", "level", "style"}:
                    walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(list(stream.raw_data))
    return " ".join(w for w in words if w.strip())


def index_page(page) -> None:
    """Create, refresh or remove the entry of one page (live and public pages are searchable)."""
    from cms.models import SearchEntry

    page = page.specific
    if not page.live or page.depth < 2 or page.get_view_restrictions().exists():
        forget(SearchEntry.PAGE, page.pk)
        return
    title, text = page_text(page)
    entry, _ = SearchEntry.objects.update_or_create(
        kind=SearchEntry.PAGE,
        object_id=page.pk,
        defaults={
            "language": page.locale.language_code,
            "title": title[:255],
            "folded_title": fold(title)[:255],
            "folded": fold(text),
        },
    )
    _copy_to_cluster(entry)


def index_product(product) -> None:
    """Create, refresh or remove the entry of one product; both languages in one row."""
    from cms.models import SearchEntry

    if not product.is_public or product.is_child:
        forget(SearchEntry.PRODUCT, product.pk)
        return
    titles = " ".join(t for t in (product.title, product.title_en) if t)
    text = " ".join(
        t
        for t in (
            titles,
            product.upc or "",
            strip_tags(product.description or ""),
            strip_tags(product.description_en or ""),
        )
        if t
    )
    entry, _ = SearchEntry.objects.update_or_create(
        kind=SearchEntry.PRODUCT,
        object_id=product.pk,
        defaults={
            "language": "",
            "title": (product.title or "")[:255],
            "folded_title": fold(titles)[:255],
            "folded": fold(text),
        },
    )
    _copy_to_cluster(entry)


def forget(kind: str, object_id: int) -> None:
    """Remove the entry of one page or product (and its copy on the cluster)."""
    from cms.models import SearchEntry

    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
    if search_cluster.configured():
        search_cluster.delete(kind, object_id)


def _copy_to_cluster(entry) -> None:
    if search_cluster.configured():
        search_cluster.index_entry(entry)


def update_entry(kind: str, object_id: int) -> str:
    """Bring one entry in line with its page or product as stored now: "indexed" or "removed".

    The body of `shop.tasks.update_search_entry_task`; a page or product deleted meanwhile is removed.
    """
    from oscar.core.loading import get_model
    from wagtail.models import Page

    from cms.models import SearchEntry

    if kind == SearchEntry.PAGE:
        obj = Page.objects.filter(pk=object_id).first()
        index = index_page
    elif kind == SearchEntry.PRODUCT:
        obj = get_model("catalogue", "Product").objects.filter(pk=object_id).first()
        index = index_product
    else:
        raise ValueError(f"unknown search entry kind {kind!r}")
    if obj is None:
        forget(kind, object_id)
        return "removed"
    index(obj)
    return "indexed" if SearchEntry.objects.filter(kind=kind, object_id=object_id).exists() else "removed"


def queue_update(kind: str, object_id: int) -> None:
    """Queue the refresh of one entry (signal receivers call this).

    Not deferred to the commit: with the database backend the queued row commits (or rolls back)
    with the change itself; with the immediate backend the entry is refreshed right away, as before.
    """
    from shop.tasks import update_search_entry_task

    update_search_entry_task.enqueue(kind=kind, object_id=object_id)


def rebuild(stdout=None) -> int:
    """Rebuild every entry (and the cluster's index, when there is one); returns how many rows were written."""
    from oscar.core.loading import get_model
    from wagtail.models import Page

    from cms.models import SearchEntry

    Product = get_model("catalogue", "Product")
    SearchEntry.objects.all().delete()
    # Rows only here: the cluster gets them in bulk below, into a new index.
    with search_cluster.suspended():
        for page in Page.objects.live().filter(depth__gte=2).specific().iterator():
            index_page(page)
        for product in Product.objects.filter(is_public=True).exclude(structure="child").iterator():
            index_product(product)
    if search_cluster.url():
        search_cluster.rebuild(SearchEntry.objects.order_by("pk").iterator(), stdout=stdout)
    return SearchEntry.objects.count()


def matching(query: str, kind: str | None = None, language: str | None = None):
    """Entries whose folded text holds every word of `query`, best first (title hits first).

    Pages are limited to the active language; products match in either language.
    """
    from cms.models import SearchEntry

    words = terms(query)
    if not words:
        return SearchEntry.objects.none()
    language = language or (get_language() or "vi").split("-")[0]
    if search_cluster.configured():
        results = search_cluster.matching(words, kind, language)
        try:
            results.count()
        except Exception:
            logger.warning("Search cluster at SEARCH_URL did not answer; searching the database", exc_info=True)
        else:
            return results
    return database_matching(words, kind, language)


def database_matching(words: list[str], kind: str | None, language: str):
    """The embedded search: every folded word is a substring of the folded text (plain SQL)."""
    from cms.models import SearchEntry

    qs = SearchEntry.objects.all()
    for word in words:
        qs = qs.filter(folded__contains=word)
    qs = qs.filter(Q(kind=SearchEntry.PRODUCT) | Q(language=language))
    if kind:
        qs = qs.filter(kind=kind)
    phrase = " ".join(words)
    return qs.annotate(
        rank=Case(
            When(folded_title__contains=phrase, then=Value(0)),
            When(folded__contains=phrase, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("rank", "kind", "title", "pk")


def product_ids(query: str) -> list[int]:
    """Ids of the public products matching `query` (used by the admin product chooser too)."""
    from cms.models import SearchEntry

    results = matching(query, kind=SearchEntry.PRODUCT)
    if isinstance(results, search_cluster.ClusterResults):
        return [entry.object_id for entry in results[: search_cluster.MAX_IDS]]
    return list(results.values_list("object_id", flat=True))
