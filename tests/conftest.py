"""Shared fixtures: archives built with the real build, and Datasette instances configured as `arshif serve`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

# Small articles written for the tests: spelling variants that the analyzer must bring together.
VARIANT_ARTICLES = [
    {"title": "زيارة إلى أمريكا", "content": "وصل الوفد إلى امريكا يوم الاثنين في زيارة رسمية.", "source": "وكالة أ",
     "url": "https://example.org/1", "date": "2016-08-02", "category": "سياسة"},
    {"title": "أخبار المدينة", "content": "افتتحت البلدية حديقة جديدة في مدينة حلب القديمة.", "source": "وكالة أ",
     "url": "https://example.org/2", "date": "2016-07-15", "category": "محليات"},
    {"title": "تصريح", "content": "قال الرَّئيسُ إن المفاوضات ستستأنف قريبا في سوريا.", "source": "وكالة ب",
     "url": "https://example.org/3", "date": "2015-01-20", "category": "سياسة"},
    {"title": "ميزانية عام ٢٠١٦", "content": "أقرت الحكومة ميزانية العام وسط توقعات بالنمو.", "source": "وكالة ب",
     "url": "https://example.org/4", "date": "2016-01-05", "category": "اقتصاد"},
    {"title": "حدث", "content": "شهدت ســوريا اجتماعا حول والمفاوضات بين الأطراف.", "source": "وكالة ج",
     "url": "https://example.org/5", "date": "2016-09-30", "category": "سياسة"},
]


def titled_site(folder: Path, articles: list[tuple[str, str]], ner: str = "none"):
    """A test client over an archive built with the real build from (title, body) articles, named ``news``."""
    from web_archive import Client

    from arshif.build import build

    records = [{"title": title, "content": body, "url": f"https://example.org/t{n}", "date": "2016-01-01"}
               for n, (title, body) in enumerate(articles)]
    (folder / "articles.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    build([folder / "articles.json"], folder / "news.db", ner=ner)
    client = Client(datasette_for(folder / "news.db"))
    client.path = folder / "news.db"
    return client


def datasette_for(db_path: Path | list[Path], **kwargs):
    """A Datasette instance for an archive (or several), configured as `arshif serve` configures it."""
    from datasette.app import Datasette

    from arshif.cli import SETTINGS

    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text("utf-8"))
    return Datasette(
        [str(path) for path in (db_path if isinstance(db_path, list) else [db_path])],
        metadata=metadata,
        plugins_dir=str(ROOT / "plugins"),
        template_dir=str(ROOT / "templates"),
        settings=SETTINGS,
        **kwargs,
    )


@pytest.fixture(scope="session")
def seed_archive(tmp_path_factory) -> Path:
    """The archive the Quickstart builds: seeds/ with the default tagger."""
    from arshif.build import build

    path = tmp_path_factory.mktemp("seed") / "archive.db"
    build([ROOT / "seeds"], path)
    return path


@pytest.fixture(scope="session")
def variants_archive(tmp_path_factory) -> Path:
    """An archive of the sample article plus small articles with spelling variants."""
    from arshif.build import build

    folder = tmp_path_factory.mktemp("variants")
    (folder / "articles.json").write_text(json.dumps(VARIANT_ARTICLES, ensure_ascii=False), "utf-8")
    (folder / "sample.txt").write_text((ROOT / "seeds" / "000_2399a9a2b0d5824e.txt").read_text("utf-8"), "utf-8")
    path = folder / "archive.db"
    build([folder], path, ner="gazetteer")
    return path


def fixture_texts() -> list[str]:
    """Every text of the seeds and fixtures, the variant articles, and each normalization rule's example."""
    from arshif.model import Skipped
    from arshif.readers import discover, read_path
    from arshif.text.normalize import rules

    texts = []
    for path in discover([ROOT / "seeds", ROOT / "tests" / "fixtures"]):
        for record in read_path(path):
            if not isinstance(record, Skipped):
                texts += [record.body, record.title or ""]
    for article in VARIANT_ARTICLES:
        texts += [article.get("content") or article.get("body") or "", article.get("title") or ""]
    texts += [f"في {rule.example} اليوم" for rule in rules()]  # every normalization rule's example, in a sentence
    return texts
