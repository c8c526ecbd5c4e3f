"""Plain text in legacy encodings, BOMs, CRLF, damaged UTF-8, binary and empty files; headline and dateline."""

from pathlib import Path

import pytest

from arshif.model import Article, Skipped
from arshif.readers import InputFile, read_file, read_path

HEADLINE = "الحكومة تعلن خطة جديدة للنقل"
BODY = [
    "أعلنت الحكومة اليوم عن خطة جديدة لتطوير النقل العمومي في المدن الكبرى، تشمل شراء حافلات جديدة.",
    "وقال الوزير إن الخطة ستنفذ على مراحل خلال السنوات الثلاث القادمة.",
]
ARTICLE = "\n".join([HEADLINE, *BODY]) + "\n"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_2399a9a2b0d5824e.txt"


def read_one(data: bytes, name: str = "article.txt"):
    records = list(read_file(InputFile(name, data)))
    assert len(records) == 1, records
    return records[0]


def test_cp1256_with_crlf_and_headline():
    record = read_one(ARTICLE.replace("\n", "\r\n").encode("cp1256"))
    assert isinstance(record, Article)
    assert record.encoding == "cp1256"
    assert record.title == HEADLINE and not record.title_derived
    assert record.body == "\n".join(BODY) and "\r" not in record.body


def test_iso_8859_6():
    record = read_one(ARTICLE.encode("iso-8859-6"))
    assert isinstance(record, Article)
    assert record.encoding == "iso-8859-6" and record.title == HEADLINE


def test_utf8_with_and_without_bom():
    plain, bom = read_one(ARTICLE.encode("utf-8")), read_one(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    assert plain.encoding == "utf-8" and bom.encoding == "utf-8-sig"
    assert plain.body == bom.body == "\n".join(BODY) and plain.title == bom.title == HEADLINE


@pytest.mark.parametrize("codec, expected", [("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_bom(codec, expected):
    data = ARTICLE.encode(codec) if codec == "utf-16" else b"\xfe\xff" + ARTICLE.encode(codec)
    record = read_one(data)
    assert isinstance(record, Article) and record.encoding == expected and record.title == HEADLINE


def test_invalid_utf8_in_the_middle_is_replaced_and_flagged():
    good = ARTICLE.encode("utf-8")
    cut = good.index(b"\n") + 1  # a character boundary
    data = good[:cut] + b"\xff\xfe" + good[cut:]
    record = read_one(data)
    assert isinstance(record, Article) and record.encoding == "utf-8"
    assert "\ufffd" in record.body
    assert record.extra["invalid_utf8"] == {"replaced": 2, "first_byte_offset": cut}


def test_binary_file_named_txt_is_skipped():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    record = read_one(png, "photo.txt")
    assert isinstance(record, Skipped) and record.path == "photo.txt" and "PNG image" in record.reason
    noise = bytes([0, 1, 2, 3, 200, 0, 17, 0]) * 200
    record = read_one(noise, "data.txt")
    assert isinstance(record, Skipped) and "not a text file" in record.reason


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty file"),
        (b"  \r\n\t\n  \n", "only whitespace"),
        ("\u064e\u0650\u0651\n\u064b".encode("utf-8"), "only diacritics"),
        ("\u064e\u0650\u0651".encode("cp1256"), "only diacritics"),
        (b"... !!! ---", "only punctuation"),
    ],
)
def test_files_without_text_are_skipped_with_a_reason(data, words):
    record = read_one(data, "blank.txt")
    assert isinstance(record, Skipped) and record.path == "blank.txt" and words in record.reason


def test_text_lost_to_question_marks_is_skipped():
    record = read_one(b"\xa0?C? ???I ????? C??E?IE EC?? ???? ??C?? ?E??E C???? ?? ???? ??? ?C??? ??\r\n")
    assert isinstance(record, Skipped) and "question marks" in record.reason


def test_long_first_sentence_keeps_the_derived_title_and_sign_off():
    (record,) = read_path(SEED)
    assert record.title_derived and record.title.startswith("بحث وزير الخارجية الروسي")
    assert record.source == "سيريانيوز" and record.encoding == "utf-8"


def test_dateline_gives_published_only_when_it_reads_cleanly():
    text = "الصباح    تونس في يوم   الإثنين 16 جويلية 2012\r\n\r\n" + ARTICLE
    record = read_one(text.encode("cp1256"))
    assert record.published == "2012-07-16" and record.published_raw.startswith("الصباح تونس")
    assert record.title == HEADLINE and record.body.startswith("الصباح    تونس")  # the dateline stays in the text
    record = read_one(("جويلية 2012\n" + ARTICLE).encode("cp1256"))  # a month, not a date: flagged, not guessed
    assert record.published is None and record.published_raw == "جويلية 2012" and record.title == HEADLINE
    record = read_one(("05/06/2012 07:16 AM\n" + ARTICLE).encode("utf-8"))  # day-month or month-day?
    assert record.published is None and record.published_raw.startswith("05/06/2012")


def test_kicker_above_the_headline():
    record = read_one(("البيان\n" + ARTICLE).encode("cp1256"))
    assert record.title == HEADLINE and record.extra["kicker"] == "البيان"


def test_question_headline_and_single_line_file():
    record = read_one("ماذا بعد إقالة رئيس الأركان؟\nنص الخبر الطويل بما يكفي ليكون متنا.\n".encode("utf-8"))
    assert record.title == "ماذا بعد إقالة رئيس الأركان؟" and not record.title_derived
    record = read_one("خبر قصير في سطر واحد".encode("utf-8"))  # nothing follows: the line stays the body
    assert record.body == "خبر قصير في سطر واحد" and record.title_derived


def test_sidecar_overrides_the_dateline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(("الخميس 26 جويلية 2012\n" + ARTICLE).encode("cp1256"))
    (tmp_path / "a.json").write_text('{"published": "2012-07-27", "title": "عنوان آخر"}', "utf-8")
    (record,) = read_path(path)
    assert record.published == "2012-07-27" and record.title == "عنوان آخر" and record.encoding == "cp1256"
