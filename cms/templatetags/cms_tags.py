"""Template tags for the site chrome: menus, footer, meta/Open Graph, hreflang, breadcrumbs, images."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

register = template.Library()

OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
SOCIAL_FILTER = "fill-1200x630|format-jpeg|jpegquality-80"


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.simple_tag(takes_context=True)
def may_be_signed_in(context) -> bool:
    """True when the visitor has a session cookie; lets anonymous pages skip the session entirely."""
    request = context.get("request")
    return bool(request and settings.SESSION_COOKIE_NAME in request.COOKIES)


def _chrome_cached(request, name, build):
    """`build()` (the header menu or the footer: the same on every page), cached per site and language.

    The key carries the page-cache version (cms.cache), which publishing a page or saving a site
    setting bumps, so staff see their change at once; SITE_CHROME_CACHE=false builds it every time.
    """
    from cms.cache import versioned_get, versioned_set

    if request is None or not getattr(settings, "SITE_CHROME_CACHE", True):
        return build()
    key = f"sitechrome:{request.get_host()}:{_language()}:{name}"
    version, value = versioned_get(key)
    if value is None:
        value = build()
        versioned_set(key, value, version)
    return value


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The header menu from the "Menu chính" setting, in the active language, catalogue first.

    Three queries (the setting, its items, and the linked pages' translations) when not cached.
    """
    request = context.get("request")
    items = [dict(item) for item in _chrome_cached(request, "menu", lambda: _menu_items(request))]
    current = request.path if request else ""
    for item in items:
        item["active"] = bool(item["url"]) and item["url"] != "/" and current.startswith(item["url"])
    return items


def _menu_items(request):
    from django.urls import reverse

    from cms.models import HomePage, MenuSettings

    items = [{"label": str(_("Sản phẩm")), "url": reverse("catalogue:index")}]
    menu = MenuSettings.for_request(request) if request else None
    links = list(menu.items.select_related("link_page").all()) if menu else []
    if links:
        items += _resolve_links(links, request)
    else:  # no menu set yet: the home page's children marked "show in menus"
        home = HomePage.objects.filter(locale=Locale.get_active()).first()
        if home is not None:
            for child in home.get_children().live().in_menu():
                items.append({"label": child.title, "url": child.get_url(request)})
    return items


def _resolve_links(links, request):
    """Menu/footer links in the active language; a page link follows the page's translation."""
    language = _language()
    keys = [link.link_page.translation_key for link in links if link.link_page_id]
    translations = {
        p.translation_key: p
        for p in Page.objects.live().filter(translation_key__in=keys, locale__language_code=language)
    }
    result = []
    for link in links:
        if link.link_page_id:
            page = translations.get(link.link_page.translation_key)
            if page is None:
                continue
            result.append({"label": str(link.label_for(language, page.title)), "url": page.get_url(request)})
        else:
            url = link.link_url
            if url.startswith("/") and not url.startswith("//"):
                url = translate_url(url, language)
            result.append({"label": str(link.label_for(language)), "url": url})
    return result


@register.inclusion_tag("includes/site_footer.html", takes_context=True)
def site_footer(context):
    request = context.get("request")
    return {"request": request, **_chrome_cached(request, "footer", lambda: _footer(request))}


def _footer(request):
    from cms.models import FooterSettings

    footer = FooterSettings.for_request(request) if request else None
    links = list(footer.links.select_related("link_page").all()) if footer else []
    return {
        "about": str(footer.about_for(_language()) or "") if footer else "",
        "footer": {"email": footer.email, "phone": footer.phone} if footer else {},
        "links": _resolve_links(links, request) if links else [],
    }


def _absolute(request, url):
    if not url or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url) if request else url


def _page_alternates(page, request):
    """{language: url} of the page's live translations (one query)."""
    urls = {}
    for translation in page.get_translations(inclusive=True).live().select_related("locale"):
        urls[translation.locale.language_code] = translation.get_url(request)
    return urls


