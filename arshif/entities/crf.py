"""The trained CRF named-entity tagger (PER, LOC, ORG, MISC) as an ``Extractor``.

``CrfExtractor().extract(text)`` tokenizes the original article text (words with offsets, punctuation as
separate tokens, sentences split at line breaks and sentence-final punctuation), tags it with the model in
``data/ner.crfsuite`` (``arshif train-ner`` rebuilds it), applies document-level consistency, and returns
mentions whose offsets point into the original text, with proclitics (و ف ب ك ل) left outside the span.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from arshif.entities.chain import CrfScorer, chunks
from arshif.entities.extractor import Mention
from arshif.entities.features import WordFeatures, clusters, triggers
from arshif.text.clitics import split_is_attested
from arshif.text.tokenize import skip_normalized
from arshif.text.tokenize import normalized_tokens

DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "ner.crfsuite"
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_MODELS: dict[str, object] = {}
_LOCK = threading.Lock()

# A stem this frequent in the unlabeled news is a common word; its lone occurrences are not tagged by
# propagation from a longer name.
_COMMON = 3000


@dataclass(frozen=True)
class CrfWeights:
    """A trained model's weights: ``{(attribute, label): weight}`` and ``{(from, to): weight}``."""

    labels: tuple[str, ...]
    state_features: dict[tuple[str, str], float]
    transitions: dict[tuple[str, str], float]


# a weight line of crfsuite's dump ("  (0) w=تونس --> B-LOC: 1.234"), parsed as pycrfsuite.Tagger.info() does,
# but in one pass over the text
_SECTION = re.compile(r"^(TRANSITIONS|STATE_FEATURES) = \{\n(.*?)^\}", re.M | re.S)
_WEIGHT = re.compile(r"^\s*\(\d+\) (.+) --> (.+): ([+-]?\d+\.\d+)$", re.M)


def _weights(tagger) -> CrfWeights:
    """The weights of an open ``pycrfsuite.Tagger``, read from its dump with two regular expressions (what
    ``Tagger.info()`` returns, in about half its time: it parses the same dump line by line in Python)."""
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "model.txt"
        tagger.dump(str(dump))
        text = dump.read_text(encoding="utf-8")
    sections = {name: body for name, body in _SECTION.findall(text)}
    state = {(attr, label): float(w) for attr, label, w in _WEIGHT.findall(sections.get("STATE_FEATURES", ""))}
    trans = {(a, b): float(w) for a, b, w in _WEIGHT.findall(sections.get("TRANSITIONS", ""))}
    return CrfWeights(tuple(tagger.labels()), state, trans)


def _tagger(path: Path):
    """The open tagger of a model file and its weights, once per process and path."""
    import pycrfsuite

    key = str(path)
    with _LOCK:
        model = _MODELS.get(key)
        if model is None:
            if not path.exists():
                raise FileNotFoundError(f"NER model not found: {path} (build it with `arshif train-ner`)")
            tagger = pycrfsuite.Tagger()
            tagger.open(key)
            model = _MODELS[key] = (tagger, _weights(tagger))
    return model


