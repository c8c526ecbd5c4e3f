"""Linking mentions to canonical entities, within and across articles."""

from __future__ import annotations

from arshif.entities.demonyms import DemonymExtractor
from arshif.entities.extractor import Mention, merge_mentions
import sqlite3

import pytest

from arshif import db as archive
from arshif.entities.link import LinkedMention, archive_remap, entity_key, link_article, strip_role
from arshif.pipeline import rows_of_mentions

ARTICLE = (
    "بحث وزير الخارجية الروسي سيرغي لافروف، في اتصال هاتفي مع نظيره الأمريكي جون كيري، تنسيق الأعمال في سوريا. "
    "وشهد الشهر الماضي عدة مكالمات هاتفية بين لافروف وكيري. وقالت الخارجية الروسية إن روسيا وأمريكا تتفقان."
)


def mention(text: str, surface: str, type_: str = "PER", after: str = "") -> Mention:
    start = text.index(surface, text.index(after) if after else 0)
    return Mention(start, start + len(surface), surface, type_)


def article_mentions() -> list[Mention]:
    names = [
        mention(ARTICLE, "وزير الخارجية الروسي سيرغي لافروف"),
        mention(ARTICLE, "جون كيري"),
        mention(ARTICLE, "سوريا", "LOC"),
        mention(ARTICLE, "لافروف", after="بين"),
        mention(ARTICLE, "كيري", after="لافروف و"),
        mention(ARTICLE, "روسيا", "LOC", after="إن"),
        mention(ARTICLE, "أمريكا", "LOC", after="إن"),
    ]
    return merge_mentions([names, DemonymExtractor().extract(ARTICLE)])


def by_surface(linked: list[LinkedMention]) -> dict[str, str]:
    return {m.surface: m.entity_key for m in linked}


def test_article_links():
    linked = link_article(ARTICLE, article_mentions())
    keys = by_surface(linked)
    assert keys["سيرغي لافروف"] == keys["لافروف"] == "PER:سيرغي لافروف"
    assert keys["جون كيري"] == keys["كيري"] == "PER:جون كيري"
    assert keys["الروسي"] == keys["الروسية"] == keys["روسيا"] == "LOC:روسيا"
    assert keys["الأمريكي"] == keys["أمريكا"] == "LOC:الولايات المتحده"
    assert keys["سوريا"] == "LOC:سوريا"
    for m in linked:
        assert ARTICLE[m.start : m.end] == m.surface
    assert [m.start for m in linked] == sorted(m.start for m in linked)


def test_role_is_stripped_and_its_demonym_kept():
    linked = link_article(ARTICLE, article_mentions())
    lavrov = next(m for m in linked if m.surface == "سيرغي لافروف")
    assert lavrov.role == "وزير الخارجية الروسي"
    assert ARTICLE[lavrov.start : lavrov.end] == "سيرغي لافروف"
    russian = next(m for m in linked if m.surface == "الروسي")  # hidden by the person mention, found again
    assert (russian.kind, russian.entity_key) == ("demonym", "LOC:روسيا")


def test_roles():
    cases = {
        "الرئيس الروسي فلاديمير بوتين": ("الرئيس الروسي", "فلاديمير بوتين"),
        "الرئيس بشار الأسد": ("الرئيس", "بشار الأسد"),
        "ولي العهد الأمير محمد بن سلمان": ("ولي العهد الأمير", "محمد بن سلمان"),
        "رئيس الوزراء الإسرائيلي بنيامين نتنياهو": ("رئيس الوزراء الإسرائيلي", "بنيامين نتنياهو"),
        "الشيخ تميم بن حمد": ("الشيخ", "تميم بن حمد"),
        "الملك سلمان": ("الملك", "سلمان"),
        "نظيره الأمريكي جون كيري": ("نظيره الأمريكي", "جون كيري"),
        "وزير خارجية روسيا سيرغي لافروف": ("وزير خارجية روسيا", "سيرغي لافروف"),
        "الأمين العام للأمم المتحدة بان كي مون": ("الأمين العام للأمم المتحدة", "بان كي مون"),
        "أمين معلوف": (None, "أمين معلوف"),  # a given name, not أمين عام
        "سلطان بن زايد": (None, "سلطان بن زايد"),
        "الرئيس": (None, "الرئيس"),  # nothing left of a name: unchanged
    }
    for surface, (role, name) in cases.items():
        text = f"قال {surface} أمس"
        stripped = strip_role(text, mention(text, surface))
        assert (stripped.role, stripped.surface) == (role, name), surface
        assert text[stripped.start : stripped.end] == name


