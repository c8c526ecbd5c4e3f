"""parse_date: one case per written form, and the cases that must not be guessed."""

import pytest

from arshif.dates import names, parse_date, search_date


@pytest.mark.parametrize(
    "text, expected",
    [
        # ISO 8601, with and without time zone, and the compact time of the ANT corpus
        ("2017-01-20", "2017-01-20"),
        ("2017-01-20T21:43:00+01:00", "2017-01-20T21:43:00+01:00"),
        ("2017-01-20T21:43:00Z", "2017-01-20T21:43:00Z"),
        ("2015-07-21 10:05:09", "2015-07-21T10:05:09"),
        ("2017-01-20T214300", "2017-01-20T21:43:00"),
        # dd/mm/yyyy
        ("20/01/2017", "2017-01-20"),
        ("5.3.2016", "2016-03-05"),
        ("20/01/2017 21:43", "2017-01-20T21:43:00"),
        # Levantine month names (hamza and teh marbuta variants match through normalize)
        ("3 كانون الثاني 2016", "2016-01-03"),
        ("14 تشرين الأول 2015", "2015-10-14"),
        ("14 تشرين الاول 2015", "2015-10-14"),
        ("1 آذار 2015", "2015-03-01"),
        ("1 اذار 2015", "2015-03-01"),
        ("9 أيار 2012", "2012-05-09"),
        ("2 آب 2012", "2012-08-02"),
        # Egyptian month names
        ("5 مايو 2015", "2015-05-05"),
        ("5 مايو 2015 م", "2015-05-05"),
        ("12 إبريل 2013", "2013-04-12"),
        ("12 ابريل 2013", "2013-04-12"),
        # Maghrebi month names, with and without a weekday
        ("الخميس 26 جويلية 2012", "2012-07-26"),
        ("26 جويلية 2012", "2012-07-26"),
        ("يوم الإثنين 16 جويلية 2012", "2012-07-16"),
        ("الاثنين 16 جويليه 2012", "2012-07-16"),
        ("3 فيفري 2014", "2014-02-03"),
        ("15 أوت 2016", "2016-08-15"),
        ("الأربعاء، 1 أكتوبر 2014", "2014-10-01"),
        # Moroccan names
        ("09 غشت 2008", "2008-08-09"),
        # Arabic-Indic digits, tashkeel and tatweel
        ("٢٦ جويلية ٢٠١٢", "2012-07-26"),
        ("٢٠/٠١/٢٠١٧", "2017-01-20"),
        ("٢٦ تَمُّوز ٢٠١٢", "2012-07-26"),
        # the double form "تموز/يوليو", and a time after the date
        ("26 تموز/يوليو 2012", "2012-07-26"),
        ("26 تموز (يوليو) 2012", "2012-07-26"),
        ("الثلاثاء 24 جويلية 2012 الساعة 09:48:43", "2012-07-24T09:48:43"),
        # Hijri
        ("15 رمضان 1436 هـ", "2015-07-02"),
        ("15 رمضان 1436هـ", "2015-07-02"),
        ("١٥ رمضان ١٤٣٦ هـ", "2015-07-02"),
        ("1 ربيع الأول 1437", "2015-12-12"),
        ("12 جمادى الآخرة 1435 هـ", "2014-04-12"),
        ("10 ذو الحجة 1436", "2015-09-23"),
        ("الخميس 15 رمضان 1436 هـ الموافق 2 يوليو 2015 م", "2015-07-02"),
    ],
)
def test_reads(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "أمس",
        "جويلية 2012",  # a month, not a day
        "30 شباط 2016",  # no such day
        "2017-02-30",
        "13/13/2016",
        "7/23/2012",  # month/day order: not read as dd/mm
        "الجمعة 26 جويلية 2012",  # 26 July 2012 was a Thursday
        "26 تموز/أغسطس 2012",  # two month names that disagree
        "5 مايو 2015 هـ",  # a Hijri year marker on a Gregorian month
        "15 رمضان 2015",  # a Hijri month with a Gregorian year
        "2017-01-20T25:00:00",
        "26 جويلية 2012 وأشياء أخرى",  # trailing words: not a date alone
    ],
)
def test_unreadable_returns_none(text):
    assert parse_date(text) is None


def test_search_date_in_a_dateline():
    assert search_date("الصباح    تونس في يوم   الإثنين 16 جويلية 2012") == "2012-07-16"
    assert search_date("بين 3 جوان 2012 و 5 جوان 2012") is None  # two dates: which one?
    assert search_date("لا تاريخ هنا") is None


def test_month_table_is_consistent():
    table = names()
    assert set(table["gregorian"].values()) == set(range(1, 13))
    assert set(table["hijri"].values()) == set(range(1, 13))
    assert set(table["weekday"].values()) == set(range(7))
