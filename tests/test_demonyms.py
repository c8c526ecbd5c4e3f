"""The country/demonym table and the demonym extractor."""

from __future__ import annotations

import pycountry
import pytest
from babel import Locale

from arshif.entities.demonyms import (
    DemonymExtractor,
    countries,
    country_names,
    demonym_forms,
    inflections,
    key_form,
)

# The 193 member states of the United Nations, ISO 3166-1 alpha-2.
UN_MEMBERS = """
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM CA CF TD CL CN CO KM
CG CD CR CI HR CU CY CZ DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS
IN ID IR IQ IE IL IT JM JP JO KZ KE KI KP KR KW KG LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD
MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA RO RU RW KN LC VC WS SM ST SA SN
RS SC SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO TT TN TR TM TV UG UA AE GB US UY UZ VU VE VN
YE ZM ZW
""".split()

OBSERVERS_AND_OTHERS = {"PS", "VA", "XK", "TW", "EH"}


@pytest.fixture(scope="module")
def extract():
    return DemonymExtractor().extract


def test_un_member_list_is_193_iso_codes():
    assert len(UN_MEMBERS) == len(set(UN_MEMBERS)) == 193
    for code in UN_MEMBERS:
        assert pycountry.countries.get(alpha_2=code) is not None, code


def test_table_covers_every_un_member_once():
    codes = [country.code for country in countries()]
    assert len(codes) == len(set(codes))
    assert set(UN_MEMBERS) <= set(codes)
    assert set(codes) - set(UN_MEMBERS) == OBSERVERS_AND_OTHERS
    for code in set(codes) - {"XK"}:
        assert pycountry.countries.get(alpha_2=code) is not None, code


def test_names_agree_with_cldr_where_news_does_not_differ():
    """Every row's canonical name or one of its aliases is CLDR's Arabic name, up to normalization, except where
    the table chose the news name on purpose."""
    cldr = Locale("ar").territories
    chosen = {"MM": "ميانمار (بورما)", "OM": "عُمان (also Amman)", "PS": "الأراضي الفلسطينية (a region)"}
    names = country_names()
    for country in countries():
        if country.code in chosen or country.code not in cldr:
            continue
        assert names.get(key_form(cldr[country.code])) == country.name, country.code


def test_canonical_names_are_news_names():
    names = country_names()
    assert names["سوريا"] == names["سوريه"] == names["الجمهوريه العربيه السوريه"] == "سوريا"
    assert names["امريكا"] == names["اميركا"] == names["الولايات المتحده الامريكيه"] == "الولايات المتحدة"
    assert names["المملكه المتحده"] == "بريطانيا"
    assert names["روسيا"] == "روسيا"
    assert "عمان" not in names  # Amman, or Oman


def test_inflections_of_a_nisba():
    forms = set(inflections("روسي"))
    assert {"روسي", "الروسي", "روسيه", "الروسيه", "الروسيون", "الروسيين", "الروسيان", "الروسيتان", "الروسيات"} <= forms
    assert set(inflections("كوري جنوبي")) >= {"الكوري الجنوبي", "الكوريه الجنوبيه", "كوريون جنوبيون"}
    assert "الجنوب افريقيه" in inflections("جنوب أفريقي")


def test_table_size():
    forms = demonym_forms()
    assert len(countries()) >= 198
    assert len(forms) > 2500
    assert forms["الروس"] == "روسيا"
    assert forms["الاميركيين"] == forms["الامريكي"] == "الولايات المتحدة"


@pytest.mark.parametrize(
    "text, surface, country",
    [
        ("الروسي", "الروسي", "روسيا"),
        ("الروسية", "الروسية", "روسيا"),
        ("روسي", "روسي", "روسيا"),
        ("والروسية", "الروسية", "روسيا"),
        ("للروسية", "لروسية", "روسيا"),
        ("وللروس", "لروس", "روسيا"),
        ("الروس", "الروس", "روسيا"),
        ("بالأمريكيين", "الأمريكيين", "الولايات المتحدة"),
        ("الأميركية", "الأميركية", "الولايات المتحدة"),
        ("الامريكي", "الامريكي", "الولايات المتحدة"),
        ("البريطانيون", "البريطانيون", "بريطانيا"),
        ("المصريتين", "المصريتين", "مصر"),
        ("فالسوريات", "السوريات", "سوريا"),
        ("اليمني", "اليمني", "اليمن"),
        ("المغربي", "المغربي", "المغرب"),
        ("العماني", "العماني", "سلطنة عمان"),
        ("الكورية الجنوبية", "الكورية الجنوبية", "كوريا الجنوبية"),
        ("والكوري الشمالي", "الكوري الشمالي", "كوريا الشمالية"),
        ("الجنوب أفريقي", "الجنوب أفريقي", "جنوب أفريقيا"),
        ("الغينية الاستوائية", "الغينية الاستوائية", "غينيا الاستوائية"),
        ("الغيني", "الغيني", "غينيا"),
        ("الأتراك", "الأتراك", "تركيا"),
    ],
)
def test_forms(extract, text, surface, country):
    found = extract(text)
    assert [(m.surface, m.canonical, m.type) for m in found] == [(surface, country, "LOC")]
    assert text[found[0].start : found[0].end] == surface


@pytest.mark.parametrize(
    "text",
    [
        "العربي",  # not a country
        "الغربي",  # "western", not المغربي
        "يده اليمنى",  # "the right one", not اليمني
        "الجهة اليمنى",
        "مجرى النهر",  # not المجري
        "الوضع المالي",  # "financial", not Mali
        "الآثار الرومانية",  # Roman, not Romanian
        "الشهر القمري",  # lunar, not Comoros
        "المناطق الصحراوية",  # desert
        "تركي الفيصل",  # a given name
        "باللغة الفرنسية",
        "المحيط الهندي",
        "الفول السوداني",
        "الكوري",  # which Korea?
        "الأمريكيتين",  # the Americas
    ],
)
def test_collisions_are_not_demonyms(extract, text):
    assert extract(text) == []


def test_offsets_in_vocalized_and_stretched_text(extract):
    text = "قَالَ وَزِيرُ الخَارِجِيَّةِ الرُّوسِيُّ، وَالأَمْرِيكِيَّةُ و الأمــريكيـــة، ولِلْمِصْرِيِّينَ"
    found = extract(text)
    assert [m.surface for m in found] == ["الرُّوسِيُّ", "الأَمْرِيكِيَّةُ", "الأمــريكيـــة", "لْمِصْرِيِّينَ"]
    assert [m.canonical for m in found] == ["روسيا", "الولايات المتحدة", "الولايات المتحدة", "مصر"]
    for mention in found:
        assert text[mention.start : mention.end] == mention.surface
        assert mention.kind == "demonym"


def test_article_sentence(extract):
    text = "بحث وزير الخارجية الروسي سيرغي لافروف، في اتصال هاتفي مع نظيره الأمريكي جون كيري"
    found = extract(text)
    assert [(m.surface, m.canonical) for m in found] == [("الروسي", "روسيا"), ("الأمريكي", "الولايات المتحدة")]
    assert found == sorted(found, key=lambda m: m.start)


def test_a_form_that_is_also_the_name_is_a_name(extract):
    found = extract("زار السعودية وجيبوتي")
    assert [(m.surface, m.kind, m.canonical) for m in found] == [
        ("السعودية", "name", "السعودية"),
        ("جيبوتي", "name", "جيبوتي"),
    ]
