"""Search on an OpenSearch/Elasticsearch cluster (cms.search_cluster).

The query and index definitions are checked without a cluster, and `matching()` is checked against a
fake client; the last tests talk to a real cluster when one answers at SEARCH_URL (or OPENSEARCH_URL),
and are skipped with the reason otherwise (none runs on the development machines).
"""

import os
import uuid

import pytest
import requests
from django.core.management import call_command
from django.core.paginator import Paginator
from django.test import override_settings
from opensearchpy.exceptions import ConnectionError as ClusterConnectionError

from cms import search, search_cluster
from cms.models import SearchEntry
from tests.factories import create_product

pytestmark = pytest.mark.django_db

CLUSTER = {"SEARCH_URL": "http://127.0.0.1:9", "SEARCH_INDEX": "test-htx-search"}


def test_the_index_folds_vietnamese_like_cms_search_fold():
    analysis = search_cluster.index_body()["settings"]["analysis"]
    folded = analysis["analyzer"]["folded"]
    assert folded["filter"] == ["lowercase", "asciifolding"]
    assert "đ => d" in analysis["char_filter"][folded["char_filter"][0]]["mappings"]
    prefix = analysis["analyzer"]["folded_prefix"]
    assert analysis["filter"][prefix["filter"][-1]]["type"] == "edge_ngram"
    fields = search_cluster.MAPPINGS["properties"]
    assert fields["folded_title"]["fields"]["prefix"]["search_analyzer"] == "folded"  # the query is not cut into grams
    assert set(fields) == set(search_cluster.document(SearchEntry(kind="page", object_id=1)))


def test_every_word_must_match_and_pages_keep_to_the_language():
    query = search_cluster.build_query(search.terms("Hạt ĐIỀU rang"), kind=None, language="en")["bool"]
    assert [clause["multi_match"]["query"] for clause in query["must"]] == ["hat", "dieu", "rang"]
    (language,) = query["filter"]
    assert {"term": {"kind": "product"}} in language["bool"]["should"]
    assert {"term": {"language": "en"}} in language["bool"]["should"]
    assert query["should"][0]["match_phrase"]["folded_title"]["query"] == "hat dieu rang"
    only_products = search_cluster.build_query(["dieu"], kind="product", language="vi")["bool"]["filter"]
    assert {"term": {"kind": "product"}} in only_products


class FakeCluster:
    """Answers count and search like a cluster holding `hits` (a list of documents); records calls."""

    def __init__(self, hits=(), fail=False):
        self.hits, self.fail, self.calls = list(hits), fail, []

    def count(self, index, body):
        self.calls.append(("count", index, body))
        if self.fail:
            raise ClusterConnectionError("N/A", "refused", None)
        return {"count": len(self.hits)}

    def search(self, index, body):
        self.calls.append(("search", index, body))
        window = self.hits[body["from"] : body["from"] + body["size"]]
        return {"hits": {"hits": [{"_source": doc} for doc in window]}}


def _doc(kind, object_id, title):
    return {"kind": kind, "object_id": object_id, "language": "", "title": title, "folded_title": "", "folded": ""}


@override_settings(**CLUSTER)
def test_matching_asks_the_cluster_and_pages_through_its_hits(monkeypatch):
    hits = [_doc("product", n, f"Hạt điều {n}") for n in range(1, 46)]
    fake = FakeCluster(hits)
    monkeypatch.setattr(search_cluster, "client", lambda: fake)
    results = search.matching("hat dieu")
    page = Paginator(results, 20).page(3)
    assert [entry.object_id for entry in page.object_list] == [41, 42, 43, 44, 45]
    assert page.paginator.count == 45
    search_call = next(call for call in fake.calls if call[0] == "search")
    assert search_call[1] == "test-htx-search"
    assert search_call[2]["from"] == 40 and search_call[2]["size"] == 5


@override_settings(**CLUSTER)
def test_a_cluster_that_does_not_answer_falls_back_to_the_database(monkeypatch, caplog):
    monkeypatch.setattr(search_cluster, "client", lambda: FakeCluster(fail=True))
    product = create_product(title="Hạt điều rang củi")
    with search_cluster.suspended():
        search.index_product(product)
    assert [e.object_id for e in search.matching("hat dieu rang cui")] == [product.pk]
    assert "did not answer" in caplog.text


@override_settings(**CLUSTER)
def test_each_change_is_copied_to_the_cluster(monkeypatch):
    calls = []
    monkeypatch.setattr(search_cluster, "index_entry", lambda entry: calls.append(("index", entry.object_id)))
    monkeypatch.setattr(search_cluster, "delete", lambda kind, pk: calls.append(("delete", pk)))
    product = create_product(title="Điều sấy tỏi ớt")
    product.is_public = False
    product.save()
    assert ("index", product.pk) in calls
    assert calls[-1] == ("delete", product.pk)


def test_index_only_rebuild_needs_a_cluster():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="SEARCH_URL"):
        call_command("rebuild_search", "--index-only")


# Against a real cluster
# ------------------------------------------------------------------------------


def _cluster_url():
    url = os.environ.get("SEARCH_URL") or os.environ.get("OPENSEARCH_URL") or ""
    if not url:
        pytest.skip("no search cluster: set SEARCH_URL (or OPENSEARCH_URL), e.g. http://127.0.0.1:9200, to run")
    try:
        requests.get(url, timeout=3)
    except requests.RequestException as error:
        pytest.skip(f"no search cluster answers at SEARCH_URL={url}: {error.__class__.__name__}")
    return url


@pytest.fixture
def live_cluster():
    url = _cluster_url()
    index = f"test-htx-{uuid.uuid4().hex[:8]}"
    with override_settings(SEARCH_URL=url, SEARCH_INDEX=index):
        yield search_cluster.client()
        connection = search_cluster.client()
        for name in connection.indices.get(index=f"{index}*", ignore_unavailable=True):
            connection.indices.delete(index=name)


def test_cluster_finds_the_demo_products_without_accents(live_cluster):
    call_command("rebuild_search", "--index-only")
    assert live_cluster.indices.exists_alias(name=search_cluster.alias())
    results = search.matching("hat dieu rang muoi")
    assert isinstance(results, search_cluster.ClusterResults)
    titles = [entry.title for entry in results[:20]]
    assert "Hạt điều rang muối Bù Gia Mập 500 g" in titles
    assert results.count() == len(list(search.database_matching(["hat", "dieu", "rang", "muoi"], None, "vi")))


def test_cluster_follows_changes_and_rebuilds_behind_an_alias(live_cluster):
    call_command("rebuild_search", "--index-only")
    first = list(live_cluster.indices.get_alias(name=search_cluster.alias()))
    product = create_product(title="Điều Đồng Nai nướng muối ớt")
    live_cluster.indices.refresh(index=search_cluster.alias())
    assert [e.object_id for e in search.matching("dieu dong nai nuong")[:5]] == [product.pk]
    assert [e.object_id for e in search.matching("dieu dong nai nuo")[:5]] == [product.pk]  # half-typed word
    product.delete()
    live_cluster.indices.refresh(index=search_cluster.alias())
    assert search.matching("dieu dong nai nuong").count() == 0
    call_command("rebuild_search", "--index-only")
    second = list(live_cluster.indices.get_alias(name=search_cluster.alias()))
    assert second != first and len(second) == 1
    assert not live_cluster.indices.exists(index=first[0])