def test_vocalized_role():
    text = "قالَ الرَّئِيسُ الأَمْرِيكِيُّ باراك أوباما"
    stripped = strip_role(text, mention(text, "الرَّئِيسُ الأَمْرِيكِيُّ باراك أوباما"))
    assert stripped.role == "الرَّئِيسُ الأَمْرِيكِيُّ"
    assert stripped.surface == "باراك أوباما" == text[stripped.start : stripped.end]


def entities_of(tmp_path, articles: dict[str, tuple[str, list[Mention]]]) -> dict[str, dict]:
    """Link each article's mentions, store them as the build does, and read back the archive's entities."""
    db = archive.connect(tmp_path / "a.db")
    archive.create_indexes(db)
    for article_id, (text, mentions) in articles.items():
        row = archive.ArticleRow(article_id, None, None, None, None, None, None, None, text, None, None, None, 0, 0, 1,
                                 None, article_id, "", article_id, None)
        archive.insert_article(db, row, archive.IndexRow("", "", "", ""),
                               rows_of_mentions(article_id, link_article(text, mentions)))
    archive.rebuild_entities(db, archive_remap)
    db.conn.commit()
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.row_factory = sqlite3.Row
    found = {row["key"]: dict(row) for row in conn.execute("SELECT * FROM entities")}
    for key, entity in found.items():
        entity["aliases"] = {r[0] for r in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?",
                                                          (entity["id"],))}
    return found


def test_display_names_and_aliases(tmp_path):
    entities = entities_of(tmp_path, {"a1": (ARTICLE, article_mentions())})
    assert entities["LOC:روسيا"]["name"] == "روسيا"
    assert entities["LOC:الولايات المتحده"]["name"] == "الولايات المتحدة"
    assert entities["PER:سيرغي لافروف"]["name"] == "سيرغي لافروف"
    assert entities["PER:سيرغي لافروف"]["aliases"] == {"سيرغي لافروف", "لافروف"}
    assert entities["LOC:روسيا"]["aliases"] == {"الروسي", "الروسية", "روسيا"}
    assert entities["LOC:روسيا"]["mention_count"] == 3


def test_display_name_is_most_frequent_full_form(tmp_path):
    articles = {}
    for number, spelling in enumerate(["سيرغي لافروف", "سيرجي لافروف", "سيرغي لافروف"]):
        text = f"قال {spelling}"
        articles[str(number)] = (text, [mention(text, spelling)])
    text = "قال سَيرغي لافروف ولافروف ولافروف ولافروف"
    articles["v"] = (text, [mention(text, "سَيرغي لافروف")] + [
        Mention(i, i + 6, "لافروف", "PER") for i in range(len(text)) if text.startswith("لافروف", i) and i > 14])
    entities = entities_of(tmp_path, articles)
    # سيرجي and سيرغي are two names (no transliteration folding); the vocalized one has the key of سيرغي;
    # the short form, more frequent, is not the display name
    assert entities["PER:سيرغي لافروف"]["name"] == "سيرغي لافروف"
    assert entities["PER:سيرغي لافروف"]["article_count"] == 3
    assert "PER:سيرجي لافروف" in entities


