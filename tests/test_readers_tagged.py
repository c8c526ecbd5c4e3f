"""TREC-style tagged text: several <DOC> per file, unclosed tags, empty <TEXT>, sniffed from .txt."""

from pathlib import Path

from arshif.model import Article, Skipped
from arshif.readers import InputFile, read_file, read_path

FIXTURE = Path(__file__).parent / "fixtures" / "readers" / "tagged_two_docs.txt"


def test_documents_fields_and_malformed_tags():
    records = list(read_path(FIXTURE))
    first, second, third = records
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "افتتاح مهرجان المدينة في دورته الجديدة" and not first.title_derived
    assert first.url == "http://example.org/ar/article/1"
    assert first.source == "Jawhara FM" and first.category == "culture"
    assert first.published == "2017-01-20T21:43:00+01:00"
    assert first.extra["docno"] == "JA-culture-1-20170120"
    assert "abstract" not in first.extra  # empty <ABSTRACT> is not kept
    assert first.body.startswith("افتتحت مساء الجمعة") and first.body.endswith("نهاية الشهر.")
    assert first.encoding == "utf-8" and first.position == 0
    # unclosed <URL>, <TITLE> and <TEXT>: each value ends at the next tag
    assert second.url == "http://example.org/ar/article/2"
    assert second.title == "فوز الفريق المحلي في المباراة النهائية"
    assert second.published == "2016-04-09" and second.published_raw == "09/04/2016"
    assert second.body == "فاز الفريق المحلي بهدفين دون رد في المباراة النهائية."
    assert second.extra["abstract"] == "ملخص المباراة"
    assert isinstance(third, Skipped)
    assert third.path == f"{FIXTURE}[2]" and "empty <TEXT>" in third.reason


def test_single_document_keeps_the_file_name_and_falls_back_to_the_abstract():
    data = "\ufeff\n<DOC>\n<DOCNO>X-1</DOCNO>\n<TITLE>عنوان</TITLE>\n<ABSTRACT>ملخص الخبر</ABSTRACT>\n<TEXT>\n</TEXT>\n</DOC>\n"
    (record,) = read_file(InputFile("a/x.txt", data.encode("utf-8")))
    assert isinstance(record, Article)
    assert record.origin == "a/x.txt" and record.position is None
    assert record.body == "ملخص الخبر" and "body_from" in record.extra


def test_tagged_text_in_a_legacy_encoding():
    data = "<DOC>\r\n<TITLE>عنوان الخبر</TITLE>\r\n<TEXT>\r\nنص الخبر باللغة العربية.\r\n</TEXT>\r\n</DOC>\r\n"
    (record,) = read_file(InputFile("old.txt", data.encode("cp1256")))
    assert isinstance(record, Article)
    assert record.encoding == "cp1256" and record.title == "عنوان الخبر" and "\r" not in record.body


def test_a_native_text_starting_with_other_markup_is_not_tagged():
    (record,) = read_file(InputFile("n.txt", "<b>ليس</b> نصا موسوما بل نص عادي طويل بما يكفي ليكون خبرا.".encode()))
    assert isinstance(record, Article) and "docno" not in record.extra
