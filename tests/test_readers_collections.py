"""Each reader over its collection in /work/shared/data/news (skipped when the data is not there)."""

from collections import Counter
from pathlib import Path

import pytest

from arshif.model import Article, Skipped
from arshif.readers import discover, read_path

NEWS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news"


def collection(name: str) -> Path:
    path = NEWS / name
    if not path.is_dir():
        pytest.skip(f"collection {name} not found at {path} (development data, not shipped with the project)")
    return path


def read_all(paths):
    articles, skipped = [], []
    for path in paths:
        for record in read_path(path):
            (articles if isinstance(record, Article) else skipped).append(record)
    return articles, skipped


def test_antcorpus_tagged_text():
    root = collection("antcorpus")
    files = sorted(path for path in discover([root]) if path.suffix == ".txt")
    assert len(files) == 3099
    articles, skipped = read_all(files)
    assert len(articles) + len(skipped) == 3099
    assert len(skipped) == 7 and all("empty <TEXT>" in record.reason for record in skipped)
    assert all(article.published for article in articles)  # dd/mm/yyyy, ISO with zone, yyyy-mm-ddThhmmss
    assert all(article.title and not article.title_derived for article in articles)
    assert all(article.extra.get("docno") and article.source == "Jawhara FM" for article in articles)
    assert Counter(article.encoding for article in articles) == {"utf-8": len(articles)}


def test_arabic_newspapers_corpus_cp1256():
    root = collection("arabic-newspapers-corpus")
    files = sorted(path for path in discover([root]) if path.suffix == ".txt")
    assert len(files) == 1782
    articles, skipped = read_all(files)
    assert len(articles) + len(skipped) == 1782
    assert all(article.encoding == "cp1256" and article.title for article in articles)
    # 15 Algerian politics files had their Arabic replaced by '?' before they reached the corpus
    assert len(skipped) == 15 and all("question marks" in record.reason for record in skipped)
    assert all(Path(record.path).name.startswith("DZP") for record in skipped)
    assert all("\r" not in article.body and "\x00" not in article.body for article in articles)
    headlines = sum(not article.title_derived for article in articles)
    assert headlines > 0.8 * len(articles)
    dated = [article for article in articles if article.published]
    assert len(dated) > 150 and all(article.published.startswith("2012-") for article in dated)


def test_saudinewsnet_zip_json():
    root = collection("saudinewsnet")
    files = [root / "2015-07-27.zip", root / "2015-08-11.zip"]
    articles, skipped = read_all(files)
    assert len(articles) + len(skipped) == 3083
    assert len(skipped) == 20 and all("no text" in record.reason for record in skipped)