def test_country_aliases_and_gazetteer_canonical():
    text = "زار الولايات المتحدة الأمريكية ثم الولايات المتحدة ثم امريكا"
    mentions = [
        mention(text, "الولايات المتحدة الأمريكية", "LOC"),
        mention(text, "الولايات المتحدة", "LOC", after="ثم"),
        Mention(text.index("امريكا"), len(text), "امريكا", "LOC", canonical="أمريكا"),
    ]
    linked = link_article(text, mentions)
    assert {m.entity_key for m in linked} == {entity_key("LOC", "الولايات المتحدة")}


def test_ambiguous_short_name_in_article_stays():
    text = "التقى أحمد الشامي وسمير الشامي، وقال الشامي"
    mentions = [
        mention(text, "أحمد الشامي"),
        mention(text, "سمير الشامي"),
        mention(text, "الشامي", after="قال"),
    ]
    keys = by_surface(link_article(text, mentions))
    assert keys["الشامي"] == "PER:الشامي"


def test_given_name_alone_is_no_person():
    # ambiguous between two full names: not an entity of its own
    text = "التقى محمد مرسي ومحمد بن سلمان، وقال محمد"
    mentions = [
        mention(text, "محمد مرسي"),
        mention(text, "محمد بن سلمان"),
        mention(text, "محمد", after="قال"),
    ]
    linked = link_article(text, mentions)
    assert [m.surface for m in linked] == ["محمد مرسي", "محمد بن سلمان"]
    # with one full name in the article, it links to it
    text = "قال خالد الفيصل إن ... وأضاف خالد"
    linked = link_article(text, [mention(text, "خالد الفيصل"), mention(text, "خالد", after="وأضاف")])
    assert {m.entity_key for m in linked} == {"PER:خالد الفيصل"}
    # a family name alone is still a person
    text = "قال السبسي"
    assert [m.entity_key for m in link_article(text, [mention(text, "السبسي")])] == ["PER:السبسي"]
    # a name nested in the longest one merges into it
    text = "الأمير محمد بن سلمان بن عبد العزيز، وقال بن سلمان ثم سلمان"
    mentions = [
        mention(text, "محمد بن سلمان بن عبد العزيز"),
        mention(text, "بن سلمان", after="قال"),
        mention(text, "سلمان", after="ثم"),
    ]
    keys = by_surface(link_article(text, mentions))
    assert keys["بن سلمان"] == "PER:محمد بن سلمان بن عبد العزيز"
    # but not a father's name: سلمان alone is not محمد بن سلمان (and a given name alone is no person)
    assert "سلمان" not in keys


@pytest.mark.parametrize("text, word", [
    ("من جانبه أوضح مشرف البرنامج بالأحساء سعد اليمني", "مشرف"),
    ("هوى الذهب 4% ليصل إلى أدنى مستوى", "هوى"),
    ("كما اعتبر عراب الكوميديا السعودية أن الفن", "عراب"),
])
def test_a_common_noun_before_its_complement_is_no_person(text, word):
    assert link_article(text, [mention(text, word)]) == []


@pytest.mark.parametrize("text, word, key", [
    ("ويصف فايز المالكي البرنامج", "فايز", "PER:فايز"),  # a family name after it: the tagger cut the name
    ("وقال مشرف إن الحكومة", "مشرف", "PER:مشرف"),  # no complement: Pervez Musharraf
    ("وأفاد غالي المتحدث الرسمي", "غالي", "PER:غالي"),  # a title in apposition
])
def test_a_surname_alone_before_a_definite_word_stays(text, word, key):
    assert [m.entity_key for m in link_article(text, [mention(text, word)])] == [key]


