"""How the mentions of several extractors become one list for an article.

Order of trust, each later kind kept only where it overlaps nothing already kept:

1. quoted titles of works (``works``: برنامج "بوليتيكا"), then organization names and patterns (``orgs``): a
   place inside an organization's name is part of it (وكالة تونس افريقيا للأنباء, بورصة تونس, جامعة الملك سعود);
2. a tagger's person, organization or other name that strictly contains a gazetteer place or demonym (the
   place is inside a longer name: الأمير محمد بن نايف, كأس فرنسا), and a tagger's place that strictly contains an
   ambiguous one (البحر الأبيض المتوسط, not the town الأبيض);
3. gazetteer places and demonyms, which carry canonical names; an ambiguous place (``needs_context``) only
   where the tagger also reads a place;
4. the rest of the tagger's names.

A tagger's name right after an organization head noun becomes that organization (حركة حماس); person spans are
cleaned (``clean_person``) so that they do not swallow neighbouring words, completed where the tagger cut a
surname (``with_surname_completed``) and freed of a glued conjunction (``without_a_conjunction``); a weekday, a
month, a function word (لي, هو) or الله alone (رحمه الله, صلى الله عليه وسلم: formulas) is never a name.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from dataclasses import replace
from typing import Iterable, Sequence

from ..text.clitics import (NAME_PARTICLES, PREPOSITIONS, PRONOUN_SUFFIXES, all_readings, definite_nisba,
                             name_readings, zipf)
from ..text.normalize import normalize
from ..text.stem import FUNCTION_WORDS, FUNCTION_WORDS_2
from ..text.tokenize import TANWEEN, normalized_tokens, token_before, tokens
from .extractor import Mention
from .demonyms import country_names, demonym_forms, key_form
from .gazetteer import (LIST_SEPARATOR, NATURAL_FEATURES, a_club_by_its_adjective, calendar_words, city_names,
                        given_names, list_neighbours, named_as_a_place, with_its_opener_completed)
from .link import HEADS, TITLES
from .orgs import (INSTITUTIONS_NAMED_AFTER_PEOPLE, after_a_descriptor, extend_with_heads, head_at,
                   trimmed_org_span, without_a_head_s_proclitic)

#: Extractor names whose mentions are gazetteer-like (canonical names, trusted over the tagger's).
LOOKUP_EXTRACTORS = frozenset({"gazetteer", "demonyms"})
#: Extractor names whose mentions are patterns, trusted first (a quoted title, then organizations).
PATTERN_EXTRACTORS = frozenset({"works", "orgs"})

_FUNCTION_WORDS = FUNCTION_WORDS | FUNCTION_WORDS_2

#: Kinship and relation words before a name that are not part of it (نجل ترامب → ترامب).
RELATIONS = frozenset(
    normalize(word)
    for word in (
        "نجل نجلة ابنة زوجة زوج شقيق شقيقة والد والدة أرملة حفيد حفيدة صهر خال عم عمة خالة صديق صديقة "
        "نجلي نجلا أنصار مؤيدو مؤيدي خصم منافس"
    ).split()
)
#: Words that news writes right after a name and that taggers take into it (بعث سلمان بن عبد العزيز برقية).
_SWALLOWED = frozenset(
    normalize(word)
    for word in ("برقية برقيتين برقيتي برقيات ضيف ضيفة رسالة رسالتين كلمة بيان تصريح تصريحات خلال اليوم أمس "
                 "عقب إثر حول ضد عبر "
                 # roles in the accusative after a name (انتخب شكري بلعيد أمينا عاما, عين فلان رئيسا)
                 "رئيسا وزيرا وليا أمينا مديرا نائبا عضوا مدربا لاعبا سفيرا مستشارا ناطقا متحدثا قائدا خلفا").split()
)
#: Honorifics that open the next person's name (وسمو الشيخ مايد, ومعالي الوزير), normalized.
HONORIFICS = frozenset(normalize(word) for word in "سمو معالي فخامة سعادة".split())
_VERB_ZIPF = 3.5
_COMMON_ADJECTIVE = 3.5


#: First parts of compound names with الله (عبد الله, نصر الله); other words before الله make a phrase.
_GOD_NAMES = frozenset(normalize(w) for w in "عبد نصر فتح سيف خير جار فضل عطا ضيف هبة نعمة مال حسب رزق عوض".split())


#: الله alone, as news writes it in formulas (رحمه الله, بإذن الله, الحمد لله): no entity a reader looks for.
_GOD = frozenset({normalize("الله"), normalize("لله")})
_ALLAH = normalize("الله")


#: The Arabic names of Latin letters, which spell acronyms (بي بي سي, إس تي سي): one alone is a cut acronym.
_LETTER_NAMES = frozenset(normalize(word) for word in (
    "إيه أيه اي آي بي سي دي إي إف اف جي إتش اتش جاي كي إل ال إم ام إن ان أو او كيو آر ار إس اس تي يو في "
    "دبليو إكس اكس واي زد زي").split())
#: Second parts of compound given names (نور الدين, عبد الرحمن): one alone is a cut name.
_COMPOUND_ENDS = frozenset(normalize(word) for word in "الدين الرحمن الرحيم العزيز".split())


#: Month names that are also companies' (نيسان, Nissan, and the month April of Levantine calendars).
_MONTH_COMPANIES = frozenset({normalize("نيسان")})
_DATE_MARKS = re.compile(r"[\d٠-٩()]")


def _a_company_not_a_month(text: str, mention: Mention, word: str) -> bool:
    """Whether a month's name that a tagger reads as an organization is the company (شركة نيسان, نيسان الشرق الأوسط):
    no digit nor bracket beside it, as dates have (12 نيسان 2015, نيسان (أبريل))."""
    if word not in _MONTH_COMPANIES or mention.type != "ORG":
        return False
    around = text[max(0, mention.start - 6):mention.start] + text[mention.end:mention.end + 6]
    return _DATE_MARKS.search(around) is None


def _a_fragment_alone(word: str, type_: str) -> bool:
    """Whether a one-word tagged name (normalized) is only a part of a name: a letter of an acronym, an
    organization's or competition's head noun without the article (جامعة, نادي, كأس; البنك and الاتحاد may name
    one), or the second part of a compound person's name (الدين)."""
    if word in _LETTER_NAMES:
        return True
    if type_ in ("ORG", "MISC"):
        headed = head_at(word)
        return headed is not None and headed[0] == "" and not word.startswith("ال")
    return type_ == "PER" and word in _COMPOUND_ENDS