class CrfExtractor:
    """CRF tagger over clitic-aware, gazetteer, cluster and window features."""

    name = "crf"

    def __init__(self, model_path: str | Path | None = None, feature_options: dict | None = None,
                 consistency: bool = True, numpy: bool = True):
        self.model_path = Path(model_path) if model_path else DEFAULT_MODEL
        self.features = WordFeatures(**(feature_options or {}))
        self.consistency = consistency
        self.numpy = numpy  # Viterbi in NumPy from the model's weights (chain.CrfScorer), else pycrfsuite's
        self._model = None
        self.weights: CrfWeights | None = None  # the model's, once loaded
        self._scorer: CrfScorer | None = None

    def load(self) -> "CrfExtractor":
        """Open the model (once per process and path)."""
        if self._model is None:
            self._model, self.weights = _tagger(self.model_path)
            self.features.known = {attr for attr, _ in self.weights.state_features}
            self.features._cache.clear()
        return self

    # -- tagging token lists ------------------------------------------------------------------------------
    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence (a list of token strings), each sentence on its own: the CRF's Viterbi
        path, computed from its weights in double precision by ``chain.CrfScorer`` (the tags ``pycrfsuite``
        gives, without handing it every feature string; ``numpy=False`` asks pycrfsuite itself)."""
        self.load()
        if self.numpy:
            if self._scorer is None:
                self._scorer = CrfScorer(self, dtype=np.float64)
            return self._scorer.tags(sentences)
        tag = self._model.tag
        featurize = self.features.sentence
        return [tag(featurize(sentence)) if sentence else [] for sentence in sentences]

    def tag_document(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for the sentences of one document, with document-level consistency applied."""
        tags = self.tag_sentences(sentences)
        if self.consistency:
            self._make_consistent(sentences, tags)
        return tags

    def _make_consistent(self, sentences: Sequence[Sequence[str]], tags: list[list[str]]) -> None:
        """One type per name in a document (majority vote), and untagged repeats of a tagged name tagged, also
        where only its last words were (جيب [بوش] after جيب بوش: the whole name)."""
        key = self.features.key
        stems = [[k[2] for k in map(key, sentence)] for sentence in sentences]
        votes: dict[tuple[str, ...], dict[str, int]] = {}
        found = []
        for s, sentence_tags in enumerate(tags):
            for start, end, kind in sorted(chunks(sentence_tags)):
                key = tuple(stems[s][start:end])
                if not all(key):
                    continue
                found.append((s, start, end, key))
                votes.setdefault(key, {}).setdefault(kind, 0)
                votes[key][kind] += 1
                if kind == "PER" and end - start >= 2:
                    last = votes.setdefault((key[-1],), {})
                    last["PER"] = last.get("PER", 0) + 1
        if not votes:
            return
        counts = clusters()
        trig = triggers()
        best = {key: max(sorted(kinds), key=lambda k: kinds[k]) for key, kinds in votes.items()}

        def common(key: tuple[str, ...]) -> bool:
            word = key[0]
            return len(key) == 1 and (counts.get(word, (0,))[0] > _COMMON or word in trig or len(word) < 3)

        # majority type for tagged chunks
        for s, start, end, key in found:
            kind = best.get(key)
            if kind and tags[s][start][2:] != kind:
                tags[s][start] = "B-" + kind
                for i in range(start + 1, end):
                    tags[s][i] = "I-" + kind
        # untagged repeats
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in best:
            if not common(key):
                by_first.setdefault(key[0], []).append(key)
        for keys in by_first.values():
            keys.sort(key=len, reverse=True)
        for s, sentence_stems in enumerate(stems):
            sentence_tags = tags[s]
            n = len(sentence_stems)
            i = 0
            while i < n:
                keys = by_first.get(sentence_stems[i])
                if keys and not sentence_tags[i].startswith("I-"):
                    for key in keys:
                        m = len(key)
                        if tuple(sentence_stems[i:i + m]) == key and _retaggable(sentence_tags, i, m, best[key]):
                            kind = best[key]
                            sentence_tags[i] = "B-" + kind
                            for k in range(i + 1, i + m):
                                sentence_tags[k] = "I-" + kind
                            i += m - 1
                            break
                i += 1

    # -- the Extractor interface --------------------------------------------------------------------------
    def extract(self, text: str) -> list[Mention]:
        """Mentions in the original ``text``, sorted by start, not overlapping."""
        sentences = split_sentences(text)
        token_lists = [[tok[0] for tok in sentence] for sentence in sentences]
        tags = self.tag_document(token_lists)
        trig = triggers()
        mentions = []
        for sentence, sentence_tags in zip(sentences, tags):
            for start, end, kind in sorted(chunks(sentence_tags)):
                # trim punctuation at the edges of a chunk
                while start < end and not sentence[start][3]:
                    start += 1
                while end > start and not sentence[end - 1][3]:
                    end -= 1
                if start >= end:
                    continue
                first = sentence[start]
                norm, pre, _ = self.features.key(first[0])
                if pre and not pre.endswith("لل") and not split_is_attested(norm, pre, norm[len(pre):]):
                    pre = ""  # فورد is a word of its own, not ف + ورد (arshif.text.clitics: the one rule)
                canonical = None
                if end - start == 1 and norm in _FOR_GOD:
                    pre, canonical = norm[:-3], "الله"  # لله, ولله: ل + الله, its alef and lam written once
                begin = first[1] + skip_normalized(first[0], len(pre))
                finish = sentence[end - 1][2]
                if begin >= finish:
                    continue
                role = None
                if kind == "PER" and start > 0 and sentence[start - 1][3]:
                    prev = sentence[start - 1]
                    _, pre, stem = self.features.key(prev[0])
                    if trig.get(stem) == "PER":
                        role = text[prev[1] + skip_normalized(prev[0], len(pre)):prev[2]]
                mentions.append(Mention(begin, finish, text[begin:finish], kind, canonical=canonical, role=role))
        return mentions


def _retaggable(tags: Sequence[str], i: int, m: int, kind: str) -> bool:
    """Whether tokens ``i .. i+m`` may be tagged as one name of ``kind``: each is untagged or inside a name of that
    kind lying wholly within the range, some are untagged (a part of the name was missed: جيب [بوش], [فاتن]
    حمامة), and the range starts no name's middle (the caller looks only where none continues)."""
    inside = tags[i:i + m]
    if "O" not in inside or any(t != "O" and t[2:] != kind for t in inside):
        return False
    return i + m >= len(tags) or not tags[i + m].startswith("I-")


#: ل + الله as it is written (لله), after و or ف: the name الله
_FOR_GOD = frozenset({"لله", "ولله", "فلله"})


def split_sentences(text: str) -> list[list[tuple[str, int, int, bool]]]:
    """Sentences of ``text`` as lists of ``(token, start, end, is_word)``: words from ``arshif.text.tokenize``,
    every other non-space character a punctuation token; a sentence ends at a line break or . ! ? ؟"""
    sentences: list[list[tuple[str, int, int, bool]]] = []
    current: list[tuple[str, int, int, bool]] = []
    pos = 0

    def gap(a: int, b: int) -> None:
        nonlocal current
        if b - a == 1 and text[a] == " ":
            return  # the usual gap: one space
        for j in range(a, b):
            ch = text[j]
            if ch.isspace():
                if ch == "\n" and current:
                    sentences.append(current)
                    current = []
                continue
            current.append((ch, j, j + 1, False))
            if ch in ".!?؟" and current:
                sentences.append(current)
                current = []

    for word, start, end in normalized_tokens(text)[0]:  # the article's one analysis, shared with the index
        if start > pos and (start - pos != 1 or text[pos] != " "):  # (one space: the usual gap, nothing in it)
            gap(pos, start)
        current.append((word, start, end, True))
        pos = end
    gap(pos, len(text))
    if current:
        sentences.append(current)
    return sentences
