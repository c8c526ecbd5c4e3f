"""Snippets and highlights: the original text, marked, escaped."""

from __future__ import annotations

from arshif.highlight import highlight, snippet


def test_highlight_marks_the_original_spelling():
    assert snippet("قال إن وسُوريا بلد.", "سوريا") == "قال إن <mark>وسُوريا</mark> بلد."


def test_highlight_marks_variants_and_clitics():
    html = highlight("زار أمريكا ثم امريكا والمفاوضات في مدينة حلب", "امريكا مفاوضات مدينه")
    assert html == ("زار <mark>أمريكا</mark> ثم <mark>امريكا</mark> <mark>والمفاوضات</mark> في"
                    " <mark>مدينة</mark> حلب")


def test_everything_is_escaped():
    html = snippet('سوريا <script>alert("x")</script> "></mark><img onerror=1>', "سوريا mark")
    assert "<script>" not in html and "<img" not in html
    assert html.count("<mark>") == html.count("</mark>") == 2


def test_snippet_picks_the_densest_passage_with_ellipses():
    text = " ".join(["كلمة"] * 100 + ["حلب", "وسوريا"] + ["كلمة"] * 100)
    html = snippet(text, "حلب سوريا", words=10)
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>حلب</mark> <mark>وسوريا</mark>" in html


def test_snippet_without_match_starts_at_the_beginning():
    assert snippet("أول الكلام ثم آخره", "غائب") == "أول الكلام ثم آخره"


def test_prefix_and_vocalized_text():
    assert highlight("المُفاوَضات جارية", "مفاوض*") == "<mark>المُفاوَضات</mark> جارية"