def _overlaps(a: Mention, b: Mention) -> bool:
    return a.start < b.end and b.start < a.end


def _free(mention: Mention, taken: Sequence[Mention]) -> bool:
    return all(not _overlaps(mention, other) for other in taken)


def _inside(name: Mention, place: Mention, token_starts: set[int]) -> bool:
    """Whether a place is part of a longer name: strictly inside it, written without a proclitic (كيري لموسكو is
    a person and a place) unless it opens the name (وديانا رزق: the clitic is outside both), and, in a person's
    name, not its last word (a name does not end in a city) unless it is a nisba (سعيد محمد الكندي)."""
    if not (name.start <= place.start and place.end <= name.end) or (name.start, name.end) == (place.start, place.end):
        return False
    if place.start not in token_starts and place.start != name.start:
        return False
    return name.type != "PER" or place.end < name.end or place.kind == "demonym"


def _natural_feature(mention: Mention) -> bool:
    """A place name opened by a sea, gulf, mountain or river noun (البحر الأحمر, بحر الصين الشرقي)."""
    first = normalize(mention.surface).split(" ", 1)[0]
    return (first[2:] if first.startswith("ال") else first) in NATURAL_FEATURES and " " in mention.surface.strip()


def _common_noun(word: str) -> bool:
    """A normalized token that a tagger swallowed after a name: a word that news writes right after names (برقية,
    ضيف, رسالة), or an imperfect verb (يرأس: frequent, starts with ي, never seen with the article). Names are frequent words
    too (حسني, صديق, مبارك), so commonness alone says nothing."""
    if word in NAME_PARTICLES or word in given_names() or word.startswith("ال") or len(word) < 3:
        return False
    if word in _SWALLOWED or _future_verb(word):
        return True  # (a verb in the future: الظواهري [سأرميه])
    return word[0] == "ي" and zipf(word) >= _VERB_ZIPF and zipf("ال" + word) < 1.0


def _accusative(word: str) -> bool:
    """A common word in the accusative, its alif written (نفيا, رسميا): no surname (ونفى مهدي جمعة نفيا قاطعا).
    Only for a word after a given name: foreign names end so too (كارلوس باكا, ماليك إيفونا)."""
    return (word.endswith("ا") and len(word) >= 4 and word not in given_names() and word[:-1] not in given_names()
            and zipf(word[:-1]) >= _VERB_ZIPF)