def test_across_articles(tmp_path):
    text2 = "قال لافروف إن كيري اتصل"
    alone = link_article(text2, [mention(text2, "لافروف"), mention(text2, "كيري")])
    assert [m.entity_key for m in alone] == ["PER:لافروف", "PER:كيري"]  # per article; the archive remaps
    text3 = "وصل كيري كينيدي"
    entities = entities_of(tmp_path, {
        "a1": (ARTICLE, article_mentions()),
        "a2": (text2, [mention(text2, "لافروف"), mention(text2, "كيري")]),
        "a3": (text3, [mention(text3, "كيري كينيدي")]),
    })
    assert "PER:لافروف" not in entities  # merged into the only longer name that contains it
    assert entities["PER:كيري"]["mention_count"] == 1  # كيري is in two longer names: stays
    lavrov = entities["PER:سيرغي لافروف"]
    assert (lavrov["name"], lavrov["mention_count"], lavrov["article_count"]) == ("سيرغي لافروف", 3, 2)
    assert lavrov["aliases"] == {"سيرغي لافروف", "لافروف"}


def test_cross_article_merge_is_undone_when_the_long_name_goes(tmp_path):
    text = "قال لافروف"
    entities = entities_of(tmp_path, {"x": (text, [mention(text, "لافروف")])})
    assert "PER:لافروف" in entities


def test_a_mention_that_is_only_a_title_keeps_its_last_word():
    text = "قال ولي العهد"
    linked = link_article(text, [Mention(4, len(text), "ولي العهد", "PER")])
    assert [m.surface for m in linked] == ["ولي العهد"]  # a title alone stays: the name keeps a word


def test_a_fathers_name_alone_does_not_link_to_the_son():
    text = "قال الأمير سلطان بن عبدالعزيز إن المؤسس الملك عبد العزيز وحد البلاد"
    keys = by_surface(link_article(text, [mention(text, "سلطان بن عبدالعزيز"),
                                          mention(text, "عبد العزيز", after="الملك")]))
    assert keys["سلطان بن عبدالعزيز"] == "PER:سلطان بن عبدالعزيز"
    assert keys["عبد العزيز"] == "PER:الملك عبد العزيز"  # a king by his given name and title


def test_a_king_by_his_given_name_links_to_his_full_name_but_not_to_a_prince():
    text = "بعث الملك سلمان بن عبدالعزيز آل سعود برقية. وقال الملك سلمان إن"
    keys = by_surface(link_article(text, [mention(text, "سلمان بن عبدالعزيز آل سعود"),
                                          mention(text, "سلمان", after="وقال")]))
    assert keys["سلمان"] == keys["سلمان بن عبدالعزيز آل سعود"]
    text = "استقبل الأمير فهد بن نايف الوفد. وافتتح الملك فهد المطار"
    keys = by_surface(link_article(text, [mention(text, "فهد بن نايف"), mention(text, "فهد", after="الملك")]))
    assert keys["فهد"] == "PER:الملك فهد" and keys["فهد بن نايف"] == "PER:فهد بن نايف"
    text = "وقال فهد إن"
    assert link_article(text, [mention(text, "فهد")]) == []  # no title: a given name alone is no person


def test_a_person_span_is_cut_where_a_title_opens_the_next_name():
    from arshif.entities.combine import split_at_titles

    text = "واستقبل الأمير عبدالله بن فهد الأمير فهد بن نايف في جدة"
    parts = split_at_titles(text, mention(text, "عبدالله بن فهد الأمير فهد بن نايف"))
    assert [p.surface for p in parts] == ["عبدالله بن فهد", "فهد بن نايف"]
    one = mention(text, "عبدالله بن فهد")
    assert split_at_titles(text, one) == [one]


def test_a_king_inside_the_name_of_a_place_is_no_person():
    text = "تكدس السيارات بجسر الملك فهد وفي مطار الملك خالد الدولي، وأصدر الملك عبد العزيز أمرا"
    linked = link_article(text, [mention(text, "فهد"), mention(text, "الملك خالد الدولي"),
                                 mention(text, "عبد العزيز", after="وأصدر")])
    assert [m.entity_key for m in linked] == ["PER:الملك عبد العزيز"]
    text = "كالتالي:- حدائق الملك عبدالله العالمية، الجسر المعلق"
    assert link_article(text, [mention(text, "عبدالله العالمية")]) == []


