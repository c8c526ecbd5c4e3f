"""HTML pages: main text, title, date and site name through trafilatura, offline; encodings; pages without text."""

from pathlib import Path

from arshif.model import Article, Skipped
from arshif.readers import InputFile, read_file, read_path

FIXTURE = Path(__file__).parent / "fixtures" / "readers" / "page.html"


def test_article_page():
    (record,) = read_path(FIXTURE)
    assert isinstance(record, Article)
    assert record.title == "وزارة الصحة تطلق حملة وطنية للتلقيح" and not record.title_derived
    assert record.published == "2016-03-14"
    assert record.source == "جريدة المثال" and record.author == "سارة بن علي"
    assert record.body.startswith("أعلنت وزارة الصحة")  # the <h1> is not repeated in the body
    assert "الرئيسية" not in record.body and "جميع الحقوق محفوظة" not in record.body  # navigation, footer
    assert record.encoding == "utf-8"


def test_declared_windows_1256_page():
    page = FIXTURE.read_text("utf-8").replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                                              'content="text/html; charset=windows-1256">')
    (record,) = read_file(InputFile("old.htm", page.encode("cp1256", errors="replace")))
    assert isinstance(record, Article) and record.encoding == "cp1256"
    assert record.title == "وزارة الصحة تطلق حملة وطنية للتلقيح"


def test_wrong_declaration_is_detected_and_noted():
    page = FIXTURE.read_text("utf-8").replace('<meta charset="utf-8">', '<meta charset="utf-8">'.replace(
        "utf-8", "iso-8859-6"))
    (record,) = read_file(InputFile("wrong.html", page.encode("utf-8")))
    assert isinstance(record, Article) and record.encoding == "utf-8"
    assert record.extra["declared_charset_wrong"] == "iso-8859-6"


def test_page_without_article_text_is_skipped():
    page = "<html><head><title>فهرس</title></head><body><nav><a href='/'>الرئيسية</a></nav></body></html>"
    (record,) = read_file(InputFile("index.html", page.encode("utf-8")))
    assert isinstance(record, Skipped) and record.path == "index.html" and "no article text" in record.reason


def test_binary_and_empty_html_are_skipped():
    (binary,) = read_file(InputFile("x.html", b"%PDF-1.4 binary"))
    (empty,) = read_file(InputFile("y.htm", b""))
    assert isinstance(binary, Skipped) and "PDF" in binary.reason
    assert isinstance(empty, Skipped) and "empty" in empty.reason