def _second_name(word: str) -> bool:
    """A word inside a person span that opens another phrase: a preposition or conjunction glued to a given name
    or name particle (عبدالله صالح لعبد الملك الحوثي, ... وعبد), or to an article (بالرياض, للحوثي)."""
    if word.startswith(("وال", "بال", "فال", "كال", "لل")) and len(word) > 4:
        clitic = word[:2] if word.startswith("لل") else word[0]
        rest = "ال" + word[len(clitic) + (0 if clitic == "لل" else 2):]
        # an attested definite word after the clitic, more frequent than the whole; a name that only looks so
        # stays (دين كالثروب)
        return zipf(rest) > 0 and zipf(rest) >= zipf(word)
    rest = word[1:]
    return word[0] in "وبلف" and len(rest) >= 2 and (rest in given_names() or rest in NAME_PARTICLES
                                                      or rest in HONORIFICS)


def _adjective(word: str) -> bool:
    """A nisba adjective of common use before a name (الجمهوري, الديمقراطي): it has a common feminine form,
    which a family name such as الباجي lacks."""
    return (word.startswith("ال") and word.endswith("ي") and word not in given_names()
            and zipf(word) >= _COMMON_ADJECTIVE and zipf(word + "ه") >= _COMMON_ADJECTIVE)


def clean_person(text: str, mention: Mention) -> Mention | None:
    """A person span without the words a tagger swallowed: relation words and party adjectives before the name
    (نجل ترامب, الجمهوري دونالد ترامب), and from the first common noun or repeated word on (سلمان بن عبد العزيز
    برقية, عصام الشابي ضيف بوليتيكا, دونالد ترامب ترامب). None when nothing name-like is left."""
    toks = list(tokens(mention.surface))
    if not toks:
        return None
    norms = [normalize(token.text) for token in toks]
    first = 0
    while first < len(toks) - 1 and (norms[first] in RELATIONS or norms[first] in _PREPOSITION_PRONOUNS
                                     or _adjective(norms[first])
                                     or (first < len(toks) - 2 and norms[first].startswith("ال")
                                         and key_form(toks[first].text) in demonym_forms())):
        first += 1  # نجل ترامب, الجمهوري دونالد ترامب, الكاميروني عيسى حياتو, (اتصل) بي يوسف شاهين
    last = len(toks)
    for index in range(first + 1, len(toks)):
        after_particle = norms[index - 1] in NAME_PARTICLES  # بن نصر, عقبة بن نافع: a name follows
        # a title inside a name stays in it (الباجي قائد السبسي)
        inner_title = key_form(toks[index].text) in HEADS and index + 1 < len(toks)
        # a word written twice in a row ends the name (دونالد ترامب ترامب); a name may repeat a word further on
        # (زيد رعد زيد الحسين, حمدان بن محمد بن راشد آل مكتوم: the archive merges it with its shorter forms)
        # (but a given name repeated inside a name is the father's: كريم محمد محمد عبدالعزيز)
        repeated = norms[index] == norms[index - 1] and not (
            norms[index] in given_names() and index + 1 < len(toks))
        # a word with tanween is a common noun or an adverb (دريد بن الصمة بيتًا): names do not take it
        tanween = not TANWEEN.isdisjoint(toks[index].text)
        if repeated or tanween or _second_name(norms[index]) or (
                _common_noun(norms[index]) and not after_particle and not inner_title):
            last = index
            break
    while last - 1 > first and norms[last - 1] in NAME_PARTICLES:
        last -= 1
    if last - first == 1 and (norms[first] in NAME_PARTICLES or _common_noun(norms[first])):
        return None  # ضيف, بن, the verbs ينس and يشكر alone: nothing of a name is left
    if last - first == 2 and norms[first + 1] == "الله" and norms[first] not in _GOD_NAMES:
        return None  # بتوفيق الله, رحمه الله: a phrase, not a name
    if first == 0 and last == len(toks):
        return mention
    start = mention.start + toks[first].start
    end = mention.start + toks[last - 1].end
    if end <= start:
        return None
    return replace(mention, start=start, end=end, surface=text[start:end])


#: A preposition with a pronoun (اتصل بي, قال له), which a tagger may take into the name after it.
_PREPOSITION_PRONOUNS = frozenset(p + suffix for p in "بل" for suffix in PRONOUN_SUFFIXES)


