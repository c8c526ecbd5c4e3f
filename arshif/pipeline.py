"""Per-article processing, the part of the build that runs in worker processes (local ones, or a Dask
cluster's): analysis for search, entity extraction and linking inside the article. Pure: articles in, typed
rows out (``arshif.db`` records). Each text is tokenized and normalized once
(``arshif.text.tokenize.normalized_tokens``): the index, the extractors and the tagger share that analysis."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from .entities.combine import combine
from .entities.extractor import Extractor
from .entities.link import LinkedMention, display_name, link_article
from .db import ArticleRow, IndexRow, MentionRow
from .model import Article
from .text.analyze import analyze

NER_CHOICES = ("default", "crf", "gazetteer", "none", "camel")


@dataclass
class Processed:
    """An article ready to write: its row, its index entry and its mentions."""

    article: Article
    row: ArticleRow
    index: IndexRow
    mentions: list[MentionRow]


@lru_cache(maxsize=None)
def extractors(ner: str) -> tuple[Extractor, ...]:
    """The extractors for a ``--ner`` choice; ``arshif.entities.combine`` reconciles their mentions."""
    if ner not in NER_CHOICES:
        raise ValueError(f"--ner must be one of {', '.join(NER_CHOICES)}, not {ner!r}")
    if ner == "none":
        return ()
    from .entities.demonyms import DemonymExtractor
    from .entities.gazetteer import GazetteerExtractor
    from .entities.orgs import OrgExtractor
    from .entities.works import WorkExtractor

    chosen: list[Extractor] = [WorkExtractor(), OrgExtractor(), GazetteerExtractor(), DemonymExtractor()]
    if ner == "default":
        from .entities.neural import EnsembleExtractor  # the CRF and the neural tagger, averaged

        chosen.append(EnsembleExtractor())
    elif ner == "crf":
        from .entities.crf import CrfExtractor  # the CRF alone: faster than the ensemble, a few points less F1

        chosen.append(CrfExtractor())
    elif ner == "camel":
        from .entities.camel import CamelExtractor

        chosen = [CamelExtractor(), *chosen]
    return tuple(chosen)


def find_mentions(text: str, ner: str = "default") -> list:
    """The mentions of all extractors of a ``--ner`` choice in ``text``, reconciled into one list."""
    chosen = extractors(ner)
    if not chosen:
        return []
    return combine(text, ((extractor.name, extractor.extract(text)) for extractor in chosen))


def process(article: Article, ner: str = "default") -> Processed:
    """Analyze one article and find its entities (the body's analysis is made once, here, and found again
    by the extractors and the tagger through ``normalized_tokens``'s cache)."""
    title = analyze(article.title)
    body = analyze(article.body)
    try:
        mentions = find_mentions(article.body, ner)
        linked = link_article(article.body, mentions)
    except Exception as error:  # a tagger bug must not lose the article: keep it, without entities, and say so
        linked = []
        article.extra["entity_error"] = f"{type(error).__name__}: {error}"
    published = article.published
    row = ArticleRow(
        id=article.id,
        title=article.title,
        published=published,
        date=published[:10] if published else None,
        source_id=None,  # the writer's: sources are numbered in the archive
        category=article.category,
        author=article.author,
        url=article.url,
        body=article.body,
        year=int(published[:4]) if published else None,
        month=published[:7] if published else None,
        published_raw=article.published_raw,
        date_unreadable=int(bool(article.published_raw) and not published),
        title_derived=int(article.title_derived),
        words=body.surface.count(" ") + 1 if body.surface else 0,
        encoding=article.encoding,
        origin=article.origin,
        content_hash=article.content_hash,
        body_key=hashlib.sha1(body.surface.encode("utf-8")).hexdigest(),
        extra=json.dumps(article.extra, ensure_ascii=False, sort_keys=True) if article.extra else None,
    )
    index = IndexRow(title.surface, body.surface, title.stems, body.stems)
    return Processed(article, row, index, rows_of_mentions(article.id, linked))


def rows_of_mentions(article_id: str, linked: list[LinkedMention]) -> list[MentionRow]:
    """The ``mentions`` rows of an article's linked mentions."""
    return [
        MentionRow(
            article_id=article_id,
            start=mention.start,
            end=mention.end,
            surface=mention.surface,
            type=mention.type,
            kind=mention.kind,
            role=mention.role,
            name=display_name(mention),
            full=int(mention.full),
            article_key=mention.entity_key,
        )
        for mention in linked
    ]


@lru_cache(maxsize=1)
def one_blas_thread() -> None:
    """Run NumPy's BLAS on one thread in this process (once per process). The build's parallelism is its
    processes (``--jobs``, Dask workers); the neural tagger's small matrix products gain nothing from BLAS threads,
    which spin and take the cores from the other processes (on 2 busy cores, 40 articles took 43 s with two BLAS
    threads and 6 s with one, with a tenth of the CPU time)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


#: The cyclic collector's thresholds while this process analyzes articles. An article makes tens of thousands
#: of short-lived containers (tokens, readings, mentions), nearly all freed by reference counting; at Python's
#: default (a young collection every 700 allocations, whose survivors soon make older collections walk the
#: loaded tables) the collector took about a tenth of a ``--ner gazetteer`` build's CPU time. Cyclic garbage
#: is still collected, after at most this many allocations.
BUILD_GC_THRESHOLDS = (100_000, 50, 50)


@lru_cache(maxsize=1)
def build_collector() -> None:
    """Give this process's cyclic collector the build's thresholds (once per process)."""
    import gc

    gc.set_threshold(*BUILD_GC_THRESHOLDS)


def process_batch(batch: list[Article], ner: str) -> list[Processed]:
    """Process a batch of articles (in a worker process, or here)."""
    one_blas_thread()
    build_collector()
    return [process(article, ner) for article in batch]
