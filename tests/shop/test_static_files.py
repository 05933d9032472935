"""Static files as production serves them: collected with whitenoise's manifest storage, so every
name carries a content hash, pre-compressed (gzip and brotli), and cached by browsers for a year.

The collection here is of the project's own files (STATICFILES_DIRS) into a temporary folder, which
takes seconds; the full collection of every app's files (about a minute of brotli on two cores) runs
in `.ci/run` with production settings.
"""

import gzip

import brotli
import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.template import engines
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

CSS = "shop/css/site.css"
ONE_YEAR_OR_MORE = 365 * 24 * 3600


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("collected-static")
    production_static = override_settings(
        STATIC_ROOT=str(root),
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    )
    with production_static:
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def _original():
    return (settings.STATICFILES_DIRS[0] / CSS).read_bytes()


def test_collected_names_carry_a_content_hash_with_gzip_and_brotli_variants(static_root):
    url = staticfiles_storage.url(CSS)
    assert url.startswith("/static/shop/css/site.") and url.endswith(".css") and url != f"/static/{CSS}"
    hashed = static_root / url.removeprefix("/static/")
    assert hashed.read_bytes() == _original()
    assert gzip.decompress(hashed.with_name(hashed.name + ".gz").read_bytes()) == _original()
    assert brotli.decompress(hashed.with_name(hashed.name + ".br").read_bytes()) == _original()
    assert (static_root / "staticfiles.json").exists()
    # Templates link the hashed name.
    rendered = engines["django"].from_string("{% load static %}{% static '" + CSS + "' %}").render()
    assert rendered == url


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("br, gzip, deflate", "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("", None, bytes),
    ],
)
def test_hashed_file_is_served_compressed_with_far_future_caching(static_root, accept, encoding, decode):
    response = Client().get(staticfiles_storage.url(CSS), HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response["Vary"]
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= ONE_YEAR_OR_MORE
    assert response["Content-Type"].startswith("text/css")
    assert decode(b"".join(response.streaming_content)) == _original()


def test_unhashed_name_is_served_but_only_briefly_cached(static_root):
    response = Client().get(f"/static/{CSS}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert int(response["Cache-Control"].split("max-age=")[1].split(",")[0]) < 3600