#: Given names whose normalized form is also a function word's (علي, على → علي): a tagger that reads normalized
#: text leaves the name out before a compound name (علي عبدالله صالح is tagged عبدالله صالح).
_NAMES_LIKE_FUNCTION_WORDS = frozenset({"علي"})


def with_first_name(text: str, mention: Mention) -> Mention:
    """A person span that opens with a compound name (عبدالله صالح, عبد الرحمن) right after علي written as the name
    (not على, the preposition) begins at علي: the tagger took the name for the preposition (علي عبدالله صالح,
    لعلي عبدالله صالح)."""
    words = normalize(mention.surface).split()
    if len(words) < 2 or not words[0].startswith("عبد"):
        return mention
    before = token_before(text, mention.start, "\n\r\f\v", reach=30)
    if before is None:
        return mention
    raw = before.text
    if raw[:1] in "وبلف" and raw[1:] in _NAMES_LIKE_FUNCTION_WORDS:
        raw = raw[1:]  # وعلي, لعلي
    if raw not in _NAMES_LIKE_FUNCTION_WORDS:
        return mention
    start = before.end - len(raw)
    return replace(mention, start=start, surface=text[start : mention.end])


#: The first part of compound given names (عبد ربه, عبدالله), normalized.
_SERVANT = normalize("عبد")


def with_its_compound_opener(text: str, mention: Mention) -> Mention:
    """A person span right after a compound given name that opens with عبد begins there: the tagger left the
    compound out (الرئيس عبدربه [منصور هادي], عبد ربه [منصور هادي]); so does a span that opens with الله after
    the first part of a name with it (خير [الله الدوسري], نصر [الله])."""
    if mention.type != "PER":
        return mention
    before = token_before(text, mention.start, reach=30)
    if before is None:
        return mention
    word = normalize(before.text)
    opening = next(iter(tokens(mention.surface)), None)
    if opening is not None and normalize(opening.text) == _ALLAH and word in _GOD_NAMES:
        start = before.start  # خير الله الدوسري
    elif word.startswith(_SERVANT) and len(word) >= len(_SERVANT) + 3:
        start = before.start  # عبدربه, عبدالله (not عبده)
    else:
        first = token_before(text, before.start, reach=30)
        if first is None or normalize(first.text) != _SERVANT or word in _FUNCTION_WORDS:
            return mention
        start = first.start  # عبد ربه
    return replace(mention, start=start, surface=text[start : mention.end])


#: Below this zipf frequency a word right after a given name is no common word of the language: a surname
#: that the tagger left out of the name (فرحات [حشاد], داليا [البحيري]).
_SURNAME_ZIPF = 2.75
#: Age adjectives that follow a name (الشاب منير الأربعيني: in his forties), never a surname.
_AGE_WORDS = frozenset(normalize(f"{article}{decade}{ending}") for article in ("", "ال")
                       for decade in "عشري ثلاثي اربعي خمسي ستي سبعي ثماني تسعي".split()
                       for ending in ("ني", "نيه"))
#: Below this zipf frequency a word is no attested word: a name's و is a conjunction only before an attested rest,
#: and in a list of names only on an unattested whole (ونستون is attested).
_UNATTESTED_NAME = 2.0
_SURNAME_GAP = re.compile(r"[ \t]+")


def _future_verb(word: str) -> bool:
    """A verb in the future, س before the imperfect (سأرميه, سيقوم; not سالم, سامي, سانتوس): the rest, without a
    pronoun suffix, is an attested word, and the whole is no given name nor itself a common word."""
    if len(word) < 5 or word[0] != "س" or word[1] not in "ايتن" or word in given_names() or zipf(word) >= 3.0:
        return False
    rest = word[1:]
    cores = [rest] + [rest[: -len(s)] for s in PRONOUN_SUFFIXES if rest.endswith(s) and len(rest) - len(s) >= 3]
    return any(zipf(core) >= _SURNAME_ZIPF for core in cores)


