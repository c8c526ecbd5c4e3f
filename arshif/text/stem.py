"""Light stemming of normalized Arabic tokens, for search (never for display).

``stem(word)`` takes a token that already went through ``arshif.text.normalize.normalize`` (so ة is ه, ى is
ي, alef carries no hamza) and returns its light stem: proclitics and a few inflectional suffixes removed.

Proclitics (``strip_proclitics``):

* the article and what can stand before it: ال وال فال بال كال لل وبال فبال وكال فكال ولل فلل, when at least
  two letters remain. Relative pronouns and ``الله`` keep their ``ال`` (والله → الله, لله → الله).
* the one-letter clitics و ف (conjunctions), ب ك ل (prepositions) and س (future, before ي ت ن ا), stacked as
  (و|ف)?(ب|ك|ل|س)?. A letter is taken off only when the word is **not** attested as a word of its own and
  the rest **is** a known word. The evidence comes from word counts (``data/stem_lexicon.tsv``, built by
  ``bench/build_lexicon.py`` from an Apache-2.0 news corpus) and a hand-written list of words whose first
  letter belongs to them (``data/stem_keep.txt``: فلسطين, لبنان, بغداد, وزير, بنك ...):

  - the word is a base if it occurs with the article (الوزير, البنك, البلديه) or with a clitic that cannot be
    stacked in front of the letter in question (ووزير, بلبنان, وفرنسا), or if it is far more frequent than the
    rest (وزير vs زير);
  - the rest is known if it (or it with the article, or its suffix-stripped form) occurs in the counts.

  Words of three letters lose و or ف only before a function word (وهو, ولا, فقد), so وطن, وقف, وجد keep theirs.

Suffixes (after Larkey's light10, with the guards below): ها; ات (قوات → قوه when only two letters remain);
ون/ين/ان only when the other form of the same plural or dual is attested (مسلمون/مسلمين, اثنان/اثنين), so
فلسطين, لبنان, ايران keep their ending; then ه and ي when three letters remain.

The function is pure (the data files are read once) and cached.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .normalize import normalize

from .clitics import ARTICLE_FORMS, CONJUNCTIONS, FUTURE, IMPERFECT_PREFIXES, PREPOSITIONS
from .clitics import CLITIC_LETTERS as _CLITIC_LETTERS

_ARTICLE_SET = frozenset(ARTICLE_FORMS)

#: Words that start with ال but carry no article.
NOT_ARTICLE = frozenset(
    "الله الذي التي الذين اللذين اللذان اللتين اللتان اللاتي اللواتي اللائي الا الي الف الاف الفا الفي الان".split()
)
#: Two-letter words after which a leading و or ف is a conjunction.
FUNCTION_WORDS_2 = frozenset(
    "هو هي هم هن لا ما من في قد ان لم لن كل مع عن او ذا له لي به بي كم لك اي اذ اذا ال لو يا ثم كي بل نحن انا".split()
)
#: Words never stripped (function words that look like clitic + word: كان is not ك + ان).
FUNCTION_WORDS = frozenset(
    "كان كانت كانوا كانا كما كلما كذلك كيف كيفما كل كلا كلتا كي لكن لكي لكنه لكنها لما لماذا لم لن لا لدي لدى"
    " لدينا لديه لديها لديهم لذا لذلك لهذا لها له لهم لهما لهن لي لو لولا ليس ليست ليسوا لان لاي بين بينما بل"
    " بعد بعض بها به بهم بدون بسبب بحسب بشان بواسطه فقط فوق فيه فيها فيما في فان فلا فهو فهي سوف سوي ولا ولم"
    " ولن وما ومن وفي وهو وهي وقد".split()
)
#: Which clitics can be stacked in front of a letter: (و|ف) before ب ك ل س. A clitic q with q + c not a
#: possible stack shows, when q + word occurs, that the word's first letter c is its own.
_UNSTACKABLE = {
    "و": "وفكل",  # not ب: Maghrebi names start with بو (بوزيد, بوروسيا), which is no ب + و...
    "ف": "وفبكل",
    "ب": "بكل",
    "ك": "بكل",
    "ل": "بك",
    "س": "بكل",
}
_RATIO = {"و": 30.0, "ف": 4.0, "ب": 4.0, "ك": 4.0, "ل": 4.0, "س": 4.0}
_MIN_KNOWN = 2
_KEEP_WEIGHT = 1000


class _Lexicon:
    """Word counts and the hand-written keep list, loaded once."""

    def __init__(self) -> None:
        data = resources.files("arshif.text").joinpath("data")
        counts: dict[str, int] = {}
        for line in data.joinpath("stem_lexicon.tsv").read_text("utf-8").splitlines():
            if line and not line.startswith("#"):
                word, count = line.split("\t")
                counts[word] = int(count)
        keep: set[str] = set()
        for line in data.joinpath("stem_keep.txt").read_text("utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                keep.add(normalize(line))
        self.counts = counts
        self.keep = frozenset(keep)
        stems: dict[str, int] = {}
        for word, count in counts.items():
            bare = word[2:] if word.startswith("ال") and len(word) > 3 else word
            key = _strip_suffixes(bare, counts)
            stems[key] = stems.get(key, 0) + count
        self.suffix_stems = stems

    def attested(self, word: str) -> int:
        counts = self.counts
        return counts.get(word, 0) + counts.get("ال" + word, 0)

    def known(self, word: str) -> int:
        """How much evidence there is that ``word`` is a word on its own."""
        if word in self.keep:
            return _KEEP_WEIGHT
        direct = self.attested(word)
        return max(direct, self.suffix_stems.get(_strip_suffixes(word, self.counts), 0) if direct < _MIN_KNOWN else 0)

    def base(self, word: str) -> int:
        """Evidence that the first letter of ``word`` is its own: the article or an unstackable clitic before it."""
        counts = self.counts
        total = counts.get("ال" + word, 0)
        for clitic in _UNSTACKABLE.get(word[0], ""):
            total += counts.get(clitic + word, 0)
        return total


_lexicon: _Lexicon | None = None


def _lex() -> _Lexicon:
    global _lexicon
    if _lexicon is None:
        _lexicon = _Lexicon()
    return _lexicon


def _strip_suffixes(word: str, counts: dict[str, int]) -> str:
    n = len(word)
    if n < 4:
        return word
    end = word[-2:]
    if n >= 5 and end == "ها":
        word = word[:-2]
        n -= 2
        end = word[-2:]
    if end == "ات":
        if n >= 4:
            word = word[:-2] if n >= 5 else word[:-2] + "ه"
            n = len(word)
    elif n >= 5 and (end == "ون" or end == "ين" or end == "ان"):
        stem = word[:-2]
        get = counts.get
        if end == "ان":
            plural = get(stem + "ين", 0) or get("ال" + stem + "ين", 0)
        elif end == "ون":
            plural = stem[-1] == "ي" or get(stem + "ين", 0) or get("ال" + stem + "ين", 0)
        else:
            plural = (
                stem[-1] == "ي"
                or get(stem + "ون", 0)
                or get("ال" + stem + "ون", 0)
                or get(stem + "ان", 0)
                or get("ال" + stem + "ان", 0)
            )
        if plural:
            word = stem
            n -= 2
    if n >= 4 and word[-1] == "ه":
        word = word[:-1]
        n -= 1
    if n >= 4 and word[-1] == "ي":
        word = word[:-1]
    return word


def _takes_clitic(clitic: str, word: str, lex: _Lexicon) -> bool:
    """Whether the first letter of ``word`` (== ``clitic``) is a proclitic."""
    rest = word[1:]
    if word in lex.keep or word in FUNCTION_WORDS or len(rest) < 2:
        return False
    if len(rest) == 2:
        return clitic in CONJUNCTIONS and rest in FUNCTION_WORDS_2
    if clitic == FUTURE and rest[0] not in IMPERFECT_PREFIXES:
        return False
    known = lex.known(rest)
    if clitic in CONJUNCTIONS and rest[0] in PREPOSITIONS + FUTURE and len(rest) > 3 and _takes_clitic(rest[0], rest, lex):
        known = max(known, lex.known(rest[1:]))  # ولسوريا: و + ل + سوريا
    if known < _MIN_KNOWN:
        return False
    own = lex.base(word)
    count = lex.counts.get(word, 0)
    if own >= 2 and (own * 20 >= known or own * 10 >= count):
        return False
    if count >= 3 and count > _RATIO[clitic] * known:
        return False
    return True


@lru_cache(maxsize=1 << 18)
def strip_proclitics(word: str) -> tuple[str, str]:
    """Split a normalized word into (proclitics, rest): وبالمفاوضات → ("وبال", "مفاوضات"), وزير → ("", "وزير")."""
    if len(word) < 3:
        return "", word
    lex = _lex()
    if word == "لله":
        return "ل", "الله"
    if word[0] not in _CLITIC_LETTERS:
        return "", word
    for size in (4, 3, 2):
        form = word[:size]
        if form in _ARTICLE_SET and len(word) - size >= 2:
            rest = word[size:]
            head = form[:-2]  # the clitics before ال (or before the ل of لل)
            if form.endswith("لل"):
                head = form[:-2] + "ل"
                inner = "ال" + rest
                if inner in NOT_ARTICLE or rest == "ه":
                    return head, "الله" if rest == "ه" else inner
                # للبنان is ل + لبنان, not لل + بنان
                if lex.known("ل" + rest) > lex.known(rest):
                    break
                return form, rest
            inner = "ال" + rest
            if inner in NOT_ARTICLE:
                return head, inner
            if head and (word in lex.keep or (lex.base(word) >= 2 and lex.base(word) >= lex.known(rest))):
                break  # والده: والد + ه, not و + ال + ده
            return form, rest
    prefix = ""
    rest = word
    for allowed in (CONJUNCTIONS + PREPOSITIONS + FUTURE, PREPOSITIONS + FUTURE):
        if len(rest) < 3 or rest[0] not in allowed or not _takes_clitic(rest[0], rest, lex):
            break
        prefix += rest[0]
        rest = rest[1:]
        if prefix in CONJUNCTIONS:
            inner_prefix, inner = strip_proclitics(rest)
            if inner_prefix[-2:] in ("ال", "لل") or inner_prefix == "ل" and inner == "الله":
                return prefix + inner_prefix, inner
        elif prefix[-1] in PREPOSITIONS + FUTURE:
            break
    return prefix, rest


@lru_cache(maxsize=1 << 20)
def stem(word: str) -> str:
    """The light stem of a normalized token (see the module docstring). Non-Arabic tokens come back unchanged."""
    if len(word) < 3 or not ("\u0621" <= word[0] <= "\u064a"):
        return word
    _, rest = strip_proclitics(word)
    if rest in NOT_ARTICLE or rest in FUNCTION_WORDS:
        return rest
    return _strip_suffixes(rest, _lex().counts)


def is_base(word: str) -> bool:
    """Whether the stemmer's own evidence shows that the first letter of ``word`` belongs to it (keep list,
    function words, or the word seen after the article or an unstackable clitic in its counts)."""
    return word in FUNCTION_WORDS or word in NOT_ARTICLE or word in _lex().keep or _lex().base(word) >= 2
