"""Linking mentions to canonical entities, within and across articles."""

from __future__ import annotations

from arshif.entities.demonyms import DemonymExtractor
from arshif.entities.extractor import Mention, merge_mentions
from arshif.entities.link import LinkedMention, Linker, entity_key, strip_role

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
    linked = Linker().add_article("a1", ARTICLE, article_mentions())
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
    linked = Linker().add_article("a1", ARTICLE, article_mentions())
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


def test_display_names_and_aliases():
    linker = Linker()
    linker.add_article("a1", ARTICLE, article_mentions())
    result = linker.finalize()
    assert result.entities["LOC:روسيا"].name == "روسيا"
    assert result.entities["LOC:الولايات المتحده"].name == "الولايات المتحدة"
    assert result.entities["PER:سيرغي لافروف"].name == "سيرغي لافروف"
    assert result.aliases["PER:سيرغي لافروف"] == {"سيرغي لافروف", "لافروف"}
    assert result.aliases["LOC:روسيا"] == {"الروسي", "الروسية", "روسيا"}
    assert result.entities["LOC:روسيا"].mentions == 3
    assert result.remap == {}


def test_display_name_is_most_frequent_full_form():
    linker = Linker()
    for number, spelling in enumerate(["سيرغي لافروف", "سيرجي لافروف", "سيرغي لافروف"]):
        text = f"قال {spelling}"
        linker.add_article(str(number), text, [mention(text, spelling)])
    text = "قال سَيرغي لافروف ولافروف"
    linker.add_article("v", text, [mention(text, "سَيرغي لافروف"), mention(text, "لافروف", after="و")])
    result = linker.finalize()
    # سيرجي and سيرغي are two names (no transliteration folding); the vocalized one has the key of سيرغي
    assert result.entities["PER:سيرغي لافروف"].name == "سيرغي لافروف"
    assert result.entities["PER:سيرغي لافروف"].articles == 3
    assert "PER:سيرجي لافروف" in result.entities


def test_country_aliases_and_gazetteer_canonical():
    text = "زار الولايات المتحدة الأمريكية ثم الولايات المتحدة ثم امريكا"
    mentions = [
        mention(text, "الولايات المتحدة الأمريكية", "LOC"),
        mention(text, "الولايات المتحدة", "LOC", after="ثم"),
        Mention(text.index("امريكا"), len(text), "امريكا", "LOC", canonical="أمريكا"),
    ]
    linked = Linker().add_article("a", text, mentions)
    assert {m.entity_key for m in linked} == {entity_key("LOC", "الولايات المتحدة")}


def test_ambiguous_short_name_in_article_stays():
    text = "التقى محمد مرسي ومحمد بن سلمان، وقال محمد"
    mentions = [
        mention(text, "محمد مرسي"),
        mention(text, "محمد بن سلمان"),
        mention(text, "محمد", after="قال"),
    ]
    keys = by_surface(Linker().add_article("a", text, mentions))
    assert keys["محمد"] == "PER:محمد"
    # a name nested in the longest one merges into it
    text = "الأمير محمد بن سلمان بن عبد العزيز، وقال بن سلمان ثم سلمان"
    mentions = [
        mention(text, "محمد بن سلمان بن عبد العزيز"),
        mention(text, "بن سلمان", after="قال"),
        mention(text, "سلمان", after="ثم"),
    ]
    keys = by_surface(Linker().add_article("b", text, mentions))
    assert keys["بن سلمان"] == keys["سلمان"] == "PER:محمد بن سلمان بن عبد العزيز"


def test_across_articles():
    linker = Linker()
    linker.add_article("a1", ARTICLE, article_mentions())
    text = "قال لافروف إن كيري اتصل"
    alone = linker.add_article("a2", text, [mention(text, "لافروف"), mention(text, "كيري")])
    assert [m.entity_key for m in alone] == ["PER:لافروف", "PER:كيري"]  # per article; finalize remaps
    text = "وصل كيري كينيدي"
    linker.add_article("a3", text, [mention(text, "كيري كينيدي")])
    result = linker.finalize()
    assert result.remap == {"PER:لافروف": "PER:سيرغي لافروف"}  # كيري is in two longer names: stays
    assert result.resolve("PER:لافروف") == "PER:سيرغي لافروف"
    assert result.resolve("PER:كيري") == "PER:كيري"
    assert "PER:لافروف" not in result.entities
    assert result.entities["PER:كيري"].mentions == 1
    lavrov = result.entities["PER:سيرغي لافروف"]
    assert (lavrov.name, lavrov.mentions) == ("سيرغي لافروف", 3)
    assert result.aliases["PER:سيرغي لافروف"] == {"سيرغي لافروف", "لافروف"}