def _inflected_common(word: str) -> bool:
    """A common word inflected: with a pronoun suffix (زورها, كتابهم, افتتاحيتها: ة written ت before it,
    يستقبلني), a verb in the imperfect (يتكبدون), or the feminine or the plural of a common word (البارعة, هانئة,
    متعهدات): no surname."""
    common = _SURNAME_ZIPF
    for suffix in (*PRONOUN_SUFFIXES, "ني"):
        rest = word[: -len(suffix)]
        if len(suffix) > 1 and len(rest) >= 2 and word.endswith(suffix) and (
                zipf(rest) >= common or (rest.endswith("ت") and zipf(rest[:-1] + "ه") >= common)):
            return True
    if word[:1] in "يت" and word.endswith(("ون", "ين", "ان", "وا")) and len(word) >= 6 and (
            zipf(word[1:-2]) >= common):
        return True  # يتكبدون, يشاركان: a verb in the imperfect (تكبد), no name
    if (word[:1] == "ي" and len(word) >= 4 and word not in given_names() and word[1:] not in given_names()
            and zipf("ال" + word) < 1.0 and zipf(word[1:]) >= common):
        return True  # يتقمص (تقمص): the imperfect of an attested verb, never written with the article
    if _accusative(word) or _future_verb(word):
        return True
    bare = word[2:] if word.startswith("ال") else word
    for ending in ("ه", "ات"):
        if bare.endswith(ending) and len(bare) - len(ending) >= 2 and zipf(bare[: -len(ending)]) >= common:
            return True
    return False


def without_a_conjunction(text: str, mention: Mention, person_ends: set[int]) -> Mention:
    """A person span that opens with و glued to a name the tagger kept whole (وجيرمي كوربين, وشينجي اوكازاكي): the
    و is the conjunction when the rest is clearly more attested as a word than the whole (a name that starts with
    و, وليد or ويلسون, is not split), or when the span follows another person's name with only blanks between
    (روبرت هوث وكريستيان فوكس وشينجي اوكازاكي: a list) and the whole is no given name nor an attested word."""
    if mention.type != "PER" or mention.surface[:1] != "و":
        return mention
    first = mention.surface.split()[0]
    word = normalize(first)
    rest = word[1:]
    if len(rest) < 3 or word in given_names() or rest in FUNCTION_WORDS:
        return mention
    attested = zipf(rest) >= _UNATTESTED_NAME and zipf(rest) - zipf(word) >= 1.0
    gap = token_before(text, mention.start, reach=40)
    listed = (gap is not None and gap.end in person_ends and " " in mention.surface.strip()
              and zipf(word) < _UNATTESTED_NAME)
    if not (attested or listed):
        return mention
    start = mention.start + 1
    return replace(mention, start=start, surface=text[start : mention.end])


def with_surname_completed(text: str, mention: Mention, taken: set[int]) -> Mention:
    """A person tagged as a given name alone, or as two given names (محمد علي), right before a word that is no
    common word (``_SURNAME_ZIPF``), no function word, title or month, carries no attested proclitic and starts no
    other mention (``taken``: their starts): the name goes on to that word (فرحات حشاد, داليا البحيري, محمد علي
    بللونة). So does a given name tagged alone as an organization (مستشفى [فرحات] حشاد)."""
    given = given_names()
    alone = normalize(mention.surface.strip())
    words = alone.split()
    if mention.type == "PER":
        if not (alone in given or (len(words) == 2 and all(word in given for word in words))):
            return mention
    elif mention.type != "ORG" or len(words) != 1 or not _after_an_institution(text, mention):
        return mention
    toks, norms = normalized_tokens(text)  # the article's one analysis
    index = bisect_left(toks, mention.end, key=lambda tok: tok.start)
    if index == len(toks) or not _SURNAME_GAP.fullmatch(text[mention.end : toks[index].start]):
        return mention
    after, word = toks[index], norms[index]
    if (after.start in taken or len(word) < 3 or not word.isalpha() or word in FUNCTION_WORDS
            or word in FUNCTION_WORDS_2 or word in calendar_words() or word in TITLES or word in HEADS
            or zipf(word) >= _SURNAME_ZIPF or _inflected_common(word) or word in _AGE_WORDS
            or any(clitic and (clitic.endswith("ال") or rest.startswith("ال")  # بالهوارية: in a place
                               or zipf(rest) >= _UNATTESTED_NAME or rest in given)
                   for clitic, rest in name_readings(word))):
        return mention
    return replace(mention, end=after.end, surface=text[mention.start : after.end])


def _after_an_institution(text: str, mention: Mention) -> bool:
    """Whether the word right before a mention is an institution named after people (بمستشفى, مدرسة)."""
    toks, norms = normalized_tokens(text)  # the article's one analysis
    index = bisect_right(toks, mention.start, key=lambda tok: tok.end) - 1
    return index >= 0 and not text[toks[index].end : mention.start].strip() and any(
        rest in INSTITUTIONS_NAMED_AFTER_PEOPLE for _, rest in all_readings(norms[index]))


