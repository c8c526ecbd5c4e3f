"""The native text format: sign-off line as source, sidecar JSON overrides, derived headline, stable id."""

from __future__ import annotations

import json
from pathlib import Path

from arshif.model import Article, Skipped
from arshif.readers import discover, read_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_2399a9a2b0d5824e.txt"


def read_one(path: Path):
    records = list(read_path(path))
    assert len(records) == 1, records
    return records[0]


def test_sample_article_sign_off_is_the_source_not_the_body():
    article = read_one(SEED)
    assert isinstance(article, Article)
    assert article.source == "سيريانيوز"
    assert "سيريانيوز" not in article.body
    assert article.body.startswith("بحث وزير الخارجية الروسي سيرغي لافروف")
    assert article.body.endswith('و "النصرة".')


def test_original_text_is_kept_exactly(tmp_path):
    text = "قال الرَّئيسُ إن ســوريا «تنتصر»، و٢٠١٦ عام صعب.\nفقرة ثانية فيها أمريكا."
    path = tmp_path / "a.txt"
    path.write_text(text, "utf-8")
    assert read_one(path).body == text


def test_headline_derived_from_first_sentence_and_marked(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("بحث وزير الخارجية الروسي سيرغي لافروف، في اتصال هاتفي مع نظيره الأمريكي جون كيري، يوم الثلاثاء، تنسيق الأعمال لمكافحة الإرهاب.\nفقرة ثانية.", "utf-8")
    article = read_one(path)
    assert article.title_derived
    assert article.title == "بحث وزير الخارجية الروسي سيرغي لافروف"


def test_sidecar_overrides_what_was_inferred(tmp_path):
    (tmp_path / "a.txt").write_text("نص الخبر الأول. وفيه جملة ثانية طويلة بما يكفي لتكون فقرة.\nسيريانيوز", "utf-8")
    sidecar = {"title": "عنوان من الملف", "published": "2016-08-09", "url": "https://example.org/x",
               "source": "مصدر آخر", "category": "سياسة", "author": "كاتب"}
    (tmp_path / "a.json").write_text(json.dumps(sidecar, ensure_ascii=False), "utf-8")
    assert list(discover([tmp_path])) == [tmp_path / "a.txt"]  # the sidecar is not an input of its own
    article = read_one(tmp_path / "a.txt")
    assert (article.title, article.published, article.url, article.source, article.category, article.author) == (
        "عنوان من الملف", "2016-08-09", "https://example.org/x", "مصدر آخر", "سياسة", "كاتب")
    assert not article.title_derived


def test_id_is_stable_and_from_url_when_present(tmp_path):
    first = read_one(SEED)
    assert read_one(SEED).id == first.id
    (tmp_path / "a.txt").write_text("نص الخبر.", "utf-8")
    (tmp_path / "a.json").write_text('{"url": "https://example.org/x"}', "utf-8")
    (tmp_path / "b.txt").write_text("نص آخر.", "utf-8")
    (tmp_path / "b.json").write_text('{"url": "https://example.org/x"}', "utf-8")
    assert read_one(tmp_path / "a.txt").id == read_one(tmp_path / "b.txt").id
    assert read_one(tmp_path / "a.txt").content_hash != read_one(tmp_path / "b.txt").content_hash


def test_unreadable_text_files_are_reported_with_path_and_reason(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03PNG\x00" * 50)
    (tmp_path / "empty.txt").write_bytes(b"")
    for name in ("binary.txt", "empty.txt"):
        record = read_one(tmp_path / name)
        assert isinstance(record, Skipped)
        assert record.path.endswith(name)
        assert record.reason
