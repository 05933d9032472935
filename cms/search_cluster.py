"""Search on an OpenSearch (or Elasticsearch) cluster, for when the catalogue outgrows one database.

Switched on by `SEARCH_URL` (or `OPENSEARCH_URL`), e.g. `https://user:pass@search.internal:9200`.
The `SearchEntry` rows stay the source of the documents (one per page and product, text already
folded by `cms.search.fold`); each change is copied into the index by the same task that writes the
row, and `manage.py rebuild_search` builds a fresh index and swaps the alias to it. The index folds
again on its side (lowercase, ASCII folding, đ → d), so text indexed by other tools matches too,
and adds an edge-n-gram sub-field so a half-typed last word still finds its product.

`cms.search.matching()` asks the cluster when it is configured, and falls back to the database
query (with a warning in the log) when the cluster does not answer.
"""

import contextlib
import contextvars
import logging
from datetime import UTC, datetime

from django.conf import settings

logger = logging.getLogger(__name__)

# Folding on the cluster side: đ/Đ have no decomposition, so they are mapped before ASCII folding.
ANALYSIS = {
    "char_filter": {"vi_d": {"type": "mapping", "mappings": ["đ => d", "Đ => D"]}},
    "filter": {"prefix_grams": {"type": "edge_ngram", "min_gram": 2, "max_gram": 20}},
    "analyzer": {
        "folded": {
            "type": "custom",
            "char_filter": ["vi_d"],
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding"],
        },
        "folded_prefix": {
            "type": "custom",
            "char_filter": ["vi_d"],
            "tokenizer": "standard",
            "filter": ["lowercase", "asciifolding", "prefix_grams"],
        },
    },
}
MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "kind": {"type": "keyword"},
        "object_id": {"type": "long"},
        "language": {"type": "keyword"},
        "title": {"type": "keyword", "index": False},
        "folded_title": {
            "type": "text",
            "analyzer": "folded",
            "fields": {
                "prefix": {"type": "text", "analyzer": "folded_prefix", "search_analyzer": "folded"},
                "sort": {"type": "keyword"},
            },
        },
        "folded": {
            "type": "text",
            "analyzer": "folded",
            "fields": {"prefix": {"type": "text", "analyzer": "folded_prefix", "search_analyzer": "folded"}},
        },
    },
}
# At most this many ids for the admin product chooser (the database search has no limit).
MAX_IDS = 1000


_suspended = contextvars.ContextVar("search_cluster_suspended", default=False)


def url() -> str:
    return getattr(settings, "SEARCH_URL", "") or ""


def configured() -> bool:
    """True when a cluster is configured and per-entry copies are not suspended (see `suspended`)."""
    return bool(url()) and not _suspended.get()