def split_at_titles(text: str, mention: Mention) -> list[Mention]:
    """A person span cut where a title opens the next name (استقبل الأمير عبدالله بن فهد الأمير فهد بن نايف: two
    people); the title itself is left out, for linking to read as the role."""
    toks = list(tokens(mention.surface))
    parts: list[Mention] = []
    first = 0
    for index in range(1, len(toks)):
        if key_form(toks[index].text) in TITLES and normalize(toks[index - 1].text) not in NAME_PARTICLES:
            if index > first:
                parts.append((first, index))
            first = index + 1
    if not parts:
        return [mention]
    if first < len(toks):
        parts.append((first, len(toks)))
    return [replace(mention, start=mention.start + toks[a].start, end=mention.start + toks[b - 1].end,
                    surface=text[mention.start + toks[a].start : mention.start + toks[b - 1].end], role=None)
            for a, b in parts]


#: Lower-case Latin words, or one identifier in camelCase: a name written in Latin letters in Arabic news is
#: capitalized (Alexa, BBC); these are words of a page's code (solid, rendererOptions) or of English prose.
_LOWER_LATIN = re.compile(r"[a-z]+(?:[ -][a-z]+)*|[a-z]+(?:[A-Z][a-z]*)+")


def with_its_lam_given_back(text: str, mention: Mention) -> Mention:
    """A name after لل or ول whose first word is a given name that begins with ل (للطفي عاشور: ل + لطفي, not لل +
    طفي; ولبنى نعمان: و + لبنى): that ل is the name's."""
    if mention.start < 2 or text[mention.start - 2 : mention.start] not in ("لل", "ول"):
        return mention
    first = mention.surface.split(" ", 1)[0]
    if normalize(first) in given_names() or normalize("ل" + first) not in given_names():
        return mention
    start = mention.start - 1
    return replace(mention, start=start, surface=text[start : mention.end], canonical=None)


def _prepare_tagged(text: str, mention: Mention) -> list[Mention]:
    mention = with_its_lam_given_back(text, mention)
    if _LOWER_LATIN.fullmatch(mention.surface.strip()):
        return []  # solid, protected, val: words of a page's code or of English prose, no name written in Latin
    alone = normalize(mention.surface.strip())
    if " " not in alone and (alone in calendar_words() and not _a_company_not_a_month(text, mention, alone)
                             or alone in _FUNCTION_WORDS or len(alone) < 2 or alone in _GOD):
        return []  # الخميس, لي, هو, the س of كلم/س, رحمه [الله]: no name alone
    if " " not in alone and _a_fragment_alone(alone, mention.type) and not after_a_descriptor(text, mention):
        return []  # [إس] تي سي, [جامعة], نور [الدين]: a part of a name, alone (but صحيفة [آس] is a paper)
    words = alone.split()
    if len(words) == 2 and words[1] == "الله" and words[0] not in _GOD_NAMES and mention.type != "LOC":
        return []  # أيده الله, حفظه الله, بمشيئة الله: a formula, no name (رام الله is a place)
    if mention.type == "ORG":
        mention = trimmed_org_span(text, mention)  # الجمعية الأفريقية [المنعقدة], مجلس الوزراء [الأسبوعية]
    mention = with_its_opener_completed(text, extend_with_heads(text, without_a_head_s_proclitic(text, mention)))
    one_word_org = mention.type == "ORG" and " " not in mention.surface.strip()
    if (mention.type in ("PER", "MISC") or one_word_org) and named_as_a_place(text, mention):
        return [replace(mention, type="LOC")]  # معتمدية سيدي علوان, وسيدي مخلوف, مدينة بورتو: a place
    if mention.type != "PER":
        return [mention]
    return [with_first_name(text, with_its_compound_opener(text, cleaned)) for part in split_at_titles(text, mention)
            if (cleaned := clean_person(text, part)) is not None]


#: Prepositions glued to a place before a person's name (المدير الجهوي للتجارة بنابل فوزي طالب); ك "like" is
#: glued to no place there.
_PLACE_PREPOSITIONS = PREPOSITIONS.replace("ك", "")


