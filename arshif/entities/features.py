"""Token features for the CRF named-entity tagger (PER, LOC, ORG, MISC).

Features are computed once per word *type* and cached (``WordFeatures``); a sentence's feature lists are then
assembled from the cached per-type lists plus a few window features (neighbours, gazetteer phrase matches,
trigger words).  The levers:

* clitic-aware segmentation: و ف / ب ك ل / ال (and لل) are split off a word when the rest is a known word, so
  ``وموسكو`` carries the features of ``موسكو`` (``segment``); the same rule decides where a mention starts;
* prefix / suffix character n-grams of the normalized stem;
* gazetteer phrase matches (``data/gazetteer.tsv``: CLDR, ISO 3166 and GeoNames Arabic place names, a small list
  of Arabic personal names; see ``data/SOURCES.md``);
* word clusters (``data/clusters.tsv``: k-means over word2vec vectors trained on unlabeled news, two levels)
  and corpus frequency;
* trigger words (titles, organisation and place nouns) in a window;
* document-level consistency is applied at tag time by ``arshif.entities.crf``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Iterator, Sequence

from arshif.text.clitics import CONJUNCTIONS, PREPOSITIONS, PRONOUN_SUFFIXES
from arshif.text.normalize import normalize

DATA_PACKAGE = "arshif.entities"
GAZETTEER_FILE = "data/gazetteer.tsv"
CLUSTERS_FILE = "data/clusters.tsv"

# Trigger words, written in plain spelling and normalized at load time.  A trigger says something about the
# word that follows (a title before a person, a noun before an organisation or a place name).
_TRIGGERS = {
    "PER": """الرئيس رئيس الرئيسة وزير وزيرة الوزير الشيخ السيد السيدة الملك الملكة الأمير الأميرة الدكتور د
        المتحدث الناطق العاهل نائب السفير اللواء العميد العقيد الجنرال المستشار الأمين المدرب مدرب اللاعب لاعب
        الفنان الفنانة الكاتب الشاعر المطرب المطربة الممثل الممثلة المخرج الزعيم القائد البابا الإمام المفتي
        الأستاذ المهندس المحامي القاضي النائب الرئيسان السناتور المرشح رئيسة زعيم قائد نجم مؤسس مدير المدير
        المبعوث الوسيط الجنرال المشير الفريق الرائد النقيب الحاج السلطان الخليفة المطران البطريرك الحاخام
        المستشارة الوزيرة الصحفي المراسل الباحث البروفيسور الخبير""",
    "PERV": """قال قالت أكد أكدت أضاف أضافت أعلن أعلنت صرح صرحت أوضح أوضحت أشار أشارت ذكر ذكرت التقى استقبل
        دعا دعت اعتبر اعتبرت""",
    "ORG": """جامعة حزب وكالة شركة منظمة مجلس وزارة حركة جمعية اتحاد بنك مصرف مؤسسة هيئة لجنة نادي صحيفة جريدة
        قناة مركز معهد جبهة مجموعة تنظيم الجيش جيش محكمة برلمان البرلمان الكونغرس الكونجرس حكومة منتدى صندوق
        رابطة نقابة إذاعة تلفزيون مجلة كلية أكاديمية مستشفى الوكالة الشركة المنظمة الحزب الجامعة الحركة""",
    "LOC": """مدينة محافظة ولاية جزيرة نهر بحر منطقة عاصمة إقليم قرية بلدة شمال جنوب شرق غرب وسط جبل جبال
        مقاطعة العاصمة المدينة دولة بلاد مخيم حي شارع ميناء مطار خليج قطاع الضفة صحراء سواحل ساحل شمالي جنوبي
        شرقي غربي""",
}

_PROCLITIC_CONJ = CONJUNCTIONS
_PROCLITIC_PREP = PREPOSITIONS
_PRONOUN_SUFFIXES = PRONOUN_SUFFIXES
_ARABIC = re.compile("[\u0621-\u064A]")
_LATIN = re.compile("[a-z]")
_DIGIT = re.compile("[0-9]")
_WORDCHAR = re.compile(r"[^\W_]")
_STRIP = re.compile(r"^[\W_]+|[\W_]+$")
_NISBA = ("ي", "يه", "يين", "يون")

CACHE_SIZE = 60_000  # word types kept in a WordFeatures cache (about 2 KB each)

# Neighbour features: which of a word's cached features are copied (with an offset prefix) to its neighbours.
WINDOW = (-2, -1, 1, 2)
#: (prefix of the features a word gives to the neighbour at each WINDOW offset, whether that offset is 1 away)
_OFFSET_PREFIXES = tuple((f"{off}:", off in (-1, 1)) for off in WINDOW)


@lru_cache(maxsize=1)
def triggers() -> dict[str, str]:
    """Normalized trigger word -> trigger class."""
    table: dict[str, str] = {}
    for kind, words in _TRIGGERS.items():
        for word in words.split():
            table.setdefault(normalize(word), kind)
    return table


def gazetteer_matches(stems: Sequence[str]) -> Iterator[tuple[int, int, str]]:
    """``(start, width, type)`` of the gazetteer phrase that starts at each stem of a sentence (longest first;
    a leading ال may be left off), for the CRF's and the neural tagger's gazetteer features."""
    table = gazetteer()
    n = len(stems)
    for i, stem in enumerate(stems):
        entries = table.get(stem)
        if entries is None and stem.startswith("ال"):
            entries = table.get(stem[2:])
        for words, kind in entries or ():
            m = len(words)
            if i + m <= n and (m == 1 or tuple(stems[i + 1:i + m]) == words[1:]):
                yield i, m, kind
                break


_MATCHES: dict[tuple[str, ...], tuple[tuple[int, int, str], ...]] = {}  # recent sentences' gazetteer_matches
_MATCHES_KEPT = 4096  # sentences kept in _MATCHES (emptied when full)


def sentence_matches(stems: Sequence[str]) -> tuple[tuple[int, int, str], ...]:
    """``gazetteer_matches`` of a sentence, remembered for the last few thousand sentences: the CRF and the
    neural tagger of the ensemble both ask for the same sentences."""
    key = tuple(stems)
    found = _MATCHES.get(key)
    if found is None:
        if len(_MATCHES) >= _MATCHES_KEPT:
            _MATCHES.clear()
        found = _MATCHES[key] = tuple(gazetteer_matches(key))
    return found


@lru_cache(maxsize=1)
def clusters() -> dict[str, tuple]:
    """Normalized word -> (corpus count, cluster id at each level, coarse to fine); empty if the file is missing."""
    table: dict[str, tuple] = {}
    try:
        text = resources.files(DATA_PACKAGE).joinpath(CLUSTERS_FILE).read_text("utf-8")
    except FileNotFoundError:
        return table
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        word, count, *levels = line.split("\t")
        table[word] = (int(count), *levels)
    return table


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word of a normalized gazetteer phrase -> [(phrase words, type)], longest phrases first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    try:
        text = resources.files(DATA_PACKAGE).joinpath(GAZETTEER_FILE).read_text("utf-8")
    except FileNotFoundError:
        return table
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        phrase, kind = line.split("\t")[:2]
        words = tuple(phrase.split())
        if words:
            table.setdefault(words[0], []).append((words, kind))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


def _count(word: str) -> int:
    entry = clusters().get(word)
    return entry[0] if entry else 0


@lru_cache(maxsize=50_000)
def segment(norm: str) -> tuple[str, str]:
    """Split a normalized word into (proclitics, rest): ``ومموسكو`` -> (``و``, ``موسكو``).

    A proclitic sequence (و/ف, then ب/ك/ل, or لل) is split off only when the rest is at least as frequent in the
    unlabeled news as the whole word (so ``واشنطن``, ``بغداد``, ``لبنان`` stay whole) or, for unknown words,
    when what follows is the article ال.  The article itself stays with the word (``والرياض`` -> ``الرياض``).
    """
    if len(norm) < 4 or not _ARABIC.match(norm):
        return "", norm
    if any(len(words) == 1 for words, _ in gazetteer().get(norm, ())):
        return "", norm  # a known name (فراس, لبنان) is not split
    whole = _count(norm)
    best = ("", norm)
    candidates = []
    i = 0
    if norm[0] in _PROCLITIC_CONJ:
        candidates.append(1)
        i = 1
    if norm.startswith("لل", i):
        candidates.append(i + 2)
    elif len(norm) > i and norm[i] in _PROCLITIC_PREP:
        candidates.append(i + 1)
    for cut in reversed(candidates):
        rest = norm[cut:]
        if len(rest) < 2:
            continue
        pre = norm[:cut]
        if pre.endswith("لل"):
            # ل + ال with the alef dropped: the rest is "X" of "الX"
            if _count("ال" + rest) >= whole or (whole == 0 and len(rest) >= 2):
                return pre, rest
            continue
        if rest.startswith("ال") and len(rest) >= 4:
            if _count(rest) >= whole or whole == 0:
                return pre, rest
            continue
        if len(rest) < 3:
            continue
        count = _count(rest)
        if count > whole * 2 and count >= 5:
            return pre, rest
        if whole == 0 and count >= 5:
            return pre, rest
    return best


@lru_cache(maxsize=50_000)
def token_key(token: str) -> tuple[str, str, str]:
    """(normalized core of the token, proclitics, stem): ``WordFeatures.key`` with clitics split, cached per
    process (the CRF's features and the neural tagger's both ask it for each new word type)."""
    norm = _STRIP.sub("", normalize(token))
    pre, stem = segment(norm)
    return norm, pre, stem


def _strip_suffix(stem: str) -> str:
    if not stem.endswith(_PRONOUN_SUFFIXES):
        return stem
    for suffix in _PRONOUN_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
            return stem[: -len(suffix)]
    return stem


class WordFeatures:
    """Per-type feature cache: own features and the (prefixed) features a word gives to its neighbours."""

    def __init__(self, use_clusters: bool = True, use_gazetteer: bool = True, use_triggers: bool = True,
                 use_clitics: bool = True, use_affixes: bool = True):
        self.use_clusters = use_clusters
        self.use_gazetteer = use_gazetteer
        self.use_triggers = use_triggers
        self.use_clitics = use_clitics
        self.use_affixes = use_affixes
        self._cache: dict[str, tuple[list[str], tuple[list[str], ...], str, str]] = {}
        # At tag time, the attributes the model knows: features it has no weight for are dropped from the
        # per-type cache, so the tagger converts far fewer strings (L1 leaves most features at zero).
        self.known: set[str] | None = None
        self._triggers = triggers() if use_triggers else {}
        self._clusters = clusters() if use_clusters else {}

        if use_clitics:
            self.key = token_key  # type: ignore[method-assign]  # the cached function itself: no frame a call

    def key(self, token: str) -> tuple[str, str, str]:
        """(normalized core of the token, proclitics, stem)."""
        if self.use_clitics:
            return token_key(token)
        norm = _STRIP.sub("", normalize(token))
        return norm, "", norm

    def get(self, token: str) -> tuple[list[str], tuple[list[str], ...], str, str]:
        """(own features, neighbour features per WINDOW offset, normalized word, stem) of a token."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        feats, neigh, near, norm, stem = self.parts(token)
        known = self.known
        close = neigh + near if near else neigh
        if known is None:
            per_offset = tuple([prefix + f for f in (close if near_offset else neigh)]
                               for prefix, near_offset in _OFFSET_PREFIXES)
        else:
            feats = [f for f in feats if f in known]
            per_offset = tuple([name for f in (close if near_offset else neigh) if (name := prefix + f) in known]
                               for prefix, near_offset in _OFFSET_PREFIXES)
        result = (feats, per_offset, norm, stem)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()  # bounded memory over a whole archive; frequent words come back at once
        self._cache[token] = result
        return result

    def parts(self, token: str) -> tuple[list[str], list[str], list[str], str, str]:
        """(own features, features given to the neighbours at distance 1 and 2, features given to those at
        distance 1 only, normalized word, stem) of a token, unprefixed and not filtered by ``known``: what
        ``get`` assembles (not cached)."""
        norm, pre, stem = self.key(token)
        feats = ["b", "w=" + norm]
        neigh = ["w=" + norm]  # given to the words at distance 1 and 2
        near: list[str] = []  # given to the words at distance 1 only
        if not norm:
            feats.append("punct=" + token[:3])
            neigh.append("p=" + token[:3])
        else:
            if norm != _STRIP.sub("", token.lower()) and _WORDCHAR.search(token) and _STRIP.search(token):
                feats.append("haspunct")
            if pre:
                feats.append("pre=" + pre)
                feats.append("s=" + stem)
                neigh.append("s=" + stem)
            if _LATIN.search(stem):
                feats.append("latin")
            if _DIGIT.search(stem):
                feats.append("digit")
                if stem.isdigit():
                    feats.append(f"num{min(len(stem), 5)}")
            has_al = stem.startswith("ال") and len(stem) > 3
            if has_al:
                feats.append("al")
            if self.use_affixes:
                core = stem[2:] if has_al else stem
                n = len(core)
                feats.append(f"len{min(n, 8)}")
                if n > 1:
                    feats += ("p1=" + core[:1], "x1=" + core[-1:])
                    if n > 2:
                        feats += ("p2=" + core[:2], "x2=" + core[-2:])
                        if n > 3:
                            feats += ("p3=" + core[:3], "x3=" + core[-3:])
                if core.endswith(_NISBA):
                    feats.append("nisba")
                bare = _strip_suffix(stem)
                if bare != stem:
                    feats.append("ns=" + bare)
                if has_al:
                    feats.append("nal=" + core)
            if self.use_triggers:
                for form in {norm, stem}:
                    kind = self._triggers.get(form)
                    if kind:
                        feats.append("trig=" + kind)
                        neigh.append("trig=" + kind)
                        break
            if self._clusters:
                entry = self._clusters.get(stem) or self._clusters.get(norm)
                if entry is None and stem.startswith("ال"):
                    entry = self._clusters.get(stem[2:])
                if entry:
                    count = entry[0]
                    feats += [f"c{level}={cluster}" for level, cluster in enumerate(entry[1:])]
                    neigh.append("c0=" + entry[1])
                    if len(entry) > 2:
                        near.append("c1=" + entry[2])
                    feats.append(f"f{min(len(str(count)), 6)}")
                else:
                    feats.append("oov")
                    neigh.append("oov")
        return feats, neigh, near, norm, stem

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature lists for the tokens of one sentence."""
        n = len(tokens)
        infos = [self.get(token) for token in tokens]
        out: list[list[str]] = []
        stems = [info[3] for info in infos]
        known = self.known
        for i in range(n):
            own, _, norm, stem = infos[i]
            feats = list(own)
            for j, off in enumerate(WINDOW):
                k = i + off
                if 0 <= k < n:
                    feats.extend(infos[k][1][j])
                elif off in (-1, 1):
                    feats.append("%d:BOUND" % off)
            if i > 0:
                bigram = "bg-=" + stems[i - 1] + "|" + stem
                if known is None or bigram in known:
                    feats.append(bigram)
            if i + 1 < n:
                bigram = "bg+=" + stem + "|" + stems[i + 1]
                if known is None or bigram in known:
                    feats.append(bigram)
            out.append(feats)
        if self.use_gazetteer:
            self._gazetteer(stems, out)
        return out

    @staticmethod
    def _gazetteer(stems: list[str], out: list[list[str]]) -> None:
        n = len(stems)
        for i, m, kind in sentence_matches(stems):
            out[i].append("gB=" + kind)
            if i > 0:
                out[i - 1].append("+1:gB=" + kind)
            if i + m < n:
                out[i + m].append("-1:gE=" + kind)
            for k in range(i + 1, i + m):
                out[k].append("gI=" + kind)