@register.simple_tag(takes_context=True)
def page_meta(context):
    """Everything the <head> needs: title, description, canonical, hreflang, Open Graph image.

    Works for Wagtail pages (`page`), Oscar product pages (`product`) and other views
    (`meta_title` / `meta_description` in the context, else the shop's defaults).
    """
    request = context.get("request")
    page = context.get("page")
    product = context.get("product")
    language = _language()
    meta = {"type": "website", "image": None, "language": language, "og_locale": OG_LOCALES.get(language, language)}

    if page is not None and isinstance(page, Page):
        specific = page.specific if type(page) is Page else page
        meta["title"] = specific.seo_title or specific.title
        describe = getattr(specific, "get_meta_description", None)
        meta["description"] = describe() if describe else specific.search_description
        image = specific.get_social_image() if hasattr(specific, "get_social_image") else None
        if specific.specific_class.__name__ == "ArticlePage":
            meta["type"] = "article"
        page_urls = _page_alternates(specific, request)
    else:
        page_urls = None
        image = None
        if product is not None and hasattr(product, "get_title"):
            meta["title"] = product.get_title()
            meta["description"] = strip_tags(product.get_description() or "")
            meta["image"] = _product_image(product, request)
            meta["type"] = "product"
        else:
            meta["title"] = context.get("meta_title") or ""
            meta["description"] = context.get("meta_description") or ""

    meta["description"] = Truncator(" ".join((meta["description"] or "").split())).chars(200)
    if image is not None:
        meta["image"] = _rendition(image, request)
    elif meta["image"] is None:
        # The site's default picture: the same on every page that has none of its own, so cached.
        default = _chrome_cached(request, "social_image", lambda: {"image": _default_social_rendition(request)})
        meta["image"] = default["image"]

    path = request.path if request else "/"
    number = request.GET.get("page") if request else None
    canonical = path + (f"?page={number}" if number and number.isdigit() and number != "1" else "")
    meta["canonical"] = _absolute(request, canonical)

    languages = []
    for code, label in settings.LANGUAGES:
        if page_urls is not None:
            url = page_urls.get(code)
            exists = url is not None
            if url is None:  # untranslated page: switch to that language's home page
                url = translate_url("/", code)
        else:
            url, exists = translate_url(request.get_full_path() if request else "/", code), True
        languages.append(
            {
                "code": code,
                "label": label,
                "url": url,
                "absolute": _absolute(request, url),
                "exists": exists,
                "current": code == language,
                "og_locale": OG_LOCALES.get(code, code),
            }
        )
    meta["languages"] = languages
    meta["alternates"] = [lang for lang in languages if lang["exists"]]
    default = next((lang for lang in languages if lang["code"] == settings.LANGUAGE_CODE and lang["exists"]), None)
    meta["x_default"] = default["absolute"] if default else None
    return meta


def _rendition(image, request):
    try:
        rendition = image.get_rendition(SOCIAL_FILTER)
    except Exception:  # a missing file must not break the page
        return None
    return {
        "url": _absolute(request, rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": image.title,
    }


def _default_social_rendition(request):
    from cms.models import FooterSettings

    if request is None:
        return None
    footer = FooterSettings.for_request(request)
    image = footer.default_social_image if footer else None
    return _rendition(image, request) if image is not None else None


def _product_image(product, request):
    from oscar.core.thumbnails import get_thumbnailer

    image = product.primary_image()
    original = getattr(image, "original", None)
    if not original:
        return None
    try:
        thumb = get_thumbnailer().generate_thumbnail(original, size="1200x630", crop="center", format="JPEG")
    except Exception:  # a missing file must not break the page
        return None
    return {"url": _absolute(request, thumb.url), "width": 1200, "height": 630, "alt": product.get_title()}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """Breadcrumbs from the home page to `page`, with schema.org BreadcrumbList microdata."""
    request = context.get("request")
    page = page or context.get("page")
    crumbs = []
    if page is not None and getattr(page, "depth", 0) > 2:
        for ancestor in page.get_breadcrumbs():
            crumbs.append({"title": ancestor.title, "url": ancestor.get_url(request)})
        crumbs.append({"title": page.title, "url": page.get_url(request)})
        crumbs[0]["title"] = _("Trang chủ")
    return {"crumbs": crumbs, "request": request}


@register.filter
def first_line(value, length=160):
    return Truncator(strip_tags(value or "")).chars(length)