def _without_leading_country(text: str, mention: Mention,
                              lookups: Sequence[Mention]) -> tuple[Mention, Mention | None]:
    """A person span that opens with a country's name without it (رئيس [بوليفيا إيفو موراليس] → بوليفيا, a place,
    and إيفو موراليس, a person), with the place split off: a name does not start with a country. A city may open a
    foreign name (سانتياغو برنابيو), so a city counts only behind a glued preposition (المدير الجهوي للتجارة ب[نابل
    فوزي طالب]); there it is a place even when its name alone would need context."""
    if mention.type != "PER":
        return mention, None
    countries = country_names()
    glued = mention.start > 0 and text[mention.start - 1] in _PLACE_PREPOSITIONS and (
        mention.start == 1 or not text[mention.start - 2].isalpha())
    # (or the preposition inside the tagger's span: [بزغوان ياسين العتروس])
    inside = text[mention.start] in _PLACE_PREPOSITIONS and (
        mention.start == 0 or not text[mention.start - 1].isalpha())
    for place in lookups:
        behind = glued if place.start == mention.start else inside and place.start == mention.start + 1
        if ((behind or place.start == mention.start) and place.end < mention.end and place.kind == "name"
                and (behind or not place.needs_context) and key_form(place.surface) not in given_names()
                and (behind or key_form(place.canonical or place.surface) in countries)):
            rest = next(tokens(text[place.end : mention.end]), None)
            if rest is None or text[place.end : place.end + rest.start].strip():
                return mention, None  # punctuation between: not a name glued to a place
            start = place.end + rest.start
            return replace(mention, start=start, surface=text[start : mention.end]), place
    return mention, None


def combine(text: str, groups: Iterable[tuple[str, list[Mention]]]) -> list[Mention]:
    """One list of mentions, sorted by start and not overlapping, from ``(extractor name, mentions)`` groups
    (see the module docstring for the order of trust)."""
    patterns: list[Mention] = []
    lookups: list[Mention] = []
    tagged: list[Mention] = []
    for name, mentions in groups:
        if name in PATTERN_EXTRACTORS:
            patterns.extend(mentions)
        elif name in LOOKUP_EXTRACTORS:
            lookups.extend(mentions)
        else:
            tagged.extend(mentions)
    tagged = _adjacent_people_joined(text, sorted(tagged, key=lambda m: (m.start, m.end)))
    begun = {mention.start for mention in (*patterns, *lookups, *tagged)}
    tagged = [part for m in tagged for part in _prepare_tagged(text, with_surname_completed(text, m, begun))]
    split = [_without_leading_country(text, mention, lookups) for mention in tagged]
    tagged = [mention for mention, _ in split]
    confirmed = {id(place) for _, place in split if place is not None}
    lookups = [replace(place, needs_context=False) if id(place) in confirmed else place for place in lookups]
    person_ends = {mention.end for mention in tagged if mention.type == "PER"}
    tagged = [without_a_conjunction(text, mention, person_ends) for mention in tagged]
    taken: list[Mention] = []
    for mention in patterns:
        if _free(mention, taken):
            taken.append(mention)
    starts = {token.start for token in normalized_tokens(text)[0]}  # the article's one analysis
    for mention in tagged:
        # a tagger's place holds an ambiguous one (البحر الأبيض المتوسط: الأبيض alone is a town, and a word), or
        # any place when it names a sea, a mountain or a river (بحر الصين الشرقي)
        if _free(mention, taken) and any(
            _inside(mention, place, starts)
            and (mention.type != "LOC" or place.needs_context or _natural_feature(mention)) for place in lookups
        ) and not any((place.start, place.end) == (mention.start, mention.end) for place in lookups):
            # (a name that is a place by the gazetteer as a whole is that place: الاتحاد الروسي is Russia)
            taken.append(mention)
    tagged_places = [m for m in tagged if m.type == "LOC"]
    # a city that the tagger reads as an organization, on the same span, is a club or a body named after it
    # (فريق برشلونة, سول: Seoul's government); a country, a landmark or a city after a place noun stays a place
    tagged_orgs = {(m.start, m.end) for m in tagged if m.type == "ORG"}
    tagged_spans = {(m.start, m.end) for m in tagged}
    cities = city_names()
    ordered = sorted(lookups, key=lambda m: (m.start, m.end))
    position = {id(mention): i for i, mention in enumerate(ordered)}
    for mention in lookups:
        i = position[id(mention)]
        # a city with a masculine adjective is its club; the adjective is the context that an ambiguous city needs
        # where the tagger reads a name there too (ليون الفرنسي; not the common nouns of [الزعيم] الليبي)
        club = (not mention.needs_context or (mention.start, mention.end) in tagged_spans) and (
            a_club_by_its_adjective(text, mention, ordered[i + 1] if i + 1 < len(ordered) else None))
        if mention.needs_context and not club and not any(_overlaps(mention, other) for other in tagged_places) and (
                _with_an_adjective(text, mention) or not any(
                    not other.needs_context and other.kind == "name"
                    for other in list_neighbours(text, ordered, i, LIST_SEPARATOR))):
            # an ambiguous place counts where the tagger reads a place, or in a list of places (الرياض وجدة), but
            # not as a noun with its adjective (العراق و[الثورة] الإيرانية)
            continue
        if (mention.start, mention.end) in tagged_orgs and mention.kind == "name" and (
                " ".join(normalize(mention.surface).split()) in cities) and not named_as_a_place(text, mention):
            continue  # (مدينة بورتو البرتغالية: the city)
        if club:
            mention = replace(mention, type="ORG", canonical=None)  # موناكو الفرنسي: the club
        if _free(mention, taken):
            taken.append(replace(mention, needs_context=False) if mention.needs_context else mention)
    for mention in tagged:
        if _free(mention, taken):
            taken.append(mention)
    return _across_a_closing_bracket(text, sorted(taken, key=lambda m: (m.start, m.end)))


