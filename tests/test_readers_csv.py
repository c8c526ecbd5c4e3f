"""CSV and TSV with a header: columns by name, a caller's column mapping, big fields, broken rows."""

import io
import zipfile
from pathlib import Path

import pytest

from arshif.model import Article, Skipped
from arshif.readers import InputFile, read_file, read_path
from arshif.readers.tabular import parse_columns

FIXTURE = Path(__file__).parent / "fixtures" / "readers" / "articles_headline.csv"


def test_known_column_names():
    data = "title,content,source,url,date,author,category,lang\nعنوان,نص الخبر,المصدر,http://x.org/1,20/01/2017,كاتب,رياضة,ar\n"
    (record,) = read_file(InputFile("a.csv", data.encode("utf-8")))
    assert isinstance(record, Article)
    assert (record.title, record.body, record.source, record.url) == ("عنوان", "نص الخبر", "المصدر", "http://x.org/1")
    assert (record.published, record.author, record.category) == ("2017-01-20", "كاتب", "رياضة")
    assert record.extra == {"lang": "ar"} and record.position == 0


def test_without_a_text_column_the_file_is_skipped_with_advice():
    (record,) = read_path(FIXTURE)
    assert isinstance(record, Skipped) and record.path == str(FIXTURE)
    assert "no text column" in record.reason and "--columns" in record.reason


def test_column_mapping():
    records = list(read_path(FIXTURE, columns={"story": "content", "Writer": "author"}))
    first, missing, third = records
    assert first.title == "عنوان الخبر الأول" and first.body == "نص الخبر الأول، وفيه فاصلة.\nوفقرة ثانية."
    assert first.author == "كاتب أول" and first.published == "2015-07-21T10:00:00"
    assert isinstance(missing, Skipped) and missing.path == f"{FIXTURE}[line 4]" and "no text" in missing.reason
    assert third.published == "2012-07-26" and third.position == 2


def test_parse_columns():
    assert parse_columns("headline=title, story=content") == {"headline": "title", "story": "content"}
    with pytest.raises(ValueError, match="not an article field"):
        parse_columns("headline=heading")
    with pytest.raises(ValueError, match="COLUMN=FIELD"):
        parse_columns("headline")


def test_tsv_cp1256_and_semicolons():
    tsv = "العنوان\tالنص\tالتاريخ\r\nعنوان أول\tنص أول طويل\t15 رمضان 1436 هـ\r\n"
    (record,) = read_file(InputFile("a.tsv", tsv.encode("cp1256")))
    assert record.encoding == "cp1256" and record.title == "عنوان أول" and record.published == "2015-07-02"
    semi = "title;text\nعنوان;نص، مع فاصلة\n"
    (record,) = read_file(InputFile("b.csv", semi.encode("utf-8-sig")))
    assert record.body == "نص، مع فاصلة" and record.encoding == "utf-8-sig"


def test_large_field():
    body = "كلمة " * 100_000  # 500 KB, beyond csv's default field limit of 128 KB
    (record,) = read_file(InputFile("big.csv", f'title,body\nعنوان,"{body}"\n'.encode("utf-8")))
    assert isinstance(record, Article) and len(record.body) == len(body.strip())


def test_broken_and_empty_csv():
    (empty,) = read_file(InputFile("e.csv", b"\n\n"))
    assert isinstance(empty, Skipped)
    records = list(read_file(InputFile("x.csv", b'title,text\nok,fine text\n"unterminated,text\n')))
    assert isinstance(records[0], Article)
    assert all(isinstance(record, (Article, Skipped)) for record in records)


def test_mapping_reaches_csv_inside_a_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("day/a.csv", "headline,story\nعنوان,نص الخبر\n")
    (record,) = read_file(InputFile("d.zip", buffer.getvalue()), columns={"story": "content"})
    assert isinstance(record, Article) and record.origin == "d.zip/day/a.csv" and record.title == "عنوان"
