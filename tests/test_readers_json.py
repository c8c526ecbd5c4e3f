"""JSON arrays, JSON Lines and ZIP files of them: field mapping, unknown fields kept, bad input reported."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from arshif.model import Article, Skipped
from arshif.readers import read_path

RECORDS = [
    {"title": "عنوان", "content": "نص الخبر الأول.", "source": "sabq", "url": "https://example.org/1",
     "date_extracted": "2015-07-27 10:30:00", "author": "", "shares": 12},
    {"body": "نص بلا عنوان. وجملة أخرى.", "published": "2015-07-28", "category": "محليات"},
    {"title": "بلا نص", "content": ""},
    {"text": "نص ثالث.", "date": "27/07/2015"},
]


def test_json_array(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(RECORDS, ensure_ascii=False), "utf-8")
    records = list(read_path(path))
    articles = [r for r in records if isinstance(r, Article)]
    skipped = [r for r in records if isinstance(r, Skipped)]
    assert [a.body for a in articles] == ["نص الخبر الأول.", "نص بلا عنوان. وجملة أخرى.", "نص ثالث."]
    first, second, third = articles
    assert (first.title, first.source, first.url, first.published) == ("عنوان", "sabq", "https://example.org/1",
                                                                      "2015-07-27T10:30:00")
    assert first.extra == {"shares": 12}
    assert second.title_derived and second.title == "نص بلا عنوان" and second.category == "محليات"
    assert third.published == "2015-07-27"
    assert len(skipped) == 1 and skipped[0].path.endswith("a.json[2]") and "no text" in skipped[0].reason


def test_json_lines_and_a_broken_line(tmp_path):
    path = tmp_path / "a.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS[:2]] + ['{"title": "مقطوع", "content": "نص']
    path.write_text("\n".join(lines), "utf-8")
    records = list(read_path(path))
    assert sum(isinstance(r, Article) for r in records) == 2
    broken = [r for r in records if isinstance(r, Skipped)]
    assert len(broken) == 1 and "line 3" in broken[0].path and "broken JSON" in broken[0].reason


def test_truncated_json_file_is_reported(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(RECORDS, ensure_ascii=False)[:60], "utf-8")
    (record,) = list(read_path(path))
    assert isinstance(record, Skipped) and record.path == str(path) and "broken JSON" in record.reason


def test_zip_of_json_and_jsonl(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("day.json", json.dumps(RECORDS[:2], ensure_ascii=False))
        archive.writestr("more.jsonl", json.dumps(RECORDS[3], ensure_ascii=False))
        archive.writestr("bad.json", "[{")
    path = tmp_path / "a.zip"
    path.write_bytes(buffer.getvalue())
    records = list(read_path(path))
    assert sorted(r.body for r in records if isinstance(r, Article)) == sorted(
        ["نص الخبر الأول.", "نص بلا عنوان. وجملة أخرى.", "نص ثالث."])
    (bad,) = [r for r in records if isinstance(r, Skipped)]
    assert bad.path == f"{path}/bad.json"


def test_corrupt_zip_is_reported(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    (record,) = list(read_path(path))
    assert isinstance(record, Skipped) and "ZIP" in record.reason


def test_ids_are_stable_across_reads(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps(RECORDS, ensure_ascii=False), "utf-8")
    ids = [r.id for r in read_path(path) if isinstance(r, Article)]
    assert ids == [r.id for r in read_path(path) if isinstance(r, Article)]
    assert len(set(ids)) == 3
