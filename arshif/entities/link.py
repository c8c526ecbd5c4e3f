"""Canonical entities: mentions of each article merged into entities, then entities merged across the archive.

Within an article (``link_article``, run by the build for each article):

* a mention with ``canonical`` set (demonyms, gazetteer entries) belongs to that canonical entity; a country name or
  alias (أمريكا, الولايات المتحدة الأمريكية) belongs to its country, so ``الروسي`` and ``روسيا`` are both ``LOC:روسيا``;
* titles at the start of a person mention (الرئيس, وزير الخارجية الروسي, الشيخ) move into ``role`` and the span
  shrinks to the name; a demonym inside the role becomes a mention of its own (الروسي → روسيا), since the person
  mention had hidden it from the demonym extractor;
* other mentions merge by their normalized form; a person name merges into the longest person name of the same
  article that contains it as whole tokens (لافروف → سيرغي لافروف), not right after بن or آل (فهد is not عبدالله بن
  فهد), unless another name that the longest does not contain also contains it (then it is ambiguous and stays);
  compound names are one word however written (عبدالله صالح is part of علي عبد الله صالح, ``name_words``), and two
  people written side by side are split, never at a name particle (سلمان بن عبد العزيز is one person).

Across articles (``archive_remap``, run by the build over the keys stored in the archive, so incremental builds
equal full ones):

* spelling variants merge: keys that differ only by the article on a word (فيفا/الفيفا, امم المتحده/
  الامم المتحده, مجلس نواب/مجلس النواب) or by a hamza seat (قائد/قايد) are one entity;
* a name gets one type, the one most of its mentions have (Jawhara FM is not MISC, ORG and LOC at once);
* a person key merges into the one longer person name of the whole archive that contains its one word or begins
  with its words, when there is exactly one (``cross_article_remap``); compound names written apart or joined
  (عبد العزيز/عبدالعزيز) are one spelling.
Names, aliases and counts of entities are then computed from the stored mentions (``arshif.db.rebuild_entities``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import combinations, groupby
from typing import Iterable, Iterator

from arshif.entities.demonyms import country_names, demonym_forms, extractor, key_form
from arshif.entities.extractor import Mention
from arshif.entities.gazetteer import city_names, given_names
from arshif.entities.orgs import INSTITUTIONS_NAMED_AFTER_PEOPLE, names_of, publisher
from arshif.text.analyze import term_stem
from arshif.text.clitics import NAME_PARTICLES, zipf
from arshif.text.normalize import normalize
from arshif.text.stem import strip_proclitics
from arshif.text.tokenize import DOUBLE_QUOTES, proclitic_offset, tokens

#: Titles that are a role on their own before a name (normalized).
TITLES = frozenset(
    key_form(word)
    for word in (
        "الرئيس الرئيسة الوزير الوزيرة الملك الملكة العاهل الأمير الأميرة الشيخ الشيخة السلطان الإمام البابا "
        "المرشد الجنرال المشير الفريق اللواء العميد العقيد المقدم الرائد النقيب الدكتور الدكتورة د السيد السيدة "
        "الحاج الحاجة الأستاذ الأستاذة المهندس القاضي المستشار المستشارة السفير السفيرة المبعوث النائب النائبة "
        "الناطق المتحدث الزعيم القائد المحافظ الحاكم الكاردينال المطران البطريرك الحاخام الأب الداعية المفتي "
        "المدير المديرة الأمين رئيس رئيسة وزير وزيرة نظيره نظيرته نظيرها نظيرهم دكتور دكتورة مهندس"
    ).split()
)

#: Titles that are a role only with a complement after them (ولي العهد, أمين عام, آية الله, نائب الرئيس).
HEADS = frozenset(
    key_form(word)
    for word in "ولي أمين آية نائب مساعد مستشار سفير مبعوث قائد زعيم مدير محافظ حاكم متحدث ناطق مفوض".split()
)

#: Words that continue a title (وزير الخارجية, رئيس مجلس النواب, المتحدث باسم وزارة الخارجية, الرئيس السابق).
COMPLEMENTS = frozenset(
    key_form(word)
    for word in (
        "الخارجية خارجية الدفاع دفاع الداخلية داخلية المالية مالية العدل الإعلام الاقتصاد النفط الطاقة التجارة "
        "الصحة التعليم الدولة دولة الوزراء الحكومة حكومة الجمهورية الأركان هيئة مجلس المجلس النواب الشعب الشورى "
        "الأمة البرلمان العام العامة العهد الله الأعلى الأول الثاني الأسبق السابق السابقة الجديد الجديدة المكلف "
        "المنتهية ولايته الخاص الخاصة الأممي الدولي الاتحادي باسم وزارة الوزارة الأمن القومي الوطني الجيش "
        "الاستخبارات المخابرات الشرطة البنك المركزي العامة للأمم المتحدة الرئيس الرئاسة الرئاسي"
    ).split()
)

@dataclass(frozen=True)
class LinkedMention(Mention):
    """A mention with the key of its entity in its article (``f"{type}:{normalized canonical name}"``), and
    whether it names the entity in full (its own key is the entity's, or it carries the canonical name)."""

    entity_key: str = ""
    full: bool = True


_QUOTE_MARKS = re.compile(rf"\s*[{re.escape(DOUBLE_QUOTES)}]\s*")


def display_name(mention: Mention) -> str:
    """The name a mention shows its entity by: its canonical name, or its surface without quote marks (وكالة أنباء
    "الأناضول" → وكالة أنباء الأناضول, الجوهرة "أف أم" → الجوهرة أف أم)."""
    if mention.canonical:
        return mention.canonical
    return " ".join(_QUOTE_MARKS.sub(" ", mention.surface).split()) or mention.surface


def entity_key(type_: str, name: str) -> str:
    """``f"{type}:{normalized name}"``."""
    return f"{type_}:{key_form(name)}"


def source_entity_key(source: str) -> str | None:
    """The key of the organization that publishes a source (``orgs.publisher``), as its mentions are keyed."""
    canonical = publisher(source)
    return entity_key("ORG", canonical) if canonical else None


def source_remap(sources: Iterable[str]) -> dict[str, str]:
    """Organization keys of every name listed for the publishers of an archive's sources → the publisher's key: in
    an archive of صحيفة الوئام, the tagger's ORG الوئام (its byline) is that paper (``data/organizations.tsv``)."""
    remap: dict[str, str] = {}
    for source in sources:
        canonical = publisher(source)
        if canonical:
            target = entity_key("ORG", canonical)
            remap.update({entity_key("ORG", name): target for name in names_of(canonical)})
            remap.pop(target, None)
    return remap


def name_words(key: str) -> tuple[str, ...]:
    """The words of a key's name (or of a normalized name), compound names joined however they are written:
    ``علي عبد الله صالح`` and ``عبدالله صالح`` share ``عبدالله``, so the shorter is part of the longer."""
    return tuple(_COMPOUND.sub(r"\1", key.rpartition(":")[2]).split(" "))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """``shorter`` is a run of whole tokens of ``longer``."""
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _names_within(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """``shorter`` is a run of whole tokens of ``longer`` that does not start after بن, آل or another name particle:
    it names the person, not a father or a family (عبد العزيز is not سلطان بن عبدالعزيز, فهد not عبدالله بن فهد)."""
    size = len(shorter)
    return any(longer[i : i + size] == shorter and (i == 0 or longer[i - 1] not in NAME_PARTICLES)
               for i in range(len(longer) - size + 1))


def strip_role(text: str, mention: Mention) -> Mention:
    """A person mention with its leading titles moved into ``role`` (the name keeps at least one token)."""
    toks = list(tokens(mention.surface))
    norms = [normalize(token.text) for token in toks]
    countries = country_names()
    demonyms = demonym_forms()

    def continues(word: str) -> bool:
        return word in COMPLEMENTS or word in demonyms or word in countries

    index = 0
    while index < len(toks) - 1:
        word = norms[index]
        if word in TITLES:
            index += 1
        elif word in HEADS and index + 2 < len(toks) and continues(norms[index + 1]):
            index += 2
        else:
            break
        while index < len(toks) - 1 and continues(norms[index]):
            index += 1
    if index == 0:
        return mention
    start = mention.start + toks[index].start
    role = text[mention.start : mention.start + toks[index - 1].end]
    if mention.role:
        role = f"{mention.role} {role}"
    return replace(mention, start=start, surface=text[start : mention.end], role=role)


def cross_article_remap(person_keys: Iterable[str], counts: dict[str, int] | None = None) -> dict[str, str]:
    """Person keys that belong to exactly one longer person name of the archive: old key → new key.

    A one-token key belongs to the one longer name that contains its word (لافروف → سيرغي لافروف), unless the word
    follows بن, آل or another name particle there (a father's or a family name names many people); of several such
    names, those that are one person once merged count once, and one named ten times as often as another leaves
    it out (``_dominant``: السبسي is the president, not his son named once); a longer key
    to the one longer name that it begins (سلمان بن عبدالعزيز → سلمان بن عبدالعزيز آل سعود, عبد ربه منصور → عبد
    ربه منصور هادي), or to the shortest of the longer names it begins when those are one name written ever longer
    (``_shortest_of_chain``); a longer key that begins no longer name and does not start with a given name, to the
    one longer name that it ends (قايد السبسي → الباجي قايد السبسي). With ``counts`` (mentions per key), a longer
    name must be well attested to take a name it begins or ends: a tagger's one long span (محمد بن نايف برقيتي)
    must not swallow every محمد بن نايف."""
    keys = set(person_keys)
    longer_names: dict[str, list[str]] = {}
    prefixed: dict[tuple[str, ...], list[str]] = {}
    suffixed: dict[tuple[str, ...], list[str]] = {}
    for key in keys:
        words = name_words(key)
        if len(words) > 1:
            for word in {w for i, w in enumerate(words) if i == 0 or words[i - 1] not in NAME_PARTICLES}:
                # not a father's or family name: عبدالعزيز and سعود alone are not سلمان بن عبدالعزيز آل سعود
                longer_names.setdefault(word, []).append(key)
            for size in range(2, len(words)):
                prefixed.setdefault(tuple(words[:size]), []).append(key)
                if words[-size - 1] not in NAME_PARTICLES:  # مقرن بن عبد العزيز ends منصور بن مقرن ...: the father
                    suffixed.setdefault(tuple(words[-size:]), []).append(key)
    remap: dict[str, str] = {}
    given = given_names()
    # the longer names first, so that a one-word key sees where they went (السبسي: قايد السبسي and الباجي قايد
    # السبسي are one person)
    resolved: dict[str, str] | None = None
    for key in sorted(keys, key=lambda k: (len(name_words(k)) == 1, k)):
        words = name_words(key)
        if len(words) == 1:
            candidates = longer_names.get(words[0], [])
            if len(candidates) > 1:
                if resolved is None:
                    resolved = _resolved(remap)  # every longer key is done: one-word keys come last
                candidates = sorted({resolved.get(c, c) for c in _dominant(candidates, counts)})
        else:
            candidates = _shortest_of_chain(prefixed.get(words, []), counts)
            if not candidates and words[0] not in given and words[0] not in NAME_PARTICLES:
                # قايد السبسي → الباجي قايد السبسي: the name without its given name (not محمد علي, which ends
                # أحمد محمد علي as a father's and grandfather's name)
                candidates = _dominant(suffixed.get(words, []), counts)
        if len(candidates) != 1:
            continue
        if len(words) > 1 and counts is not None:
            longer, shorter = counts.get(candidates[0], 0), counts.get(key, 0)
            if longer < _MIN_LONGER or (longer * _LONGER_SHARE < shorter and longer < _WELL_ATTESTED):
                continue
        remap[key] = candidates[0]
    return remap


def _dominant(candidates: list[str], counts: dict[str, int] | None) -> list[str]:
    """The candidates named at least a tenth as often as the most named (``_DOMINANCE``): السبسي alone is the
    president, named 46 times, not his son, named once; كيري is John Kerry or Kerry Kennedy when both are named."""
    if counts is None or len(candidates) < 2:
        return candidates
    most = max(counts.get(c, 0) for c in candidates)
    return [c for c in candidates if counts.get(c, 0) * _DOMINANCE >= most]


def _shortest_of_chain(candidates: list[str], counts: dict[str, int] | None) -> list[str]:
    """The longer names a name begins, left to one when they are one name written ever longer (محمد بن سلمان
    بن عبدالعزيز, then ... آل سعود: the shortest, which takes the next in its turn); names with too few mentions
    to take it (a tagger's stray span, محمد بن نايف برقيتي) do not count."""
    if counts is not None:
        candidates = [c for c in candidates if counts.get(c, 0) >= _MIN_LONGER]
    words = {c: name_words(c) for c in candidates}
    return [c for c in candidates
            if not any(o != c and words[c][: len(words[o])] == words[o] for o in candidates)]


#: A longer person name takes a name it begins only with this many mentions, and at least a quarter as many as it
#: (or, past ``_WELL_ATTESTED`` mentions, however many the shorter has).
_MIN_LONGER = 2
_LONGER_SHARE = 4
_WELL_ATTESTED = 10
_DOMINANCE = 10


def _resolved(remap: dict[str, str]) -> dict[str, str]:
    """Each key sent to the end of its chain of remaps (a → b → c gives a → c; cycles stop where they close)."""
    final: dict[str, str] = {}
    for key in remap:
        seen = {key}
        target = remap[key]
        while target in remap and target not in seen:
            seen.add(target)
            target = remap[target]
        if target != key:
            final[key] = target
    return final


def variant_form(key: str) -> str:
    """The part of a key that spelling variants share: the name without articles, hamza seats folded. A word that
    is a given name with or without its article keeps it: محمود الحسن is not محمود حسن, الهادي not هادي (but
    عبدالله العتيبي is عبدالله عتيبي); so does a one-word name of every type, so that its readings share one form
    whatever their type (للهند read as a woman, هند, given its article back: الهند, the country)."""
    type_, _, name = key.partition(":")
    words = _COMPOUND.sub(r"\1", name.translate(_HAMZA_SEATS)).split(" ")
    given = given_names() if type_ == "PER" or len(words) == 1 else frozenset()
    return " ".join(word[2:] if word.startswith("ال") and len(word) > 4 and word not in given
                    and word[2:] not in given else word for word in words)


#: The first part of a compound name, written apart or joined (عبد العزيز/عبدالعزيز, أبو مازن/أبومازن).
_COMPOUND = re.compile(r"\b(عبد|ابو) (?=\S)")


#: Hamza seats that spellings of one name differ by (قائد/قايد, مسؤول/مسئول), folded for variant merging only.
_HAMZA_SEATS = str.maketrans({"ئ": "ي", "ؤ": "و", "ء": ""})


def archive_remap(key_counts: dict[str, int], key_articles: dict[str, int] | None = None) -> dict[str, str]:
    """Old key → new key for the whole archive (variants merged, one type per name, short person names merged
    into their one longer name); ``key_counts`` gives each article-level key's number of mentions, ``key_articles``
    (if known) its number of articles."""
    groups: dict[str, list[str]] = {}
    for key in key_counts:
        groups.setdefault(variant_form(key), []).append(key)
    remap: dict[str, str] = {}
    for form, keys in groups.items():
        if len(keys) < 2:
            continue
        city_and_club = _a_city_and_its_club(keys, key_counts, key_articles)
        if city_and_club is not None:
            remap.update(city_and_club)
            continue
        if " " in form:
            remap.update(_voted(keys, key_counts))
            continue
        # one word with and without the article are two words when one is an organization's name and the other
        # is no person's (الريال, Real Madrid, is no ريال, the currency): the type is voted within each form, and
        # the forms merge where they then share a type (فيفا, الفيفا); a place and a thing are one word that the
        # tagger reads two ways (منطقة اليورو, يورو), and so is a person and a thing (الإنسولين)
        winners = []
        split: dict[str, str] = {}
        for with_article in (False, True):
            part = [key for key in keys if key.partition(":")[2].startswith("ال") == with_article]
            votes = _voted(part, key_counts)
            split.update(votes)
            winners.extend({votes.get(key, key) for key in part})
        types = {key.partition(":")[0] for key in winners}
        forms = [[k for k in keys if k.partition(":")[2].startswith("ال") == with_article]
                 for with_article in (False, True)]
        stray = any(sum(key_counts[k] for k in form) < _OWN_FORM
                    or key_articles is not None and sum(key_articles.get(k, 0) for k in form) < _OWN_FORM_ARTICLES
                    for form in forms)
        if len(types) > 1 and ("ORG" not in types or "PER" in types or stray):
            # (a form named a few times, or in one article, is the tagger's stray reading: الإنسولين as a person)
            remap.update(_voted(keys, key_counts))
            continue
        remap.update(split)
        by_type: dict[str, list[str]] = {}
        for key in winners:
            by_type.setdefault(key.partition(":")[0], []).append(key)
        for same in by_type.values():
            remap.update(_voted(same, key_counts))  # (chains through a form's winner: _resolved, below)
    for key, count in key_counts.items():
        # the accusative of an indefinite noun (مليون دولارا): the noun, where the archive has it more often
        name = key.partition(":")[2]
        if key.startswith("MISC:") and " " not in name and name.endswith("ا") and len(name) > 3 and key not in remap:
            bare = "MISC:" + name[:-1]
            if key_counts.get(bare, 0) >= count:
                remap[key] = remap.get(bare, bare)
    remap.update(_without_the_sport(key_counts, remap))
    remap = _resolved(remap)
    totals = _counted_after(remap, key_counts)
    vowels = _long_vowel_variants(totals)
    remap = _resolved({**remap, **vowels})
    people = {key: count for key, count in _counted_after(vowels, totals).items() if key.startswith("PER:")}
    remap = _resolved({**remap, **cross_article_remap(people, people)})
    remap = _resolved({**remap, **first_and_family_remap(_counted_after(remap, people))})
    # a family name alone again, now that the longer names have merged and count their spellings together: its
    # one longer name may stand out now (بلاتر: سيب جوزيف بلاتر, not the tagger's بلاتر المستقيل named twice); a
    # first name alone is not asked again (جوزيف is not Blatter because he is the archive's most named جوزيف)
    merged = _counted_after(remap, people)
    again = cross_article_remap(merged, merged)
    return _resolved({**remap, **{key: target for key, target in again.items()
                                  if key not in remap and len(name_words(key)) == 1
                                  and name_words(target)[-1] == name_words(key)[0]}})


def _counted_after(remap: dict[str, str], counts: dict[str, int]) -> dict[str, int]:
    """Mentions per key once ``remap`` has sent keys to others: each target counts the mentions of all its keys."""
    totals: dict[str, int] = {}
    for key, count in counts.items():
        target = remap.get(key, key)
        totals[target] = totals.get(target, 0) + count
    return totals


#: Given names that open compound given names (محمد عماد, محمد أمين), whose second part is the name a person goes by.
_COMPOUND_OPENERS = frozenset({normalize("محمد")})


def first_and_family_remap(counts: dict[str, int]) -> dict[str, str]:
    """A person named by a given name and a family name (خالد العيسى, سيب بلاتر) and, in the same archive, by the
    same two with a father's or a middle name between (خالد بن عبد الرحمن العيسى, سيب جوزيف بلاتر) is one person,
    when exactly one such longer name exists: the less mentioned key → the more mentioned. Not when the last word
    follows بن (فيصل بن عبدالعزيز names a father, and many sons), nor when the two-word name holds a particle, nor
    after محمد without بن (``_COMPOUND_OPENERS``: محمد عماد الطرابلسي goes by عماد)."""
    longer: dict[tuple[str, str], list[str]] = {}
    for key in counts:
        words = name_words(key)
        if len(words) >= 3 and words[-2] not in NAME_PARTICLES and words[0] not in NAME_PARTICLES:
            longer.setdefault((words[0], words[-1]), []).append(key)
    remap: dict[str, str] = {}
    for key, count in counts.items():
        words = name_words(key)
        if len(words) != 2 or any(word in NAME_PARTICLES for word in words):
            continue
        candidates = longer.get(words, [])
        if len(candidates) != 1:
            continue  # أحمد الغامدي: two longer names, two people
        other = candidates[0]
        if words[0] in _COMPOUND_OPENERS and not NAME_PARTICLES.intersection(name_words(other)):
            continue  # محمد عماد الطرابلسي (Imed) is not محمد الطرابلسي; محمد بن ناصر الطرابلسي would be
        if counts[other] >= count:
            remap[key] = other
        else:
            remap[other] = key
    return remap


#: Long-vowel letters inside a word, which transcriptions of foreign names write or leave out (فرانسوا/فرنسوا
#: هولاند, ميشال/ميشيل بلاتيني, مانشستر/مانشستير يونايتد).
_INNER_VOWELS = re.compile("(?<=.)[اويى]")
#: Words this common are Arabic words, which a long vowel tells apart (الجمعية/الجامعة التونسية).
_COMMON_WORD = 4.5
#: A one-word name merges with its spelling without a long vowel only when this long (in letters), and when one
#: of the two spellings is rarer than ``_RARE_WORD`` (Zipf).
_ONE_WORD_LENGTH = 6
_RARE_WORD = 3.0


def _skeleton(word: str) -> str:
    """A word without the long vowels inside it (ترامب, ترمب → ترمب)."""
    return _INNER_VOWELS.sub("", word)


def spellings(aliases: Iterable[tuple[int, str]]) -> Iterator[tuple[str, str]]:
    """The words that one entity's names write with and without a long vowel, both ways round, from its
    (entity id, name) pairs sorted by entity: دونالد ترمب and دونالد ترامب give ترمب → ترامب and back, for a
    search of one to find the other (``arshif.query.expand``). The entity's own merging decided they are one."""
    for _, group in groupby(aliases, key=lambda pair: pair[0]):
        names = {tuple(normalize(alias).split()) for _, alias in group}
        if len(names) < 2:
            continue
        found = set()
        for a, b in combinations(sorted(names), 2):
            if len(a) != len(b):
                continue
            differ = [(x, y) for x, y in zip(a, b) if x != y]
            if len(differ) != 1:
                continue
            x, y = differ[0]
            # a vowel inside the word, not at its ends, nor a pattern of its stem (الأبطال, البطل); words that
            # share a stem are found as one already (المسلمون, المسلمين)
            stems = term_stem(x), term_stem(y)
            if (len(x) > 2 and x[-1] == y[-1] and x[:2] == y[:2] and _skeleton(x) == _skeleton(y)
                    and stems[0] != stems[1] and stems[0][:1] == stems[1][:1]):
                found.add((x, y))
        for x, y in sorted(found):
            yield x, y
            yield y, x


def _one_vowel_apart(a: str, b: str) -> bool:
    """Whether two words differ by one long vowel inside, written in one and left out of the other (بوليتيكا,
    بوليتكا; not بروتاني, برايتون, whose skeletons agree by two)."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if len(longer) != len(shorter) + 1:
        return False
    return any(longer[i] in "اويى" and longer[:i] + longer[i + 1:] == shorter for i in range(1, len(longer) - 1))


def _long_vowel_variants(counts: dict[str, int]) -> dict[str, str]:
    """Names of two words or more, of one type, spelled with and without long vowels inside one of their words
    (دونالد ترمب, دونالد ترامب; الخارجية الأمريكية, الأميركية): the less mentioned → the more mentioned. The words
    that differ must not both be common words (جمعية, جامعة) nor two given names (حامد, حمد), which the vowel
    tells apart; nor, in a person's name, Arabic family names with the article (الحمادي, الأحمد), nor a given name
    after the first word (حسام كمال, حسام كامل) or anywhere in another name (الشيخ زويد, الشيخ زايد). A name of one
    word merges too when it is long, one of its two spellings is a rare word and they are one vowel apart (the
    programme بوليتيكا, بوليتكا; not بروتاني, برايتون): a short or common word is an Arabic word, which its vowel
    tells apart."""
    groups: dict[tuple[str, str], list[str]] = {}
    for key in counts:
        type_, _, name = key.partition(":")
        words = name_words(key)
        if len(words) > 1 or len(words) == 1 and len(words[0]) >= _ONE_WORD_LENGTH:
            groups.setdefault((type_, " ".join(_skeleton(w) for w in words)), []).append(key)
    given = given_names()
    remap: dict[str, str] = {}
    for keys in groups.values():
        if len(keys) < 2:
            continue
        best = max(sorted(keys), key=lambda k: counts[k])
        for key in keys:
            if key == best:
                continue
            person = key.startswith("PER:")
            pairs = [(i, a, b) for i, (a, b) in enumerate(zip(name_words(key), name_words(best))) if a != b]
            if len(pairs) == 1 and all(
                    not (zipf(a) >= _COMMON_WORD and zipf(b) >= _COMMON_WORD) and not (a in given and b in given)
                    and not (person and (a.startswith("ال") or b.startswith("ال")))
                    and not ((not person or i > 0) and (a in given or b in given))
                    and (len(name_words(key)) > 1 or min(zipf(a), zipf(b)) < _RARE_WORD and _one_vowel_apart(a, b))
                    for i, a, b in pairs):
                remap[key] = best
    return remap


#: Mentions and articles that each article form of one word needs to keep a type of its own (الريال: 20 in 7).
_OWN_FORM = 5
_OWN_FORM_ARTICLES = 2


#: The sport that news adds to a competition's name (كأس تونس لكرة القدم), normalized.
_FOOTBALL = " " + key_form("لكرة القدم")


def _without_the_sport(key_counts: dict[str, int], remap: dict[str, str]) -> dict[str, str]:
    """A competition named with and without its sport (كأس تونس لكرة القدم, كأس تونس) is one: the less mentioned
    key → the more mentioned, where neither is sent elsewhere already."""
    out: dict[str, str] = {}
    for key, count in key_counts.items():
        if not key.startswith("MISC:") or not key.endswith(_FOOTBALL) or key in remap:
            continue
        short = key[: -len(_FOOTBALL)]
        if short in key_counts and short not in remap and " " in short.partition(":")[2]:
            if key_counts[short] >= count:
                out[key] = short
            else:
                out[short] = key
    return out


def _a_city_and_its_club(keys: list[str], key_counts: dict[str, int],
                         key_articles: dict[str, int] | None) -> dict[str, str] | None:
    """A city's name read as a place and as an organization, each well attested (``_OWN_FORM`` mentions in
    ``_OWN_FORM_ARTICLES`` articles), is two entities: the city and its club (برشلونة, روما, ليفربول). The keys of
    each type become one; the group's other readings go to the most mentioned of the two. None when the group is
    no such pair (one type is a stray reading, or the place is no city)."""
    def attested(part: list[str]) -> bool:
        return (sum(key_counts.get(k, 0) for k in part) >= _OWN_FORM and (
            key_articles is None or sum(key_articles.get(k, 0) for k in part) >= _OWN_FORM_ARTICLES))

    places = [k for k in keys if k.startswith("LOC:")]
    clubs = [k for k in keys if k.startswith("ORG:")]
    if not any(k.partition(":")[2] in city_names() for k in places) or not attested(places) or not attested(clubs):
        return None
    remap = {**_voted(places, key_counts), **_voted(clubs, key_counts)}
    larger = max((places, clubs), key=lambda part: sum(key_counts.get(k, 0) for k in part))
    most = max(sorted(larger), key=lambda k: key_counts.get(k, 0))
    remap.update((k, most) for k in keys if not k.startswith(("LOC:", "ORG:")))
    return remap


def _voted(keys: list[str], key_counts: dict[str, int]) -> dict[str, str]:
    """Each key → the one its group becomes: of the type most of the group's mentions have, the most mentioned
    key."""
    if len(keys) < 2:
        return {}
    votes: dict[str, int] = {}
    for key in keys:
        type_ = key.partition(":")[0]
        votes[type_] = votes.get(type_, 0) + key_counts.get(key, 0)
    winner_type = max(sorted(votes), key=lambda t: votes[t])
    winner = max(sorted(k for k in keys if k.startswith(winner_type + ":")), key=lambda k: key_counts.get(k, 0))
    return {key: winner for key in keys if key != winner}


def own_key(mention: Mention) -> tuple[str, str | None]:
    """The key a mention has by itself, and the canonical name it links to (if any)."""
    canonical = mention.canonical
    if mention.type == "LOC":
        form = key_form(canonical or mention.surface)
        country = country_names().get(form) or (None if canonical else demonym_forms().get(form))
        canonical = country or canonical
    if canonical:
        return entity_key(mention.type, canonical), canonical
    return entity_key(mention.type, mention.surface), None


ROLE_WORDS_BACK = 6


def role_before(text: str, mention: Mention) -> str | None:
    """The title written just before a person's name (وزير الخارجية الروسي سيرغي لافروف → وزير الخارجية الروسي):
    words back from the name that are titles, their complements, demonyms or countries, starting with a title."""
    before = text[max(0, mention.start - 120) : mention.start]
    words = list(tokens(before))[-ROLE_WORDS_BACK:]
    countries, demonyms = country_names(), demonym_forms()
    start = None
    end = len(words)
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        following = words[index + 1].start if index + 1 < len(words) else len(before)
        if before[word.end : following].strip():  # punctuation between: not the same phrase
            break
        form = key_form(word.text)
        bare = strip_proclitics(form)[1] if form not in TITLES else form
        if form in TITLES or bare in TITLES:
            start = index
        elif (form in HEADS or bare in HEADS) and index < end - 1:  # قائد alone is no role (الباجي قائد السبسي)
            start = index
        elif not (form in COMPLEMENTS or form in demonyms or form in countries):
            break
    if start is None:
        return None
    first = words[start]
    offset = 0 if key_form(first.text) in TITLES | HEADS else proclitic_offset(first.text, key_form(first.text))
    return before[first.start + offset : words[end - 1].end]


def link_article(text: str, mentions: list[Mention]) -> list[LinkedMention]:
    """Link the mentions of one article; returns them (roles stripped) with their entity keys in the article."""
    prepared = []
    for mention in mentions:
        if mention.type == "PER" and mention.kind == "name":
            stripped = strip_role(text, mention)
            if stripped.start != mention.start:  # demonyms of the role count too (وزير الخارجية الروسي)
                for demonym in extractor().extract(text[mention.start : stripped.start]):
                    start, end = demonym.start + mention.start, demonym.end + mention.start
                    if not any(o is not mention and o.start < end and start < o.end for o in mentions):
                        prepared.append(replace(demonym, start=start, end=end))
            mention = stripped
            if mention.role is None:
                mention = replace(mention, role=role_before(text, mention))
        prepared.append(mention)
    prepared = _split_joined_names(text, [_with_article(text, m) for m in prepared])
    prepared.sort(key=lambda m: (m.start, m.end))
    owns = [own_key(m) for m in prepared]

    # person names of this article: key → tokens; each merges into the longest name containing it
    people = {
        key: name_words(key)
        for (key, canonical), mention in zip(owns, prepared)
        if mention.type == "PER" and canonical is None
    }
    target: dict[str, str] = {}
    for key, words in people.items():
        containers = [
            other for other, longer in people.items() if len(longer) > len(words) and _names_within(longer, words)
        ]
        if not containers:
            continue
        longest = max(containers, key=lambda other: len(people[other]))
        if all(_contains(people[longest], people[other]) for other in containers):
            target[key] = longest
    names = given_names()
    starts = {m.start for m in prepared}
    titles = {}  # key → the last words of its mentions' roles (الملك, الامير)
    for mention, (key, _) in zip(prepared, owns):
        if mention.role:
            titles.setdefault(key, set()).add(key_form(mention.role).split(" ")[-1])
    linked = []
    for mention, (key, canonical) in zip(prepared, owns):
        if mention.type == "PER" and canonical is None and (named_after_a_king(text, mention)
                                                            or named_after_a_person(text, mention)):
            continue  # مطار الملك خالد, مستشفى فرحات حشاد: a place or an institution, not the person
        if (key in people and key not in target and len(people[key]) == 1 and canonical is None
                and a_noun_before_its_complement(text, mention, people[key][0], starts)):
            continue  # مشرف البرنامج, هوى الذهب: a common noun, not a surname alone
        if key in people and " ".join(people[key]) in names:
            # a king's given name is that king (الملك عبد العزيز, الملك فهد: one person each, named with the
            # title), unless the article names him in full (الملك سلمان ... سلمان بن عبد العزيز), not as a prince;
            # another given name alone (محمد, خالد) is a person only as part of a full name of the article
            king = mention.role and key_form(mention.role).split(" ")[-1] == _KING
            if king and (key not in target or titles.get(target[key], set()) - {_KING} == {_PRINCE}):
                canonical = f"الملك {mention.surface}"
                key = entity_key("PER", canonical)
            elif key not in target:
                continue
        linked.append(LinkedMention(**{**mention.__dict__, "canonical": canonical or mention.canonical,
                                       "entity_key": target.get(key, key), "full": key not in target}))
    return linked


#: How common a word must be, bare and with the article, to be read as a noun before its complement.
_COMMON_NOUN_ZIPF = 3.0


def a_noun_before_its_complement(text: str, mention: Mention, word: str, starts: set[int]) -> bool:
    """A one-word person span (``word``, its key form) that is a common noun before its complement (مشرف البرنامج,
    هوى الذهب, عراب الكوميديا). The word is common both bare and with the article, and no given name, nisba or place
    name; no title stands before it. The next word, one blank after it and no mention of its own (``starts``), takes
    the article and is neither a nisba, which would be a family name that the tagger left out (فايز المالكي), nor a
    title in apposition (غالي المتحدث الرسمي)."""
    other = word[2:] if word.startswith("ال") else "ال" + word
    names = given_names()
    if (mention.role or word in names or other in names or mention.surface.endswith("ي")
            or word in city_names() or other in city_names() or word in country_names()
            or other in country_names()
            or zipf(word) < _COMMON_NOUN_ZIPF or zipf(other) < _COMMON_NOUN_ZIPF):
        return False  # a title before it (الرئيس روحاني), a nisba (غالي), a place's name (كاميرون)
    after = next(tokens(text[mention.end : mention.end + 40]), None)
    if after is None or text[mention.end : mention.end + after.start] not in (" ", "\n") or (
            mention.end + after.start in starts):
        return False
    following = key_form(after.text)
    return following.startswith("ال") and not following.endswith("ي") and following not in TITLES


_KING = key_form("الملك")
_PRINCE = key_form("الأمير")
#: Nouns before a king's name that make it the name of a place or an institution (مطار الملك خالد الدولي, جسر
#: الملك فهد, دارة الملك عبد العزيز), normalized and without the article.
_NAMED_AFTER_KINGS = frozenset(
    key_form(word)
    for word in (
        "مطار جسر طريق شارع حديقة حدائق جامع مسجد دارة ملعب استاد مكتبة مدينة متنزه منتزه قاعدة ميناء مجمع برنامج "
        "جائزة مستشفى جامعة كلية معهد مركز مؤسسة مشروع قصر حي ميدان دوار كورنيش مدرسة صالة واحة"
    ).split()
)


def named_after_a_king(text: str, mention: Mention) -> bool:
    """A person span that is a king's name inside the name of a place or an institution (مطار [الملك خالد] الدولي,
    جسر الملك [فهد])."""
    if "ملك" not in text[max(0, mention.start - 8) : mention.end]:
        return False  # no الملك right before or at the start of the span: most person mentions stop here
    before = list(tokens(text[max(0, mention.start - 60) : mention.start]))
    words = [key_form(t.text) for t in before]
    if not key_form(mention.surface).startswith(_KING + " "):
        if not words or words[-1] != _KING:
            return False
        words = words[:-1]
    if not words:
        return False
    word = words[-1]
    return word in _NAMED_AFTER_KINGS or strip_proclitics(word)[1] in _NAMED_AFTER_KINGS or (
        word[:1] in "وبلف" and word[1:] in _NAMED_AFTER_KINGS)


#: Nouns of places and institutions that are named after people (مستشفى فرحات حشاد, شارع الحبيب بورقيبة, ملعب
#: مصطفى بن جنات), normalized and without the article. Not the nouns whose complement is as often a possessor
#: (برنامج ترامب, مشروع, قصر, مركز, جائزة: "Trump's programme"; نهج, a street in Tunis and "approach" elsewhere).
_NAMED_AFTER_PEOPLE = frozenset(
    key_form(word)
    for word in (
        "مستشفى مطار جسر شارع طريق ساحة بطحاء حديقة منتزه جامع مسجد ملعب استاد مدرسة معهد جامعة كلية مكتبة "
        "قاعة مجمع"
    ).split()
)
#: Those of them that take an adjective before the name (المستشفى الجهوي محمد بورقيبة, المعهد الثانوي ...); not
#: الملعب (الملعب القابسي is a club, and a player's name may follow it in a line-up).
_NAMED_AFTER_PEOPLE_WITH_ADJECTIVE = INSTITUTIONS_NAMED_AFTER_PEOPLE


def named_after_a_person(text: str, mention: Mention) -> bool:
    """A full name (two words or more) right after a noun of a place or an institution named after people,
    without the article (مستشفى فرحات حشاد, بشارع محمد الخامس), or with it and an adjective (المستشفى الجامعي فرحات
    حشاد): the place's name, not the person. A definite noun right before a name is a role (مدير المدرسة علي بن
    احميد)."""
    if " " not in mention.surface.strip():
        return False
    offset = max(0, mention.start - 40)
    before = list(tokens(text[offset : mention.start]))
    if not before or text[offset + before[-1].end : mention.start].strip():
        return False  # punctuation between: another phrase
    clitics, noun = strip_proclitics(key_form(before[-1].text))
    if noun in _NAMED_AFTER_PEOPLE:
        return not clitics.endswith("ال")
    if len(before) < 2 or not (clitics.endswith("ال") and noun.endswith("ي")):
        return False  # no adjective (الجامعي, الجهوي) between
    clitics, noun = strip_proclitics(key_form(before[-2].text))
    return noun in _NAMED_AFTER_PEOPLE_WITH_ADJECTIVE and clitics.endswith("ال")


def _split_joined_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Two people written side by side and tagged as one (ترامب بوتين) become two mentions, when each part ends
    the name of a person named elsewhere in the article (دونالد ترامب ... فلاديمير بوتين) and the whole is named
    nowhere."""
    names = [tuple(key_form(m.surface).split(" ")) for m in mentions]
    people = [(i, words) for i, (m, words) in enumerate(zip(mentions, names)) if m.type == "PER" and m.kind == "name"]
    result: list[Mention] = []
    for index, mention in enumerate(mentions):
        words = names[index]
        split = None
        if mention.type == "PER" and mention.kind == "name" and not mention.canonical and len(words) >= 2:
            others = [w for i, w in people if i != index and w != words]
            named_whole = any(w == words for i, w in people if i != index)  # جيب بوش again: one person
            if not named_whole and not any(_contains(other, words) for other in others):
                for k in range(1, len(words)):
                    left, right = words[:k], words[k:]
                    if right[0] in NAME_PARTICLES or left[-1] in NAME_PARTICLES:
                        continue  # سلمان بن عبد العزيز is one name: بن joins its parts
                    # each part ends another person's name (a surname), and no name holds both
                    holders_left = [o for o in others if o[-len(left):] == left and not _contains(o, right)]
                    holders_right = [o for o in others if o[-len(right):] == right and not _contains(o, left)]
                    if holders_left and holders_right:
                        split = k
                        break
        if split is None:
            result.append(mention)
            continue
        toks = list(tokens(mention.surface))
        for part in (toks[:split], toks[split:]):
            start, end = mention.start + part[0].start, mention.start + part[-1].end
            result.append(replace(mention, start=start, end=end, surface=text[start:end],
                                  role=mention.role if part is toks[:split] else None))
    return result


def _with_article(text: str, mention: Mention) -> Mention:
    """A name whose article was eaten by the preposition ل (للأمم المتحدة → أمم المتحدة) gets it back in its
    canonical form, so that it is the same entity as الأمم المتحدة."""
    if mention.canonical or mention.kind != "name":
        return mention
    begin = mention.start
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    prefix = normalize(text[begin : mention.start])
    if prefix.endswith("لل") and prefix in ("لل", "ولل", "فلل") and not key_form(mention.surface).startswith("ال"):
        return replace(mention, canonical="ال" + mention.surface)
    return mention