@contextlib.contextmanager
def suspended():
    """Skip per-entry copies to the cluster inside the block (a full rebuild indexes in bulk after)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def alias() -> str:
    """The name queries and updates use; `rebuild_search` points it at a new dated index."""
    return getattr(settings, "SEARCH_INDEX", "") or "htx-search"


def client():
    """An opensearch-py client for SEARCH_URL (credentials and TLS come from the URL)."""
    from opensearchpy import OpenSearch

    return OpenSearch(
        hosts=[url()],
        timeout=getattr(settings, "SEARCH_TIMEOUT", 5),
        max_retries=1,
        retry_on_timeout=False,
        http_compress=True,
    )


def index_body() -> dict:
    """Settings and mappings of a new index."""
    return {"settings": {"index": {"number_of_shards": 1}, "analysis": ANALYSIS}, "mappings": MAPPINGS}


def doc_id(kind: str, object_id: int) -> str:
    return f"{kind}-{object_id}"


def document(entry) -> dict:
    """The indexed copy of one `SearchEntry`."""
    return {
        "kind": entry.kind,
        "object_id": entry.object_id,
        "language": entry.language,
        "title": entry.title,
        "folded_title": entry.folded_title,
        "folded": entry.folded,
    }


def build_query(words: list[str], kind: str | None, language: str) -> dict:
    """The query for already folded `words`: every word must occur (as a word, or the start of one).

    Pages are limited to `language`, products match in either; title hits rank first, as in the
    database search, then the kind, the title and the id keep the order stable between pages.
    """
    must = [
        {
            "multi_match": {
                "query": word,
                "fields": ["folded_title^3", "folded", "folded_title.prefix", "folded.prefix"],
                "type": "best_fields",
            }
        }
        for word in words
    ]
    filters = [
        {
            "bool": {
                "should": [{"term": {"kind": "product"}}, {"term": {"language": language}}],
                "minimum_should_match": 1,
            }
        }
    ]
    if kind:
        filters.append({"term": {"kind": kind}})
    phrase = " ".join(words)
    return {
        "bool": {
            "must": must,
            "filter": filters,
            "should": [
                {"match_phrase": {"folded_title": {"query": phrase, "boost": 10}}},
                {"match_phrase": {"folded": {"query": phrase, "boost": 2}}},
            ],
        }
    }


SORT = ["_score", {"kind": "asc"}, {"folded_title.sort": "asc"}, {"object_id": "asc"}]


class ClusterResults:
    """The hits of one query as a lazy sequence of unsaved `SearchEntry` objects (what Paginator needs)."""

    def __init__(self, words, kind, language, connection=None):
        self.query = build_query(words, kind, language)
        self._client = connection
        self._count = None

    @property
    def connection(self):
        if self._client is None:
            self._client = client()
        return self._client

    def count(self) -> int:
        if self._count is None:
            answer = self.connection.count(index=alias(), body={"query": self.query})
            self._count = int(answer["count"])
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if isinstance(item, int):
            found = self[item : item + 1]
            if not found:
                raise IndexError(item)
            return found[0]
        start = item.start or 0
        stop = item.stop if item.stop is not None else start + MAX_IDS
        if stop <= start:
            return []
        answer = self.connection.search(
            index=alias(),
            body={"query": self.query, "sort": SORT, "from": start, "size": stop - start, "_source": True},
        )
        return [entry_from_hit(hit) for hit in answer["hits"]["hits"]]


def entry_from_hit(hit):
    from cms.models import SearchEntry

    source = hit["_source"]
    return SearchEntry(
        kind=source["kind"],
        object_id=source["object_id"],
        language=source.get("language", ""),
        title=source.get("title", ""),
        folded_title=source.get("folded_title", ""),
        folded=source.get("folded", ""),
    )


def matching(words, kind, language):
    return ClusterResults(words, kind, language)


def index_entry(entry, connection=None) -> None:
    (connection or client()).index(index=alias(), id=doc_id(entry.kind, entry.object_id), body=document(entry))


def delete(kind: str, object_id: int, connection=None) -> None:
    from opensearchpy.exceptions import NotFoundError

    try:
        (connection or client()).delete(index=alias(), id=doc_id(kind, object_id))
    except NotFoundError:
        pass


def rebuild(entries, connection=None, stdout=None, batch=500) -> str:
    """Build a new dated index from `entries`, point the alias at it and drop the old ones.

    Searches keep using the old index until the alias moves, so a rebuild never empties search.
    Returns the new index name.
    """
    from opensearchpy import helpers

    connection = connection or client()
    name = f"{alias()}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    connection.indices.create(index=name, body=index_body())
    actions = (
        {"_op_type": "index", "_index": name, "_id": doc_id(e.kind, e.object_id), "_source": document(e)}
        for e in entries
    )
    done, _errors = helpers.bulk(connection, actions, chunk_size=batch, raise_on_error=True)
    connection.indices.refresh(index=name)
    old = list(connection.indices.get_alias(name=alias(), ignore_unavailable=True)) if _alias_exists(connection) else []
    if connection.indices.exists(index=alias()) and not old:
        # A plain index squatting the alias name (created by an update before any rebuild): replace it.
        connection.indices.delete(index=alias())
    moves = [{"remove": {"index": index, "alias": alias()}} for index in old]
    moves.append({"add": {"index": name, "alias": alias()}})
    connection.indices.update_aliases(body={"actions": moves})
    for index in old:
        connection.indices.delete(index=index)
    if stdout is not None:
        stdout.write(f"{done} documents indexed in {name} (alias {alias()}).")
    return name


def _alias_exists(connection) -> bool:
    return bool(connection.indices.exists_alias(name=alias()))
