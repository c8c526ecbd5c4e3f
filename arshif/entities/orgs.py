"""Organizations: known names (``data/organizations.tsv``) and names opened by a head noun (``data/org_heads.tsv``).

* Known names and acronyms match anywhere (الأمم المتحدة, واس, فيفا, حزب الله); names that are also common words
  or places (النهضة, القاعدة, الشرق الأوسط) only right after a head noun (حركة النهضة, تنظيم القاعدة, صحيفة الشرق
  الأوسط). A known name gives its canonical form, so ``فيفا`` and ``الفيفا`` are one entity.
* A head noun followed by a complement is an organization: definite words and ``لل`` genitives (وزارة الخارجية
  الأمريكية, الاتحاد الدولي لكرة القدم, وكالة الأنباء الفرنسية), places and demonyms (جامعة القاهرة, وكالة تونس
  افريقيا للأنباء, بورصة تونس), and a person's name after a royal title (جامعة الملك سعود). The place inside is part
  of the organization's name, not a place mention of its own.
* A radio station written ``X أف أم`` (الجوهرة أف أم, شمس "اف ام") is one organization, with or without ال and quotes.

The tagger supplies the rest: a head noun right before a name it tagged makes that name an organization
(``extend_with_heads``: حركة حماس, نادي برشلونة, شركة سابك). Before a proper name, the head noun stays outside
the span, as the NER corpora write it (حركة [حماس]); a listed name still gets its canonical form (حركة حماس).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Sequence

from ..text.clitics import ARTICLE_FORMS, all_readings, name_readings, zipf
from ..text.normalize import normalize
from ..text.stem import FUNCTION_WORDS, FUNCTION_WORDS_2
from ..text.tokenize import QUOTE_PAIRS, Token, normalized_tokens, skip_normalized, token_before, tokens
from .works import is_work_noun
from .extractor import Mention, scan_at
from .gazetteer import calendar_words, given_names

#: Characters allowed between the words of one name besides spaces (quotes around a part: الجوهرة "أف أم").
_JOINERS = set(" \t\"'«»“”‘’")
MAX_WORDS = 7

#: Masculine ordinals, which end a team's name (فريق الاتحاد [الأول]) and which a channel's may hold.
_MASCULINE_ORDINALS = "الأول الثاني الثالث"
#: Definite words that end a name rather than continue it (time words, relatives, generic adjectives).
_STOP_COMPLEMENTS = frozenset(
    normalize(word)
    for word in (
        "اليوم الأمس أمس الماضي الماضية المقبل المقبلة الحالي الحالية الجاري الجارية الأخير الأخيرة الأخيرين "
        "المعني المعنية المعنيين المذكور المذكورة المختص المختصة المختصين الذي التي الذين اللذين اللتين اللاتي "
        "الآن الان الثلاثاء الأربعاء الخميس الجمعة السبت الأحد الاثنين الإثنين صباح مساء الأولى الثانية "
        "نفسه نفسها ذاته ذاتها كلها جميعها بعض الكثير الكبير الكبيرة الأكبر الجديد الجديدة الواحد الإدارة "
        "العاصمة السابق السابقة الأسبق التدريس المسؤول المسؤولة المسؤولين المكلف المكلفة المشتركة المشترك "
        # titles and ranks that open a person's name after an organization (باسم وزارة الدفاع الوطني المقدم ...)
        "المقدم العقيد العميد اللواء الرائد النقيب الدكتور السيد السيدة الأستاذ الشيخ المهندس الوزير الرئيس "
        "اللاعب اللاعبين المدرب الليلة البارحة البروفيسور الدكتورة التالي التالية المديرة المتعهدة المشرفة "
        "التابع التابعة التابعين القادم القادمة "
        # times of a match or a season that a participle's pattern would let in (الإتحاد المنستيري الساعة الرابعة)
        "الساعة الدقيقة الموسم المباراة للمرة لمدة الصادر الصادرة "
        # a team's rank, its placing, and demonstratives (فريق الاتحاد [الأول], المنتخب السعودي [المركز الثاني],
        # مهرجان [هذا العام])
        f"{_MASCULINE_ORDINALS} المركز المرتبة الجولة الشوط هذا هذه ذلك تلك هذين هاتين هؤلاء أولئك "
        # a list after a body (الهيئة الوطنية لمكافحة الفساد [القائمة] الجديدة), a meeting held, a club's league
        # (أولمبيك ليون [المنتمي] لدوري الدرجة الأولى)
        "القائمة المنعقدة المنعقد المنتمي المنتمية المنتسب المنتسبة"
    ).split()
)
#: Ranks that an ordinal completes inside a name (دوري الدرجة الأولى, بطولة الفئة الثانية), normalized.
_RANKS = frozenset(normalize(w) for w in "الدرجة الفئة المحترفة".split())  # (الرابطة المحترفة الأولى)
_ORDINALS = frozenset(normalize(w) for w in "الأولى الثانية الثالثة الرابعة الممتازة".split())
#: Nouns after a head that make a generic body, not a name (مجلس إدارة الشركة, لجنة متابعة الملف).
_GENERIC_COMPLEMENTS = frozenset(normalize(w) for w in "إدارة ادارة متابعة تسيير".split())
#: Nouns after وكالة that the agency's name follows (وكالة أنباء الأناضول), normalized.
_NEWS_NOUNS = frozenset(normalize(w) for w in "أنباء".split())
#: Institutions that a ministry's name does not coordinate with (وزارة الداخلية والسفارة are two).
_INSTITUTIONS = frozenset(normalize(w) for w in "السفارة الحكومة الجيش الشرطة القوات الأمن الرئاسة الجهات المصالح "
                          "الإدارة الأجهزة السلطات".split())
#: Heads whose names coordinate nouns with و (وزارة الشباب والرياضة, الهيئة السعودية للمواصفات والمقاييس والجودة).
_COORDINATING = frozenset(normalize(w) for w in "وزارة هيئة مؤسسة معهد مركز كلية منظمة جمعية مدينة جامعة حزب".split())

#: Titles after which a person's name is part of an institution's name (جامعة الملك سعود, مستشفى الملك فيصل).
_ROYAL = frozenset(normalize(word) for word in "الملك الأمير الشيخ الإمام السلطان".split())
_FUNCTION_WORDS = FUNCTION_WORDS | FUNCTION_WORDS_2
_CLITIC_ARTICLE = tuple(form for form in ARTICLE_FORMS if form != "ال")
_NAME_JOIN = frozenset(normalize(word) for word in "بن بنت آل عبد أبو".split())

#: Adjectives of courts and regional bodies, which a town after ب completes (المحكمة الابتدائية بسوسة), normalized.
_REGIONAL = frozenset(normalize(w) for w in "الابتدائية الجهوية الجهوي الاستئنافية الإقليمية الإقليمي "
                      "الاستئناف".split())
#: Adjectives of bodies above one nation, which open a name as a country's adjective does (المنظمة العربية
#: للتربية والثقافة والعلوم, الشركة العربية للاستثمار), normalized.
_SUPRANATIONAL = frozenset(normalize(w) for w in "العربية العربي الإسلامية الإسلامي الخليجية الخليجي الإفريقية "
                           "الإفريقي الأفريقية الأفريقي الأوروبية الأوروبي الدولية الدولي العالمية العالمي".split())
#: The adjective that makes a town's name its sports club (جندوبة الرياضية), normalized.
_SPORTING = frozenset(normalize(w) for w in "الرياضي الرياضية".split())
_FM = (frozenset(normalize(w) for w in "اف أف إف".split()), frozenset(normalize(w) for w in "ام أم".split()))


#: Institutions named after people (مستشفى فرحات حشاد, المعهد الثانوي ...), normalized: after one of them a
#: tagger's person is the institution's name, the noun included (``extend_with_heads``).
INSTITUTIONS_NAMED_AFTER_PEOPLE = frozenset(normalize(w) for w in "مستشفى معهد مدرسة جامعة كلية مجمع".split())


@dataclass(frozen=True)
class Head:
    with_article: bool
    takes_name: bool
    type: str = "ORG"


#: مدينة before a king's name opens an institution's name when a purpose or one of these adjectives follows.
_CITY = normalize("مدينة")
_CITY_HEAD = Head(with_article=False, takes_name=True, type="ORG")
_INSTITUTION_ADJECTIVES = frozenset(normalize(w) for w in "الطبية الجامعية التعليمية".split())


def _data(name: str) -> list[list[str]]:
    text = resources.files("arshif.entities").joinpath(f"data/{name}").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _key(text: str) -> str:
    return " ".join(normalize(text).split())


@lru_cache(maxsize=1)
def heads() -> dict[str, Head]:
    """Normalized head noun (with ال where allowed) → what may follow it."""
    table: dict[str, Head] = {}
    for head, with_article, takes_name, type_ in _data("org_heads.tsv"):
        entry = Head(with_article == "yes", takes_name == "yes", type_)
        table[_key(head)] = entry
        if entry.with_article:
            table["ال" + _key(head)] = entry
    return table


@lru_cache(maxsize=1)
def known() -> tuple[dict[str, str], dict[str, str]]:
    """(names that match anywhere, names that need a head noun before them): normalized name → canonical."""
    anywhere: dict[str, str] = {}
    after_head: dict[str, str] = {}
    for row in _data("organizations.tsv"):
        canonical, others, head_only = (row + ["", ""])[:3]
        needs_head = {_key(n) for n in head_only.split("|") if n.strip()}
        for name in [canonical, *others.split("|"), *head_only.split("|")]:
            if not name.strip():
                continue
            key = _key(name)
            (after_head if key in needs_head else anywhere)[key] = canonical
    return anywhere, after_head


@lru_cache(maxsize=1)
def _publishers() -> dict[str, str]:
    return {name.strip().casefold(): canonical.strip() for name, canonical in _data("sources.tsv")}


def publisher(source: str) -> str | None:
    """The canonical name of the organization that publishes a source (``data/sources.tsv``, by the name the
    readers give the source, case-insensitively; or the source's own name, when it is a listed organization)."""
    canonical = _publishers().get(source.strip().casefold())
    if canonical:
        return canonical
    anywhere, after_head = known()
    key = _key(source)
    return anywhere.get(key) or after_head.get(key)


def names_of(canonical: str) -> frozenset[str]:
    """Every normalized name listed for an organization (its canonical name, other names, head-only names)."""
    anywhere, after_head = known()
    return frozenset(name for table in (anywhere, after_head) for name, value in table.items() if value == canonical)


#: Heads that describe what the name is (a team, a paper, a channel, a company) without being part of it: the
#: span is the name alone, as the NER corpora write it (فريق [الجزيرة], صحيفة [الشرق الأوسط]).
_DESCRIPTORS = frozenset(
    normalize(w) for w in "فريق نادي منتخب صحيفة جريدة مجلة قناة إذاعة راديو تلفزيون شركة".split()
)

def after_a_descriptor(text: str, mention: Mention) -> bool:
    """Whether the word right before a mention (blanks or an opening quote between) is a descriptor head: صحيفة
    [آس], قناة "[سي]": the name of a paper or a channel, however short."""
    before = token_before(text, mention.start, "".join(QUOTE_PAIRS))
    return before is not None and any(
        head_word_of(rest) in _DESCRIPTORS for _, rest in all_readings(normalize(before.text)))


#: Heads that an ل phrase names even without the article (وزارة للشؤون الإسلامية, مجلس للكانتونات).
_NAMED_BY_PURPOSE = frozenset(normalize(w) for w in "وزارة مجلس".split())

#: Press heads: the corpora leave them outside the name even before a place (صحيفة [القدس]).
_PRESS = frozenset(normalize(w) for w in "صحيفة جريدة مجلة".split())
_TEAM = normalize("فريق")
_COMPANY = normalize("شركة")
#: A word this common after فريق is what the team does (فريق العمل), not a club's name (zipf; الاتحاد, 5.6, is a club).
_COMMON_NAME = 5.7

#: Heads that are also common nouns (حركة: movement, traffic): a definite complement names an organization only
#: with a nisba adjective in it (حركة الجهاد الإسلامي, قيادة القوات البرية الملكية).
_NEEDS_ADJECTIVE = frozenset(normalize(w) for w in "حركة جماعة قيادة".split())
#: Heads whose definite complement is no name unless it is listed (تنظيم الحملات الترويجية: organizing campaigns;
#: تنظيم القاعدة is in organizations.tsv); a tagger's name after them still is one (تنظيم جند الأقصى).
_LISTED_COMPLEMENT_ONLY = frozenset(normalize(w) for w in "تنظيم".split())

#: Definite adjectives that name an institution after a definite head (المجلس الأعلى, الهيئة العليا).
_ELATIVES = frozenset(normalize(w) for w in "الأعلى العليا الأكبر الكبرى الأول الأولى".split())
#: Adjectives of institutions' names that are neither nisba, participle nor elative (الهيئة العامة, النيابة العامة).
_PLAIN_ADJECTIVES = frozenset(normalize(w) for w in "العام العامة الخاص الخاصة الدائم الدائمة الحر الحرة".split())


def head_word_of(normalized: str) -> str:
    """A head noun token without its proclitic and article (والوزارة → وزاره)."""
    headed = head_at(normalized)
    if not headed:
        return normalized
    word = normalized[len(headed[0]):]
    return word[2:] if word.startswith("ال") and word[2:] in heads() else word


#: فاعل and فاعلة with the article (الطائرة, الشامل): active participles, adjectives as often as not.
_ACTIVE_PARTICIPLE = re.compile(r"ال[^\W\d_]ا[^\W\d_]{2}ه?")


def _adjective_like(word: str) -> bool:
    """A definite word that reads as an adjective: a nisba (الأوروبي, الوطنية), a participle (المتحدة,
    المستقلة) or an elative (الأعلى); verbal nouns (الرد, الاستماع, التخطيط) are not."""
    return (word.endswith(("ي", "يه")) or word.startswith("الم") or word in _ELATIVES or word in _PLAIN_ADJECTIVES
            or _ACTIVE_PARTICIPLE.fullmatch(word) is not None)


def _agrees(adjective: str, head: str) -> bool:
    """Whether a definite adjective can qualify a head noun in gender: feminine (ة, or a plural in ات) with
    feminine. Elatives (الأعلى, العليا) are left alone."""
    if adjective in _ELATIVES:
        return True
    return adjective.endswith("ه") == head.endswith(("ه", "ات"))


@lru_cache(maxsize=100_000)
def head_at(normalized: str) -> tuple[str, Head] | None:
    """The head noun a normalized token is (proclitics allowed: ووزارة, بالاتحاد, لحركة), with its proclitic."""
    table = heads()
    if normalized[-3:] not in _HEAD_ENDINGS():
        return None
    for clitic, rest in all_readings(normalized):
        if rest in table:
            return clitic, table[rest]
    return None


@lru_cache(maxsize=1)
def _HEAD_ENDINGS() -> frozenset[str]:  # noqa: N802 - a cached constant
    """Last three letters of every head noun: most tokens end otherwise and need no clitic readings."""
    return frozenset(head[-3:] for head in heads())


class OrgExtractor:
    """Known organizations, head-noun patterns and radio stations, most specific first."""

    name = "orgs"

    def __init__(self) -> None:
        from .demonyms import demonym_forms
        from .gazetteer import places

        self.anywhere, self.after_head = known()
        #: first words of the listed radio stations (جوهره, الجوهره, موزاييك)
        self._stations = frozenset(name.split(" ", 1)[0] for name in self.anywhere if name.endswith(" اف ام"))
        self.places = places()
        self.demonyms = demonym_forms()
        every = [*self.anywhere, *self.after_head]
        self.max_words = max((key.count(" ") + 1 for key in every), default=1)
        self.first_words = {key.split(" ", 1)[0] for key in every}
        self._start_cache: dict[str, tuple[tuple[str, str], ...]] = {}
        self._inert_cache: dict[str, bool] = {}

    # -- helpers ----------------------------------------------------------------------------------------------
    def _starts(self, word: str) -> tuple[tuple[str, str], ...]:
        """The readings of a token that start a listed name (cached: most tokens have none)."""
        found = self._start_cache.get(word)
        if found is None:
            found = tuple((c, rest) for c, rest in all_readings(word) if rest in self.first_words)
            if len(self._start_cache) < 100_000:
                self._start_cache[word] = found
        return found

    def _joined(self, text: str, toks: Sequence[Token], index: int) -> bool:
        """Whether token ``index`` and the next one are parts of one phrase (only spaces or quotes between)."""
        return index + 1 < len(toks) and set(text[toks[index].end : toks[index + 1].start]) <= _JOINERS

    def _known_at(self, text: str, toks, norms, index: int, table: dict[str, str]) -> tuple[str, int, str] | None:
        """(proclitic, width, canonical) of the longest known name starting at ``index``."""
        for clitic, head in self._starts(norms[index]):
            words = [head]
            best = None
            if head in table:
                best = (clitic, 1, table[head])
            for width in range(2, min(self.max_words, len(toks) - index) + 1):
                if not self._joined(text, toks, index + width - 2):
                    break
                words.append(norms[index + width - 1])
                found = table.get(" ".join(words))
                if found:
                    best = (clitic, width, found)
            if best:
                return best
        return None

    def _complement(self, text: str, toks, norms, start: int, head: Head) -> int:
        """How many tokens after a head noun belong to the organization's name (0: none)."""
        head_has_article = norms[start - 1].startswith(("ال", "وال", "فال", "بال", "لل", "كال"))
        count = 0
        index = start
        royal = False
        royal_words = 0
        # after a definite head (البنك المركزي) or a complement with ل (للكهرباء, لكرة القدم) only adjectives go on
        adjectives_only = head_has_article
        after_news = False
        # a channel's, a paper's or a team's name is one word or a listed name, then adjectives (قناة التاسعة, not
        # قناة التاسعة المرتبة الثالثة)
        head_word = head_word_of(norms[start - 1])
        descriptor = head_word in _DESCRIPTORS
        # the adjectives after a definite head qualify it, in its gender, until a complement comes (اللجنة
        # التنفيذية [المتحدث الرسمي]: a man's title follows the committee)
        qualifying = head_has_article
        coordinated = False  # after وزارة الشباب والرياضة only another و + noun, or an adjective, goes on
        after_place = False  # the last word taken is a place's name (جامعة جنيف)
        while index < len(toks) and count < MAX_WORDS - 1 and self._joined(text, toks, index - 1):
            word = norms[index]
            ranked = word in _ORDINALS and norms[index - 1] in _RANKS  # دوري الدرجة الأولى: the division's rank
            if (word in _STOP_COMPLEMENTS and not ranked) or word in calendar_words() or not word.isalpha():
                break
            if coordinated and not word.startswith("وال") and word != "و" and not (
                    word.startswith("ال") and _adjective_like(word)):
                break  # وزارة الدفاع والحلفاء [الإقليميين للولايات المتحدة]; but والتراث الوطني
            bare = word
            for form in ARTICLE_FORMS:
                if word.startswith(form) and len(word) - len(form) >= 2:
                    bare = word[len(form) - 2:] if form.endswith("ال") else "ال" + word[len(form):]
                    break
            definite = bare.startswith("ال") and word.startswith(("ال", "لل")) and len(word) > 3
            place = word in self.places or (definite and word in self.demonyms) or any(
                rest in self.places for clitic, rest in name_readings(word) if clitic == "")
            if royal and word.startswith(_CLITIC_ARTICLE) and not word.startswith("لل"):
                break  # جامعة الملك سعود بالرياض: the place after it is not part of the name (but مركز الملك
                # سلمان للإغاثة: its purpose is)
            if royal and (word in _NAME_JOIN or not definite) and not place and word not in _FUNCTION_WORDS \
                    and (word in _NAME_JOIN or len(name_readings(word)) == 1) and royal_words < 3:
                royal_words += 1
                count += 1  # جامعة الملك عبد العزيز: the name after the title
                index += 1
                continue
            if (count == 0 and not definite and not place and not head_has_article and not descriptor
                    and word not in _FUNCTION_WORDS
                    and word not in _GENERIC_COMPLEMENTS and word not in _NEWS_NOUNS and len(word) >= 3
                    and not (word.endswith(("يه", "ي")) and not word.endswith("يي"))  # محكمة إسرائيلية: an adjective
                    and not word.endswith(("ها", "هم", "هما", "هن"))  # محكمة تدعمها الأمم المتحدة: a verb
                    and not (word[:1] in "يت" and word.endswith("ه"))  # صندوق تؤسسه المصارف
                    and head_word not in _NEEDS_ADJECTIVE  # قيادة تدريبات الفريق
                    and len(name_readings(word)) == 1 and index + 1 < len(toks) and self._joined(text, toks, index)
                    and (norms[index + 1].startswith("ال") and len(norms[index + 1]) > 3
                         and not norms[index + 1].endswith(("ي", "يه"))  # جامعة هارفارد الأمريكية: an adjective
                         or norms[index + 1] in self.places)
                    and norms[index + 1] not in _STOP_COMPLEMENTS):
                count += 2  # اتحاد عمال تونس, هيئة كبار العلماء, نقابة صحفيي تونس: a noun and its complement
                index += 2
                adjectives_only = True
                continue
            if count == 0 and word in _NEWS_NOUNS and index + 1 < len(toks) and self._joined(text, toks, index):
                count += 1  # وكالة أنباء الأناضول, وكالة أنباء "فارس": the name comes after أنباء
                index += 1
                after_news = True
                continue
            if after_news and count == 1 and word.isalpha() and word not in _FUNCTION_WORDS:
                count += 1  # the agency's name, definite or not (وكالة أنباء فارس)
                index += 1
                continue
            if count == 0 and word.startswith("لل") and not head_has_article \
                    and head_word not in _NAMED_BY_PURPOSE:
                break  # لجنة للتحقيق: a committee to investigate, no name (but وزارة للشؤون الإسلامية)
            if definite and count == 0 and head_has_article and not place and (
                    not _adjective_like(bare) or not _agrees(bare, head_word)):
                # الوكالة الرد, المحكمة الخاصة الاستماع: after a definite head only an adjective names it, one of
                # the head's gender (البنك المركزي, not البنك الرأسمالية: that adjective belongs to another noun)
                break
            if (definite and count and adjectives_only and word.startswith("ال") and not place
                    and not _adjective_like(bare)):
                break  # الشركة السعودية للكهرباء [التيار], المحكمة الخاصة [الاستماع]: a noun starts another phrase
            if (definite and count and qualifying and word.startswith("ال") and not place
                    and not _agrees(bare, head_word)):
                break
            if after_place and word in self.demonyms:
                break  # جامعة جنيف [السويسرية]: the country's adjective describes the place's institution
            if definite or place:
                after_place = place and not definite
                royal = word in _ROYAL
                qualifying = qualifying and not word.startswith("لل")
                adjectives_only = adjectives_only or word.startswith("لل") or (descriptor and not royal)
                count += 1
                index += 1
                continue
            # و + a definite noun after a ministry's or an institute's complement: وزارة الشباب والرياضة, also with
            # the و written apart (وزارة الشباب و الرياضة)
            detached = word == "و" and index + 1 < len(toks) and self._joined(text, toks, index) and not (
                index + 2 < len(toks) and norms[index + 2] in _NOT_COORDINATED_BEFORE)
            conjoined = "و" + norms[index + 1] if detached else word
            if (count and conjoined.startswith("وال") and len(conjoined) > 5 and head_word in _COORDINATING
                    and conjoined[1:] not in _STOP_COMPLEMENTS and conjoined[1:] not in _INSTITUTIONS
                    and conjoined[1:] not in self.places
                    and head_at(conjoined[1:]) is None and definite_head(conjoined[1:]) is None):
                count += 2 if detached else 1
                index += 2 if detached else 1
                coordinated = True
                continue
            # ل + word before a definite word: الاتحاد الدولي لكرة القدم, المفوضية السامية لحقوق الانسان
            if (word.startswith("ل") and len(word) > 3 and word not in _FUNCTION_WORDS
                    and word[1:] not in _FUNCTION_WORDS and word not in given_names()  # لمياء الدريدي: a person
                    and index + 1 < len(toks) and count
                    and norms[index + 1].startswith("ال") and self._joined(text, toks, index)):
                adjectives_only = True
                qualifying = False
                count += 2
                index += 2
                continue
            break
        after = start + count
        if (count and not _REGIONAL.isdisjoint(norms[start:after]) and after < len(toks)
                and self._joined(text, toks, after - 1) and norms[after][:1] == "ب"
                and norms[after][1:] in self.places):
            count += 1  # المحكمة الابتدائية بسوسة, الإدارة الجهوية للصحة بنابل: a regional body is named by its town
        while count and norms[start + count - 1] in _ROYAL:  # a title alone ends nothing
            count -= 1
        if after_news and count < 2:
            return 0  # وكالة أنباء alone: no name
        if head_word in _LISTED_COMPLEMENT_ONLY:
            return 0
        if count and head_word in _NEEDS_ADJECTIVE:
            words = norms[start : start + count]
            if not any(_adjective_like(w) and w.endswith(("ي", "يه")) for w in words):
                return 0  # حركة المرور, حركة الأساتذة are no movements; حركة الجهاد الإسلامي is one
        return count

    def _place_at(self, word: str) -> bool:
        """A normalized token is a place name (a proclitic allowed: لفرنسا)."""
        return any(rest in self.places for _, rest in name_readings(word))

    def _radio(self, text: str, toks, norms, index: int) -> int:
        """Width of ``NAME اف ام`` starting at ``index`` (0: none)."""
        if (index + 2 < len(toks) and self._joined(text, toks, index) and self._joined(text, toks, index + 1)
                and norms[index + 1] in _FM[0] and norms[index + 2] in _FM[1] and norms[index].isalpha()):
            return 3
        return 0

    def _mention(self, text: str, first: Token, clitic: str, end: int, canonical: str | None,
                 type_: str = "ORG") -> Mention:
        start = first.start + (skip_normalized(first.text, len(clitic)) if clitic else 0)
        end = _with_its_closing_quote(text, start, end)
        if canonical is None and clitic.endswith("لل"):  # للهيئة الوطنية: the name is الهيئة الوطنية
            canonical = "ال" + text[start:end]
        return Mention(start, end, text[start:end], type_, canonical=canonical)

    # -- the Extractor interface ------------------------------------------------------------------------------
    def _inert(self, word: str) -> bool:
        """Whether a token opens nothing: no known name starts at it and it is no head noun (cached)."""
        inert = self._inert_cache.get(word)
        if inert is None:
            inert = not self._starts(word) and head_at(word) is None and definite_head(word) is None
            if len(self._inert_cache) < 200_000:
                self._inert_cache[word] = inert
        return inert

    def extract(self, text: str) -> list[Mention]:
        toks, norms = normalized_tokens(text)
        # _match finds nothing at an inert token that is not the name before a radio's اف ام: try the others only
        # (a new kind of match in _match must open at a token these let through: tests/test_extract_fast_paths.py)
        cache, inert = self._inert_cache, self._inert
        candidates = [i for i, word in enumerate(norms) if not (cache[word] if word in cache else inert(word))]
        if not _FM[0].isdisjoint(norms):
            radios = [i - 1 for i, word in enumerate(norms) if i and word in _FM[0]]
            candidates = sorted(set(candidates).union(radios))
        if not _SPORTING.isdisjoint(norms):
            clubs = [i - 1 for i, word in enumerate(norms) if i and word in _SPORTING]
            candidates = sorted(set(candidates).union(clubs))
        if not _ROYAL.isdisjoint(norms):
            royal_cities = [i - 1 for i, word in enumerate(norms) if i and word in _ROYAL]
            candidates = sorted(set(candidates).union(royal_cities))
        return [mention for _, mention, _ in scan_at(candidates, lambda i: self._match(text, toks, norms, i))]

    def _club(self, text: str, toks, norms, index: int) -> tuple[Mention, int] | None:
        """A town followed by الرياضي or الرياضية is its sports club (جندوبة الرياضية, الملعب القابسي is not one)."""
        if index + 1 >= len(toks) or norms[index + 1] not in _SPORTING or not self._joined(text, toks, index):
            return None
        for clitic, rest in name_readings(norms[index]):
            if rest in self.places and not rest.startswith("ال"):
                return self._mention(text, toks[index], clitic, toks[index + 1].end, None), 2
        return None

    def _royal_city(self, text: str, toks, norms, index: int) -> tuple[Mention, int] | None:
        """مدينة + a king's or a prince's name + a purpose with ل or a medical or university adjective: an
        institution (مدينة الملك عبدالعزيز للعلوم والتقنية, مدينة الملك فهد الطبية); without one it is a place
        or a project (مدينة الملك عبدالله الاقتصادية)."""
        if index + 3 >= len(toks) or norms[index + 1] not in _ROYAL or not self._joined(text, toks, index):
            return None
        clitic = next((c for c, rest in all_readings(norms[index]) if rest == _CITY and not c.endswith("ال")), None)
        if clitic is None:
            return None
        width = self._complement(text, toks, norms, index + 1, _CITY_HEAD)
        words = norms[index + 1 : index + 1 + width]
        if not any(word.startswith("لل") or word in _INSTITUTION_ADJECTIVES for word in words[2:]):
            return None
        return self._mention(text, toks[index], clitic, toks[index + width].end, None), width + 1

    def _match(self, text: str, toks, norms, index: int) -> tuple[Mention, int] | None:
        club = self._club(text, toks, norms, index)
        if club:
            return club
        royal_city = self._royal_city(text, toks, norms, index)
        if royal_city:
            return royal_city
        radio = self._radio(text, toks, norms, index)
        if radio:
            readings = name_readings(norms[index])[1:]
            clitic, station = next(  # لجوهرة أف أم: ل + a listed station; للجوهرة: ل + الجوهرة
                ((c, rest) for c, rest in readings if rest in self._stations and norms[index] not in self._stations),
                next(((c, rest) for c, rest in readings if rest.startswith("ال")), ("", norms[index])))
            mention = self._mention(text, toks[index], clitic, toks[index + 2].end, None)
            first = toks[index].text[mention.start - toks[index].start:]
            if station.startswith("ال"):
                first = first[skip_normalized(first, 2 if norms[index][len(clitic):].startswith("ال") else 1):]
            canonical = " ".join([first, toks[index + 1].text, toks[index + 2].text])
            return replace(mention, canonical=canonical), 3
        hit = self._known_at(text, toks, norms, index, self.anywhere)
        if not hit and index and norms[index - 1] == "ل" and self._joined(text, toks, index - 1):
            # قال لـ«الشرق الأوسط», صرح لـ"الوطن": a detached لـ before a paper's quoted name, or before its longer
            # name, is speaking to the paper
            said_to = self._known_at(text, toks, norms, index, self.after_head)
            quoted = not set(text[toks[index - 1].end : toks[index].start]) <= {" ", "\t"}
            if said_to and said_to[0] == "" and (quoted or said_to[1] > 1):
                return self._mention(text, toks[index], "", toks[index + said_to[1] - 1].end, said_to[2]), said_to[1]
        headed = head_at(norms[index])
        if headed and (_led_by(norms, index, headed[0]) or _starring(norms, index, headed[0])):
            headed = None  # بقيادة المملكة العربية السعودية: led by; بطولة الفيلم: starring in the film
        if headed and index + 1 < len(toks) and self._joined(text, toks, index):
            clitic, head = headed
            if (norms[index + 1] in _NEWS_NOUNS and index + 2 < len(toks) and self._joined(text, toks, index + 1)):
                agency = self._known_at(text, toks, norms, index + 2, {**self.after_head, **self.anywhere})
                if agency and agency[0] == "" and (not hit or agency[1] + 2 > hit[1]):
                    # وكالة أنباء "إرنا": the listed agency, named in full (a listed longer name wins: وكالة أنباء
                    # الشرق الأوسط is not صحيفة الشرق الأوسط)
                    end = toks[index + 1 + agency[1]].end
                    return self._mention(text, toks[index], clitic, end, agency[2], head.type), agency[1] + 2
            after = self._known_at(text, toks, norms, index + 1, {**self.after_head, **self.anywhere})
            opening = _key(after[2].split(" ", 1)[0]) if after and " " in after[2] else ""
            if opening and opening not in norms[index] and (
                    head_at(opening) or _key(norms[index][len(clitic):]) not in _DESCRIPTORS):
                # فريق النهضة is not حركة النهضة: a head-only name needs its own head noun; after a descriptor a
                # listed name is that name (فريق [باريس سان جيرمان]), after another head the head's own complement
                # is the name (جمعية الهلال الأحمر الفلسطيني)
                after = None
            definite_head = norms[index][len(clitic):].startswith("ال") or clitic.endswith("لل")
            head_key = _key(norms[index][len(clitic):])
            with_purpose = bool(after) and index + 1 + after[1] < len(toks) and (
                norms[index + 1 + after[1]].startswith("ل")) and (head_key not in _DESCRIPTORS or head_key == _COMPANY)
            width = self._complement(text, toks, norms, index + 1, head)
            if after and after[0] == "" and (definite_head or with_purpose) and width > after[1]:
                # البنك [الأهلي] التجاري: after a definite head, a longer complement is the name; so is one with
                # a ل complement after a head that is no team's, paper's or channel's (شركة العربية للطيران is no
                # channel العربية; فريق برشلونة للخسارة is Barcelona)
                after = None
            if after and after[0] == "":
                end = toks[index + after[1]].end
                if not hit or after[1] + 1 > hit[1]:
                    # the head noun stays outside the span (حركة [النهضة]), the name is the listed one
                    return self._mention(text, toks[index + 1], "", end, after[2], head.type), after[1] + 1
            if width and " ".join([norms[index][len(clitic):], *norms[index + 1:index + width + 1]]) in self.places:
                width = 0  # الاتحاد الروسي, دولة الإمارات العربية: a country's name, for the gazetteer
            if (width == 1 and _key(norms[index][len(clitic):]) == _TEAM and zipf(norms[index + 1]) >= _COMMON_NAME
                    and not self._place_at(norms[index + 1])):
                width = 0  # فريق العمل: a working team, no club
            if width and not hit:
                descriptor = _key(norms[index][len(clitic):])
                if descriptor in _DESCRIPTORS and (descriptor in _PRESS or not self._place_at(norms[index + 1])):
                    # فريق [الجزيرة], صحيفة [القدس]; but [منتخب فرنسا], [تلفزيون دبي]: a team or a channel named
                    # after a place keeps its head, as the NER corpora write them
                    return (self._mention(text, toks[index + 1], "", toks[index + width].end, None, head.type),
                            width + 1)
                return (self._mention(text, toks[index], clitic, toks[index + width].end, None, head.type),
                        width + 1)
        if hit:
            clitic, width, canonical = hit
            return self._mention(text, toks[index], clitic, toks[index + width - 1].end, canonical), width
        return self._national_body(text, toks, norms, index)

    def _national_body(self, text: str, toks, norms, index: int) -> tuple[Mention, int] | None:
        """A head that names nothing alone with the article (الجامعة, الشركة), then a country's adjective of its
        gender and a complement with ل: a national body (الجامعة التونسية لكرة القدم, الشركة السعودية للكهرباء);
        without that complement it is a description (الشركة السعودية, the Saudi company)."""
        found = definite_head(norms[index])
        if not found or index + 2 >= len(toks) or not self._joined(text, toks, index):
            return None
        form, head = found
        adjective = norms[index + 1]
        if ((adjective not in self.demonyms and adjective not in _SUPRANATIONAL) or not adjective.startswith("ال")
                or not _agrees(adjective, norms[index][len(form):])):
            return None
        width = self._complement(text, toks, norms, index + 1, head)
        if width < 2 or not norms[index + 2].startswith("ل") or norms[index + 2] in _FUNCTION_WORDS:
            return None
        return (self._mention(text, toks[index], form[:-2], toks[index + width].end, None, head.type), width + 1)


#: Words after a noun that a detached و joins to a body's name that make the noun something else: a verbal noun's
#: preposition (وزارة التربية و [السعي نحو]), another club's sporting adjective (جمعية الحمامات و [النسر الرياضي]).
_NOT_COORDINATED_BEFORE = frozenset(normalize(w) for w in "نحو إلى الى الرياضي الرياضية".split())


#: قيادة, "command", names a body (قيادة حرس الحدود) except as "led by": بقيادة X, تحت قيادة X.
_LEADERSHIP = normalize("قيادة")
_UNDER = normalize("تحت")


def _led_by(norms: Sequence[str], index: int, clitic: str) -> bool:
    """Whether the head at ``index`` is قيادة read as "led by" (glued ب, or after تحت)."""
    return norms[index][len(clitic):] == _LEADERSHIP and (
        clitic.endswith("ب") or index > 0 and norms[index - 1] == _UNDER)


#: بطولة, "championship", is "the starring role" before a work (بطولة الفيلم, بطولة المسلسل).
_CHAMPIONSHIP = normalize("بطولة")


def _starring(norms: Sequence[str], index: int, clitic: str) -> bool:
    """Whether the head at ``index`` is بطولة before a work's noun: the lead role, no competition."""
    return norms[index][len(clitic):] == _CHAMPIONSHIP and index + 1 < len(norms) and is_work_noun(norms[index + 1])


#: Ordinals, which a channel's name may hold (القناة الأولى): a tagger's span keeps them.
_ORDINAL_WORDS = _ORDINALS | frozenset(normalize(w) for w in _MASCULINE_ORDINALS.split())


def trimmed_org_span(text: str, mention: Mention) -> Mention:
    """A tagger's organization span cut where this module's patterns end a name: at a word that stops a complement
    (الجمعية الأفريقية [المنعقدة], ... [الساعة]), and before feminine adjectives right after its masculine head,
    which cannot qualify it (البنك [التنموية الدولية]: another noun's)."""
    toks = list(tokens(mention.surface))
    if len(toks) < 2:
        return mention
    norms = [normalize(tok.text) for tok in toks]
    last = len(toks)
    for index in range(1, len(toks)):
        if norms[index] in _STOP_COMPLEMENTS and norms[index] not in _ORDINAL_WORDS:
            last = index
            break
    head = head_word_of(norms[0])
    if head_at(norms[0]) is not None and not head.endswith(("ه", "ات")):
        run = last
        while run > 1 and norms[run - 1].startswith("ال") and norms[run - 1].endswith("يه"):
            run -= 1
        if run == 1 < last:
            last = run  # (a word between may be a broken plural, which takes them: مجلس الغرف السعودية)
    if last == len(toks):
        return mention
    end = mention.start + toks[last - 1].end
    return replace(mention, end=end, surface=text[mention.start:end], canonical=None)


def _with_its_closing_quote(text: str, start: int, end: int) -> int:
    """The end of a name that opens a quote inside it (وكالة أنباء "الأناضول): past the quote's close, when it
    comes right after."""
    span = text[start:end]
    for opening, closing in QUOTE_PAIRS.items():
        opened = span.count(opening) - (span.count(closing) if closing != opening else 0)
        if (opened % 2 if closing == opening else opened) > 0 and text[end : end + 1] == closing:
            return end + 1
    return end


def definite_head(normalized: str) -> tuple[str, Head] | None:
    """A head noun with the article that it does not take alone (الجامعة, بالشركة), with the article and what
    stands before it (ال, بال)."""
    for form in ARTICLE_FORMS:
        if normalized.startswith(form) and form.endswith("ال"):
            head = heads().get(normalized[len(form):])
            if head is not None and not head.with_article:
                return form, head
    return None


def _institution_before(text: str, toks: Sequence[Token], norms: Sequence[str], index: int) -> int | None:
    """Where the name of an institution named after a person starts, when token ``index`` (right before the
    person) ends one: مستشفى, or المستشفى + an adjective (الجامعي, الجهوي); None otherwise."""
    for clitic, rest in all_readings(norms[index]):
        if clitic in ARTICLE_FORMS:
            continue  # المستشفى alone before a name is a role or an apposition (مدير المدرسة علي)
        if rest in INSTITUTIONS_NAMED_AFTER_PEOPLE:
            return toks[index].start + skip_normalized(toks[index].text, len(clitic))
    if index < 1 or not norms[index].startswith("ال") or not norms[index].endswith("ي") or (
            not set(text[toks[index - 1].end : toks[index].start]) <= _JOINERS):
        return None
    found = definite_head(norms[index - 1])
    if found and norms[index - 1][len(found[0]):] in INSTITUTIONS_NAMED_AFTER_PEOPLE:
        return toks[index - 1].start + skip_normalized(toks[index - 1].text, len(found[0]) - 2)
    return None


def without_a_head_s_proclitic(text: str, mention: Mention) -> Mention:
    """A tagger's organization that opens with a head noun and the preposition or conjunction glued to it
    (بجامعة كوفنتري, وهيئة الإذاعة): the span starts at the head, as ``OrgExtractor`` places it; after لل the
    name takes the article back (للجامعة العربية → الجامعة العربية)."""
    if mention.type != "ORG":
        return mention
    first = mention.surface.split(" ", 1)[0]
    headed = head_at(normalize(first))
    if not headed or not headed[0] or " " not in mention.surface.strip():
        return mention
    clitic = headed[0]
    if clitic.endswith("ال"):
        return mention  # والهيئة: the article is the name's
    start = mention.start + skip_normalized(first, len(clitic))
    if clitic.endswith("لل"):
        return replace(mention, start=start, surface=text[start : mention.end],
                       canonical=mention.canonical or "ال" + text[start : mention.end])
    return replace(mention, start=start, surface=text[start : mention.end])


def extend_with_heads(text: str, mention: Mention) -> Mention:
    """A tagger's name right after a head noun that takes names is an organization (حركة [حماس] ORG, canonical
    حركة حماس; نادي [برشلونة] ORG); after an institution named after people (``_institution_before``) the name
    holds the noun ([مستشفى فرحات حشاد], [جامعة هارفارد])."""
    if mention.type == "ORG" and mention.start == 0:
        return mention
    toks, norms = normalized_tokens(text)
    index = bisect_right(toks, mention.start, key=lambda tok: tok.end) - 1  # the last token before the name
    if index < 0:
        return mention
    if not set(text[toks[index].end : mention.start]) <= _JOINERS:
        return mention
    if mention.type in ("PER", "ORG") and not text[toks[index].end : mention.start].strip():
        institution = _institution_before(text, toks, norms, index)
        if institution is not None:
            # مستشفى [فرحات حشاد], المستشفى الجامعي [فرحات حشاد]: the hospital, not the person; its name holds
            # the noun (and its adjective)
            return replace(mention, start=institution, surface=text[institution : mention.end], type="ORG",
                           role=None)
    headed = head_at(norms[index])
    if not headed or not headed[1].takes_name:
        return mention
    if mention.type == "PER" and norms[index][len(headed[0]):].startswith("ال"):
        return mention  # مشرف الأنشطة بالنادي [عبدالله آل شجاع]: the club's man, in apposition, not the club
    anywhere, after_head = known()
    key = _key(mention.surface)
    return replace(mention, type=headed[1].type, canonical=after_head.get(key) or anywhere.get(key), role=None)