def test_a_title_without_the_article_is_a_role():
    text = "وكشف العقيد دكتور عاطي القرشي أن"
    (linked,) = link_article(text, [mention(text, "دكتور عاطي القرشي")])
    assert (linked.surface, linked.entity_key) == ("عاطي القرشي", "PER:عاطي القرشي")


def test_a_full_name_after_a_place_named_after_people_is_no_person():
    from arshif.entities.link import named_after_a_person

    def after(text: str, name: str) -> bool:
        start = text.index(name)
        return named_after_a_person(text, Mention(start=start, end=start + len(name), surface=name, type="PER"))

    assert after("نقل المصاب إلى مستشفى فرحات حشاد بسوسة", "فرحات حشاد")
    assert after("نقل إلى المستشفى الجامعي فرحات حشاد", "فرحات حشاد")  # the article, then an adjective
    assert after("تجمعوا بشارع محمد الخامس بالعاصمة", "محمد الخامس")
    assert after("في ملعب مصطفى بن جنات بالمنستير", "مصطفى بن جنات")
    assert not after("وأكد مدير المدرسة علي بن احميد أن", "علي بن احميد")  # a role: the definite noun
    assert not after("الملعب القابسي عاطف المازني", "عاطف المازني")  # a club, then a player
    assert not after("أعلن برنامج دونالد ترامب الاقتصادي", "دونالد ترامب")  # Trump's programme
    assert not after("تقليد نهج سعود الفريد", "سعود الفريد")  # an approach, not a street
    assert not after("في مستشفى فرحات", "فرحات")  # one word: nothing to tell
    assert not after("مستشفى: فرحات حشاد", "فرحات حشاد")  # punctuation between


def test_a_compound_name_written_joined_links_to_the_full_name_written_apart():
    text = "قال الرئيس علي عبد الله صالح إن ... وأضاف عبدالله صالح أن"
    linked = link_article(text, [mention(text, "علي عبد الله صالح"), mention(text, "عبدالله صالح")])
    assert by_surface(linked) == {"علي عبد الله صالح": "PER:علي عبد الله صالح",
                                  "عبدالله صالح": "PER:علي عبد الله صالح"}


def test_ali_that_the_tagger_read_as_the_preposition_opens_the_name():
    from arshif.entities.combine import combine

    def kept(text: str, surface: str) -> list[str]:
        return [m.surface for m in combine(text, [("tagger", [mention(text, surface)])])]

    assert kept("قوات الرئيس المخلوع علي عبدالله صالح أمس", "عبدالله صالح") == ["علي عبدالله صالح"]
    assert kept("والقوات الموالية لعلي عبدالله صالح في", "عبدالله صالح") == ["علي عبدالله صالح"]
    assert kept("تكليف من المخلوع على عبدالله صالح لعبد الملك", "عبدالله صالح") == ["عبدالله صالح"]  # على
    assert kept("باسم النادي. ووعد عبدالسلام جمعة الجماهير", "عبدالسلام جمعة") == ["عبدالسلام جمعة"]


def test_a_name_joined_by_bin_is_not_split_into_two_people():
    text = ("أصدر الملك سلمان بن عبد العزيز أمرا. وعين الأمير محمد بن سلمان وليا لولي العهد بعد إعفاء الأمير مقرن "
            "بن عبد العزيز")
    names = [mention(text, "سلمان بن عبد العزيز"), mention(text, "محمد بن سلمان"),
             mention(text, "مقرن بن عبد العزيز")]
    assert sorted(m.surface for m in link_article(text, names)) == sorted(m.surface for m in names)


def test_a_display_name_drops_quote_marks():
    from arshif.entities.link import display_name

    assert display_name(Mention(0, 20, 'وكالة أنباء "الأناضول"', "ORG")) == "وكالة أنباء الأناضول"
    assert display_name(Mention(0, 20, "صحيفة «الحياة»", "ORG")) == "صحيفة الحياة"
    assert display_name(Mention(0, 9, 'الجوهرة"اف ام"', "ORG", canonical="جوهرة أف أم")) == "جوهرة أف أم"
