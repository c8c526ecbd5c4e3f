"""Titles of works: a programme, a film, a series, a song or a novel named in quotes right after its noun.

News names a work by its noun and its title in quotes: برنامج "بوليتيكا", فيلم «شاين», مسلسل «باب الحارة», ضيف
"بوليتكا" (the guest of a programme). The title is one MISC mention, whatever the words inside it look like: the
taggers read such titles as people (الوسترن «شاين»), organizations (برنامج "بوليتيكا") or cut them (آنت [مان]).
Up to two adjectives with the article may stand between the noun and the quote (البرنامج الإذاعي «...»). Without
quotes nothing is matched: برنامج الأمم المتحدة للتنمية is the UN's programme, not a title.
"""

from __future__ import annotations

from ..text.clitics import NAME_PROCLITICS
from ..text.normalize import normalize
from ..text.tokenize import QUOTE_PAIRS, normalized_tokens
from .extractor import Mention

#: Nouns of works whose quoted title follows them (كتاب is left out: it is also "writers", كتاب «الشرق الأوسط»).
WORK_NOUNS = frozenset(normalize(word) for word in (
    "برنامج برنامجه برنامجها مسلسل مسلسله فيلم فيلمه فيلمها أفلام الأفلام أغنية أغنيته أغنيتها ألبوم ألبومه ألبومها "
    "مسرحية رواية روايته روايتها ديوان قصيدة أوبريت كليب "
    # the guest of a programme (ضيف "بوليتكا", ضيفة "ميدي شو")
    "ضيف ضيفة").split())
#: Adjectives with the article that may stand between a work's noun and its title (الإذاعي, الوثائقي, الجديد).
MAX_ADJECTIVES = 2
#: The longest title read, in tokens; a quote left open runs no further.
MAX_TITLE_TOKENS = 8
#: Characters that end a sentence: a title never holds one.
_SENTENCE_END = frozenset(".!?؟\n:؛")


#: Every written form of a work's noun: the noun behind its proclitics or the article (لبرنامج, البرنامج, للبرنامج).
_WORK_FORMS = frozenset(form for noun in WORK_NOUNS
                        for form in (noun, "ال" + noun, "لل" + noun, *(c + noun for c in NAME_PROCLITICS),
                                     *(c + "ال" + noun for c in NAME_PROCLITICS), *(c + "لل" + noun for c in "وف")))


def is_work_noun(normalized: str) -> bool:
    """Whether a normalized word is a work's noun, behind its proclitics or the article (لبرنامج, البرنامج)."""
    return normalized in _WORK_FORMS


class WorkExtractor:
    """Quoted titles after a work's noun, as MISC mentions (the quotes stay outside the span)."""

    name = "works"

    def extract(self, text: str) -> list[Mention]:
        toks, norms = normalized_tokens(text)
        if _WORK_FORMS.isdisjoint(norms):
            return []
        found: list[Mention] = []
        after = 0
        for index, norm in enumerate(norms):
            if toks[index].start < after or norm not in _WORK_FORMS:
                continue
            mention = self._title_after(text, toks, norms, index)
            if mention is not None:
                found.append(mention)
                after = mention.end
        return found

    @staticmethod
    def _title_after(text: str, toks, norms, index: int) -> Mention | None:
        for _ in range(MAX_ADJECTIVES + 1):
            if index + 1 >= len(toks):
                return None
            gap = text[toks[index].end:toks[index + 1].start].strip(" \t")
            if len(gap) == 1 and gap in QUOTE_PAIRS:
                return _quoted(text, toks, index + 1, QUOTE_PAIRS[gap])
            if gap or not norms[index + 1].startswith("ال"):
                return None
            index += 1  # an adjective: البرنامج الإذاعي «...»
        return None


def _quoted(text: str, toks, first: int, closing: str) -> Mention | None:
    """The title from token ``first`` (right after the opening quote) up to the closing quote, or None when the
    quote does not close within ``MAX_TITLE_TOKENS`` tokens of one sentence."""
    for last in range(first, min(first + MAX_TITLE_TOKENS, len(toks))):
        after = toks[last + 1].start if last + 1 < len(toks) else len(text)
        between = text[toks[last].end:after]
        if closing in between:
            if between.split(closing, 1)[0].strip(" \t"):
                return None  # punctuation inside the title before its close: no clean title
            start, end = toks[first].start, toks[last].end
            return Mention(start, end, text[start:end], "MISC")
        if set(between) & _SENTENCE_END or any(q in between for q in QUOTE_PAIRS):
            return None
    return None
