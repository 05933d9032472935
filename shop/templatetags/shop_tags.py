"""Template tags for the site chrome: shop name, home link, language switcher, basket (menus: cms_tags)."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def shop_name():
    return str(settings.OSCAR_SHOP_NAME)


@register.simple_tag
def home_url():
    """The home page of the active language: `/` for Vietnamese, `/en/` for English."""
    return translate_url("/", get_language())


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language to the same page in that language.

    Wagtail pages link to their translation (slugs may differ); everything else, such as
    Oscar's pages, swaps the language prefix of the current URL.
    """
    request = context.get("request")
    current = get_language()
    page = context.get("page")
    translated = {}
    if page is not None and hasattr(page, "get_translations"):
        for translation in page.get_translations(inclusive=True).live().select_related("locale"):
            translated[translation.locale.language_code] = translation.get_url(request)
    path = request.get_full_path() if request else "/"
    links = []
    for code, label in settings.LANGUAGES:
        url = translated.get(code) or translate_url(path, code)
        links.append({"code": code, "label": label, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def basket_item_count(context):
    """Number of items in the visitor's basket; no query for a visitor without one."""
    request = context.get("request")
    basket = getattr(request, "basket", None)
    if basket is None or not basket.id:
        return 0
    return basket.num_items