def _with_an_adjective(text: str, mention: Mention) -> bool:
    """Whether a nisba adjective with the article follows a mention right after it (الثورة [الإيرانية])."""
    after = next(tokens(text[mention.end : mention.end + 40]), None)
    if after is None or text[mention.end : mention.end + after.start].strip(" \t"):
        return False
    return definite_nisba(normalize(after.text)) is not None


#: Below this Zipf frequency a word after a person's name is no common word: the rest of the name (كاسترو).
_RARE_NAME_WORD = 3.9


def _adjacent_people_joined(text: str, tagged: list[Mention]) -> list[Mention]:
    """Two person spans of a tagger with one space between are one name where the second goes on with it (نوري
    [المالكي], راؤول [كاسترو], طلعت [زكريا], عادل بن زيد [الطريفي]): a one-word second is a family name (ال + a
    nisba), or, after a name of one or two words, a given name or a rare word; a longer second follows a given name
    alone. Not a list (عادل دنه [وإلتون جوزيه]), a title (شعيب [أمين] الصندوق), a function word or a verb after a
    full name (فيصل بن خالد [دشن])."""
    out: list[Mention] = []
    for mention in tagged:
        previous = out[-1] if out else None
        if (previous is not None and previous.type == mention.type == "PER"
                and text[previous.end:mention.start] == " " and mention.surface != previous.surface
                and _goes_on_with(normalize(previous.surface).split(), normalize(mention.surface).split())):
            out[-1] = replace(previous, end=mention.end, surface=text[previous.start:mention.end])
            continue
        out.append(mention)
    return out


def _goes_on_with(first: list[str], second: list[str]) -> bool:
    word = second[0] if second else ""
    if not first or not word or word.startswith("و") or word in _FUNCTION_WORDS or key_form(word) in HEADS:
        return False
    if len(first) == 1 and first[0].startswith("ال"):
        return False  # [القاص] فهد الخليوي: a word with the article before a name describes the person
    if len(second) > 1:
        # a name of its own follows unless the first is a given name alone (طلعت [زكريا حلمه]; not اختار ماكرون
        # [برونو لو مير], nor a list without commas: أمين الغالي [محمد الحبيب مقداد])
        return len(first) == 1 and first[0] in given_names()
    if definite_nisba(word) == "masculine":
        return True  # a family name: المالكي, الطريفي
    return len(first) <= 2 and (word in given_names() or zipf(word) < _RARE_NAME_WORD)


def _across_a_closing_bracket(text: str, mentions: list[Mention]) -> list[Mention]:
    """A person's name cut by a bracket that an editor opened before it ((الرئيس التركي رجب طيب) أردوغان) is one
    mention: a name of two words or more that ends at ``)``, a bracket opened before it in the same phrase, and
    one more name word right after it. A name in brackets after another ((كريس برات)) is an alias: not joined."""
    result: list[Mention] = []
    for mention in mentions:
        last = result[-1] if result else None
        if (last is not None and last.type == mention.type == "PER" and " " not in mention.surface.strip()
                and " " in last.surface.strip() and text[last.end : mention.start].strip() == ")"):
            before = text[max(0, last.start - 60) : last.start]
            opened = before.rfind("(")
            if opened >= 0 and not any(c in before[opened:] for c in ")،.:؛\n"):
                result[-1] = replace(last, end=mention.end, surface=text[last.start : mention.end])
                continue
        result.append(mention)
    return result
