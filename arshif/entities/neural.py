"""The neural named-entity tagger (BiLSTM over subword, vector, cluster, gazetteer and trigger features), in NumPy.

The network is trained with PyTorch by ``tools/ner/train_neural.py`` (optional ``train`` extra); inference here
needs only NumPy.  A token is represented by

* its pretrained fastText vector (``data/ner_vectors.npz``: int8 rows of the most frequent normalized news words,
  looked up by the word, then by its clitic-free stem);
* the mean of hashed character n-gram embeddings of its stem (subwords; so unseen words and clitics still get a
  representation);
* the embeddings of its three word-cluster ids (``data/clusters.tsv``), its proclitic sequence, and one-hot flags
  (article ال, digits, Latin letters, nisba ending, frequency and length bins, trigger-word class);
* gazetteer phrase matches (begin / inside of a LOC or PER name), which depend on the sentence;
* only in a model trained with ``train_neural.py --charlm`` (none is shipped: tools/ner/README.md), the states of
  frozen character language models over the sentence (``arshif.entities.charlm``), projected per call.

Everything but the gazetteer part depends on the word type alone, so the LSTM input projection of each type is
computed once and cached (``NeuralTagger._types``: one preallocated matrix, the least used half evicted when full,
each type's row computed on its own so that its bits never depend on the other types of the call); a batch of
sentences then costs one gather and the two LSTM recurrences, vectorized over all sentences of the batch (padded;
the backward direction reads each sentence reversed, so padding never reaches a real position).  Batches are made
from the sentences of ONE call (``extract``: one article), never across articles, so an article's tags do not
depend on which other articles a process tagged before or with it (tests/test_ner_neural.py).  ``NeuralTagger.probabilities`` gives per-token label
probabilities; ``EnsembleTagger`` averages them with the CRF's marginals (``CrfScorer``, the CRF's own weights
in NumPy) and decodes with a BIO-constrained Viterbi.  ``EnsembleExtractor`` is ``--ner default``'s tagger.

Lever study (entity micro F1 with the ANERcorp head; dev sets: ANERcorp tail = last 10% of its train.conll, never
trained on, and the dev.conll of NewsFANE, AQMAR, WikiFANE, Wojood sample; commands in tools/ner/README.md):

| model | ANERcorp tail | newsfane | aqmar | wikifane | wojood |
|---|---|---|---|---|---|
| CRF alone (shipped ner.crfsuite) | 73.5 | 72.0 | 30.8 | 58.6 | 43.1 |
| BiLSTM, softmax, greedy argmax | 71.6 | 67.6 | 52.0 | 49.6 | 41.5 |
| same, BIO-constrained Viterbi | 72.8 | 68.4 | 52.8 | 50.7 | 44.1 |
| BiLSTM-CRF (``--crf``), all corpora on own heads | 77.2 | 71.4 | 54.6 | 55.0 | 42.6 |
| same, ANERcorp only (12 epochs) | 72.5 | 70.7 | 36.8 | 49.5 | 36.1 |
| BiLSTM-CRF seed 2 | 76.7 | 71.4 | 59.4 | 53.8 | 42.1 |
| seeds 1 + 2 averaged | 77.6 | 71.4 | 57.6 | 54.3 | 41.5 |
| BiLSTM-CRF + CRF marginals, weight 0.3 | 78.2 | 72.2 | 53.1 | 55.9 | 42.1 |
| same, weight 0.5 | 78.4 | 72.7 | 43.5 | 57.9 | 41.5 |
| same, geometric mean, weight 0.4 | 78.8 | 72.5 | 46.4 | 57.7 | 42.2 |
| weight 0.3 + document consistency (10-sentence pseudo-documents) | 78.4 | 72.1 | 58.0 | 56.9 | 42.1 |
| seeds 1 + 2 + CRF 0.3 + document consistency | 79.4 | 72.1 | 59.2 | 57.1 | 42.4 |
| **shipped**: BiLSTM-CRF with 64 units each way (``--hidden 64``), alone | 75.5 | 71.4 | 56.5 | 53.5 | 44.9 |
| **shipped**: same + CRF marginals, weight 0.3 (``arshif eval-ner``'s default) | 77.3 | 72.2 | 54.2 | 55.9 | 45.2 |
| same + document consistency (repeats of whole names only) | 77.8 | 72.0 | 57.9 | 56.8 | 45.2 |
| same, document consistency completing names tagged in part elsewhere in the document (what ``extract`` does) | 78.0 | 72.0 | 58.0 | 57.6 | 45.2 |
| 64 units without the pretrained vectors (``--disable vectors``), alone | 76.2 | 70.7 | 56.1 | 53.3 | 47.6 |
| same + CRF marginals, weight 0.3 | 77.0 | 71.0 | 53.6 | 55.0 | 45.7 |
| shipped 64 units + the 64 units without vectors averaged, + CRF 0.3 + document consistency | 77.7 | 72.0 | 57.6 | 56.1 | 45.9 |
| 128 units retrained on all of ANERcorp train (``--full --epochs 15``), + CRF 0.3 + document consistency | (94.1: trained on) | 72.8 | 60.8 | 57.9 | 42.0 |

Rows above the shipped ones have 128 units each way; 64 units cost 0.9 on the ANERcorp tail but make the
recurrence about twice as fast, which keeps ``extract`` above 20,000 tokens/s of CPU time (two seeds or 128 units
did not: with the present code, 128 units make ``extract`` on 1000 news articles about 20% slower than 64, measured
in one process, interleaved, BLAS on one thread; ``bench/ner.py`` gives the stage-by-stage breakdown).
"""

from __future__ import annotations

import re
import threading
import zlib
from itertools import filterfalse
from pathlib import Path
from typing import Sequence

import numpy as np

from arshif.entities.charlm import CharLM, lstm_pass
from arshif.entities.chain import LABEL_INDEX, LABELS, CrfScorer, crf_marginals, viterbi_many
from arshif.entities.features import WordFeatures, clusters, sentence_matches, triggers

DATA = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL = DATA / "ner_neural.npz"
DEFAULT_VECTORS = DATA / "ner_vectors.npz"

PROCLITICS = ("", "و", "ف", "ب", "ك", "ل", "لل", "وب", "وك", "ول", "ولل", "فب", "فك", "فل", "فلل")
TRIGGER_CLASSES = ("PER", "PERV", "ORG", "LOC")
GAZ_TYPES = ("LOC", "PER")
N_FLAGS = 6 + 7 + 8 + 1 + len(TRIGGER_CLASSES)  # see TokenFeaturizer.type_features
N_GAZ = 2 * len(GAZ_TYPES)
NGRAM_BUCKETS = 1 << 16
TYPE_CACHE = 50_000  # word types whose LSTM input projections are kept (8 * hidden floats each)
NGRAM_SIZES = (2, 3, 4)
MAX_NGRAMS = 24
_NISBA = ("ي", "يه", "يين", "يون")
_LATIN = re.compile("[a-z]")
CRF_WEIGHT = 0.3  # weight of the CRF's marginals in the shipped ensemble (chosen on the dev sets)


def ngram_ids(stem: str, buckets: int = NGRAM_BUCKETS) -> list[int]:
    """Hashed character n-grams (and the whole form) of ``stem`` with boundary marks; stable across runs."""
    form = "<" + stem + ">"
    grams = [form]
    for n in NGRAM_SIZES:
        grams += [form[i:i + n] for i in range(len(form) - n + 1)]
    return [zlib.crc32(g.encode("utf-8")) % buckets for g in grams[:MAX_NGRAMS]]


class TokenFeaturizer:
    """Integer and flag features of tokens; shared by training (tools/ner) and NumPy inference."""

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab  # normalized word -> row of the vector table (0 = none)
        self.words = WordFeatures()
        self._clusters = clusters()
        self._triggers = triggers()

    def type_features(self, token: str) -> tuple[int, list[int], tuple[int, int, int], int, np.ndarray, str]:
        """(vector row, n-gram ids, cluster ids, proclitic id, flags, stem) of one token."""
        row, grams, cluster_ids, clitic, on, stem = self.type_parts(token)
        flags = np.zeros(N_FLAGS, dtype=np.float32)
        flags[list(on)] = 1.0
        return row, grams, cluster_ids, clitic, flags, stem

    def type_parts(self, token: str) -> tuple[int, list[int], tuple[int, int, int], int, tuple[int, ...], str]:
        """``type_features`` with the flags given as the indices of those that are set (the others are 0)."""
        norm, pre, stem = self.words.key(token)
        if not norm:
            return 0, ngram_ids("#" + token[:3]), (0, 0, 0), 0, (0,), ""
        has_al = stem.startswith("ال") and len(stem) > 3
        core = stem[2:] if has_al else stem
        on = []
        if has_al:
            on.append(1)
        if any(map(str.isdigit, stem)):
            on.append(2)
        if _LATIN.search(stem):
            on.append(3)
        if core.endswith(_NISBA):
            on.append(4)
        vocab = self.vocab
        row = vocab.get(norm) or vocab.get(stem) or (vocab.get(core) if has_al else 0) or 0
        entry = self._clusters.get(stem) or self._clusters.get(norm)
        if entry is None and has_al:
            entry = self._clusters.get(core)
        if entry:
            cluster_ids = (int(entry[1]) + 1, int(entry[2]) + 1, int(entry[3]) + 1) if len(entry) >= 4 else \
                tuple(int(c) + 1 for c in entry[1:4])
            on.append(6 + min(len(str(entry[0])), 6))
        else:
            cluster_ids = (0, 0, 0)
            on += (5, 6)
        on.append(13 + min(len(core), 8) - 1 if core else 13)
        if row == 0:
            on.append(21)
        kind = self._triggers.get(norm) or self._triggers.get(stem)
        if kind:
            on.append(22 + TRIGGER_CLASSES.index(kind))
        clitic = PROCLITICS.index(pre) if pre in PROCLITICS else 0
        return row, ngram_ids(stem), cluster_ids, clitic, tuple(on), stem

    def gazetteer_features(self, stems: Sequence[str]) -> np.ndarray:
        """(n, N_GAZ) begin/inside flags of gazetteer phrase matches over a sentence's stems."""
        found = self.gazetteer_rows(stems)
        return np.zeros((len(stems), N_GAZ), dtype=np.float32) if found is None else found

    def gazetteer_rows(self, stems: Sequence[str]) -> np.ndarray | None:
        """``gazetteer_features``, or None when no gazetteer phrase matches (all zeros)."""
        matches = sentence_matches(stems)
        if not matches:
            return None
        out = np.zeros((len(stems), N_GAZ), dtype=np.float32)
        for i, m, kind in matches:
            t = GAZ_TYPES.index(kind) if kind in GAZ_TYPES else 0
            out[i, 2 * t] = 1.0
            out[i + 1:i + m, 2 * t + 1] = 1.0
        return out


# ----------------------------------------------------------------------------------------------------------
# The NumPy network

def _dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return q.astype(np.float32) * scale.astype(np.float32)[:, None]


_LOADED: dict[tuple[str, str], "NeuralTagger"] = {}
_LOCK = threading.Lock()


class NeuralTagger:
    """BiLSTM tagger over ``TokenFeaturizer`` features (weights from ``tools/ner/train_neural.py``)."""

    def __init__(self, model_path: str | Path = DEFAULT_MODEL, vectors_path: str | Path = DEFAULT_VECTORS,
                 batch_tokens: int = 4096):
        for path in (model_path, vectors_path):
            if not Path(path).exists():
                raise FileNotFoundError(f"neural NER model not found: {path} (build it with tools/ner/train_neural.py)")
        with np.load(vectors_path, allow_pickle=False) as vec:
            words = str(vec["words"]).split("\n")
            self.vectors = np.vstack([np.zeros((1, vec["q"].shape[1]), np.float32),
                                      _dequantize(vec["q"], vec["scale"])])
        vocab = {w: i + 1 for i, w in enumerate(words)}
        with np.load(model_path, allow_pickle=False) as model:
            p = {k: model[k] for k in model.files}
        # the contextual character-LM features (arshif.entities.charlm), when the model was trained with them
        lm = {k: p.pop(k) for k in [k for k in p if k.startswith("lm_")]}
        self.charlm = CharLM(lm) if lm else None
        ngrams = _dequantize(p.pop("ngram_q"), p.pop("ngram_scale"))
        self.ngrams = np.vstack([ngrams, np.zeros((1, ngrams.shape[1]), np.float32)])
        self.params = {k: v.astype(np.float32) for k, v in p.items() if k != "head_names"}
        hidden = self.params["w_hh_f"].shape[1] // 4
        # PyTorch's gate order (i, f, cell, o) -> (i, f, o, cell), so that one sigmoid covers three gates
        perm = np.concatenate([np.arange(0, 2 * hidden), np.arange(3 * hidden, 4 * hidden),
                               np.arange(2 * hidden, 3 * hidden)])
        for k in ("w_ih_f", "w_ih_b", "w_hh_f", "w_hh_b"):
            self.params[k] = np.ascontiguousarray(self.params[k][:, perm])
        for k in ("b_f", "b_b"):
            self.params[k] = self.params[k][perm]
        # the sigmoid gates' weights halved (exact in binary floating point), so that the recurrence's one tanh
        # over all four gates gives sigmoid(x) = (1 + tanh(x / 2)) / 2 for three of them
        for k in ("w_ih_f", "w_ih_b", "w_hh_f", "w_hh_b"):
            self.params[k][:, :3 * hidden] *= np.float32(0.5)
        for k in ("b_f", "b_b"):
            self.params[k][:3 * hidden] *= np.float32(0.5)
        self._w_hh = np.stack([self.params["w_hh_f"], self.params["w_hh_b"]])
        self.heads = str(p["head_names"]).split("\n") if "head_names" in p else ["anercorp"]
        self.hidden = self.params["w_hh_f"].shape[1] // 4
        self.featurizer = TokenFeaturizer(vocab)
        self.batch_tokens = batch_tokens
        pm = self.params
        # input weights split by feature block (the order of tools/ner/train_neural.Net.forward)
        self._w_in = np.concatenate([pm["w_ih_f"], pm["w_ih_b"]], axis=1)  # (D, 8H)
        self._b_in = np.concatenate([pm["b_f"], pm["b_b"]])
        dims = [self.vectors.shape[1], self.ngrams.shape[1], *(pm[f"cluster{i}"].shape[1] for i in range(3)),
                pm["clitic"].shape[1], N_FLAGS, N_GAZ] + ([self.charlm.dim] if self.charlm else [])
        self._blocks = np.cumsum([0] + dims)
        self._w_type = np.ascontiguousarray(self._w_in[:self._blocks[7]])  # every block but the gazetteer's
        self._row_in = np.zeros(self._w_type.shape[0], dtype=np.float32)  # buffers of _project
        self._row_out = np.zeros(self._w_type.shape[1], dtype=np.float32)
        # the per-type cache of input projections (see _types)
        # room for TYPE_CACHE types at once: zeroed memory is mapped lazily, so rows cost memory only once written,
        # and the matrix is not copied as it fills (it grows only for a call with more new types than that)
        self._proj = np.zeros((TYPE_CACHE + 1, 8 * self.hidden), dtype=np.float32)  # row 0: padding
        self._uses = np.zeros(TYPE_CACHE + 1, dtype=np.int64)  # calls of _types that used each row
        self._stem: list[str] = [""] * (TYPE_CACHE + 1)  # stem of the type of each row
        self._row: dict[str, int] = {}  # token -> row
        self._free: list[int] = list(range(TYPE_CACHE, 0, -1))  # unused rows (popped from the end)

    @classmethod
    def shared(cls, model_path: str | Path = DEFAULT_MODEL, vectors_path: str | Path = DEFAULT_VECTORS) -> "NeuralTagger":
        """One loaded tagger per process and path."""
        key = (str(model_path), str(vectors_path))
        with _LOCK:
            tagger = _LOADED.get(key)
            if tagger is None:
                tagger = _LOADED[key] = cls(model_path, vectors_path)
        return tagger

    def _types(self, tokens: set[str]) -> None:
        """Compute and cache the input projection (both directions) of new token types.

        The projections live in one preallocated matrix (``self._proj``, row 0 the zeros of padding), so that a
        batch is one gather of rows.  When the cache would hold more than ``TYPE_CACHE`` types, the half used in
        the fewest calls is dropped (never the types of this call).  A type's row is computed from the type alone,
        so what the cache holds never changes a result, only the time."""
        row = self._row
        new = list(filterfalse(row.__contains__, tokens))
        if len(row) + len(new) > TYPE_CACHE:
            self._evict(tokens, len(new))
        if new:
            feats = self._type_features(new)
            need = len(new) - len(self._free)
            if need > 0:  # grow the matrix (up to TYPE_CACHE rows and the types of one call)
                extra = max(need, min(len(self._proj), TYPE_CACHE + 1 - len(self._proj)))
                first = len(self._proj)
                self._proj = np.concatenate([self._proj, np.empty((extra, self._proj.shape[1]), np.float32)])
                self._uses = np.concatenate([self._uses, np.zeros(extra, np.int64)])
                self._stem.extend([""] * extra)
                self._free.extend(range(first + extra - 1, first - 1, -1))
            free = self._free
            at = np.array([free.pop() for _ in new], dtype=np.int64)
            self._proj[at] = self._project(feats)
            self._uses[at] = 0
            stem = self._stem
            at_list = at.tolist()
            row.update(zip(new, at_list))
            for k, f in zip(at_list, feats):
                stem[k] = f[5]
        self._uses[np.fromiter(map(row.__getitem__, tokens), dtype=np.int64, count=len(tokens))] += 1

    def _evict(self, keep: set[str], incoming: int) -> None:
        """Drop the least used types of the cache (all but the ``TYPE_CACHE // 2`` most used, fewer if the types
        ``incoming`` need the room), keeping those in ``keep``."""
        row = self._row
        tokens = list(row)
        rows = np.fromiter(row.values(), dtype=np.int64, count=len(row))
        uses = self._uses[rows].copy()
        uses[[i for i, t in enumerate(tokens) if t in keep]] = np.iinfo(np.int64).max
        room = max(0, min(TYPE_CACHE // 2, TYPE_CACHE - incoming))
        order = np.argsort(-uses, kind="stable")  # most used first; ties: the older types first
        drop = order[room:]
        drop = drop[uses[drop] != np.iinfo(np.int64).max]
        for i in drop.tolist():
            del row[tokens[i]]
        self._free.extend(rows[drop].tolist())

    def clear_cache(self) -> None:
        """Forget every cached type (the next call starts cold)."""
        self._row.clear()
        self._free = list(range(len(self._proj) - 1, 0, -1))

    def _project(self, feats: list) -> np.ndarray:
        """(len(feats), 8H) LSTM input projections (both directions) of word types from their features.

        Each type's input row is multiplied by the input weights on its own, from the same buffers: in one
        matrix product BLAS gives a row slightly different bits depending on its position and the number of rows,
        which would make an article's tags depend on the other types computed with its own (what the cache held
        before it: other articles).  One row at a time, a type's projection is always the same bits."""
        n = len(feats)
        pm = self.params
        b = self._blocks
        x = np.zeros((n, b[7]), dtype=np.float32)
        x[:n, b[0]:b[1]] = self.vectors[np.fromiter((f[0] for f in feats), dtype=np.int64, count=n)]
        # mean of the n-gram embeddings: a padded gather (row NGRAM_BUCKETS of self.ngrams is zero)
        lengths = np.fromiter((len(f[1]) for f in feats), dtype=np.int64, count=n)
        grams = np.full((n, MAX_NGRAMS), self.ngrams.shape[0] - 1, dtype=np.int64)
        for k, f in enumerate(feats):
            grams[k, :len(f[1])] = f[1]
        x[:n, b[1]:b[2]] = self.ngrams[grams].sum(axis=1) / np.maximum(lengths, 1)[:, None].astype(np.float32)
        for i in range(3):
            ids = np.fromiter((f[2][i] for f in feats), dtype=np.int64, count=n)
            x[:n, b[2 + i]:b[3 + i]] = pm[f"cluster{i}"][ids]
        x[:n, b[5]:b[6]] = pm["clitic"][np.fromiter((f[3] for f in feats), dtype=np.int64, count=n)]
        on = [(k, b[6] + i) for k, f in enumerate(feats) for i in f[4]]  # the flags set (type_parts)
        if on:
            x[tuple(np.array(on).T)] = 1.0
        out = np.empty((n, self._w_type.shape[1]), dtype=np.float32)
        row, result, w = self._row_in, self._row_out, self._w_type
        matmul = np.matmul
        for k in range(n):
            row[:] = x[k]
            matmul(row, w, out=result)
            out[k] = result
        out += self._b_in
        return out

    def _type_features(self, tokens: Sequence[str]) -> list:
        """``TokenFeaturizer.type_parts`` of each token."""
        type_parts = self.featurizer.type_parts
        return [type_parts(t) for t in tokens]

    def _lstm(self, gates_in: np.ndarray) -> np.ndarray:
        """Both LSTM directions at once over (T, 2, B, 4H) precomputed input gates (the backward direction's
        sentences reversed; the sigmoid gates' inputs halved, see ``__init__``); returns (T, 2, B, H)."""
        return lstm_pass(gates_in, self._w_hh, self.hidden)  # gates stored as (i, f, o, cell) after loading

    def _charlm_rows(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, the (n, 8H) LSTM input projections (both directions) of the contextual character-LM
        features of its tokens (``CharLM.embed_many``: the LMs run over the sentences of this call only)."""
        feats = self.charlm.embed_many(sentences)
        w_lm = self._w_in[self._blocks[8]:self._blocks[9]]
        return _split(np.concatenate(feats) @ w_lm, sentences)

    def _batch_probabilities(self, sentences: Sequence[Sequence[str]], head: int,
                             lm_rows: Sequence[np.ndarray] | None = None) -> list[np.ndarray]:
        lengths = np.array([len(s) for s in sentences])
        steps = int(lengths.max())
        batch = len(sentences)
        h4 = 4 * self.hidden
        row = self._row
        stem_of = self._stem
        ids = np.zeros((batch, steps), dtype=np.int64)  # row 0 of the cache: padding
        rev = np.zeros((batch, steps), dtype=np.int64)
        w_gaz = self._w_in[self._blocks[7]:self._blocks[8]]
        gaz_rows: list[tuple[int, np.ndarray]] = []
        gazetteer_rows = self.featurizer.gazetteer_rows
        for s, sentence in enumerate(sentences):
            seq = list(map(row.__getitem__, sentence))
            n = len(seq)
            ids[s, :n] = seq
            rev[s, :n] = seq[::-1]
            gaz = gazetteer_rows(list(map(stem_of.__getitem__, seq)))
            if gaz is not None and gaz.any():
                gaz_rows.append((s, gaz @ w_gaz))
        proj = self._proj
        gates = np.empty((steps, 2, batch, h4), dtype=np.float32)  # time first: each step reads one block
        gates[:, 0] = proj[ids.T, :h4]
        gates[:, 1] = proj[rev.T, h4:]
        for s, extra in gaz_rows:
            n = len(extra)
            gates[:n, 0, s] += extra[:, :h4]
            gates[:n, 1, s] += extra[::-1, h4:]
        if lm_rows is not None:  # the contextual character-LM features (they depend on the sentence)
            for s, extra in enumerate(lm_rows):
                n = len(extra)
                gates[:n, 0, s] += extra[:, :h4]
                gates[:n, 1, s] += extra[::-1, h4:]
        states = self._lstm(gates)
        hf = states[:, 0].transpose(1, 0, 2)
        hb = states[:, 1].transpose(1, 0, 2)
        # un-reverse the backward states: position t of a sentence of length n is step n-1-t
        t_idx = lengths[:, None] - 1 - np.arange(steps)[None, :]
        valid = t_idx >= 0
        hb = np.take_along_axis(hb, np.where(valid, t_idx, 0)[:, :, None], axis=1)
        w_out = self.params[f"out_w{head}"]
        hidden = self.hidden
        logits = hf @ w_out[:hidden] + hb @ w_out[hidden:] + self.params[f"out_b{head}"]
        if f"crf_trans{head}" in self.params:
            pm = self.params
            p = crf_marginals(logits, lengths, pm[f"crf_trans{head}"], pm[f"crf_start{head}"], pm[f"crf_end{head}"])
            return [p[s, :n] for s, n in enumerate(lengths)]
        logits -= logits.max(axis=2, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=2, keepdims=True)
        return [p[s, :n] for s, n in enumerate(lengths)]

    def probabilities(self, sentences: Sequence[Sequence[str]], head: int = 0) -> list[np.ndarray]:
        """Per-token label probabilities, (len(sentence), len(LABELS)) for each sentence, in ``LABELS`` order."""
        out: list[np.ndarray | None] = [None] * len(sentences)
        self._types({t for s in sentences for t in s})
        lm_rows = self._charlm_rows(sentences) if self.charlm is not None and any(sentences) else None
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        for i, s in enumerate(sentences):
            if not s:
                out[i] = np.zeros((0, len(LABELS)), dtype=np.float32)
        start = 0
        while start < len(order):
            # a step of the recurrence costs about as much as ~7 padded rows of it: a longer sentence joins the
            # batch unless the padding it adds costs more than running it on its own
            end = start + 1
            longest = len(sentences[order[start]])
            while end < len(order):
                length = len(sentences[order[end]])
                if (end - start + 1) * length > self.batch_tokens or (end - start) * (length - longest) > 7 * length:
                    break
                longest = length
                end += 1
            chunk = order[start:end]
            rows = [lm_rows[i] for i in chunk] if lm_rows is not None else None
            for i, p in zip(chunk, self._batch_probabilities([sentences[i] for i in chunk], head, rows)):
                out[i] = p
            start = end
        return out  # type: ignore[return-value]

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence (a list of token strings)."""
        return viterbi_many([np.log(p + 1e-9) for p in self.probabilities(sentences)])


class EnsembleTagger:
    """Per-token probabilities averaged over neural models and the CRF's marginals, decoded under BIO."""

    def __init__(self, neural: Sequence[NeuralTagger], crf=None, crf_weight: float = 0.5, geometric: bool = False):
        self.neural = list(neural)
        self.crf = crf  # a loaded arshif.entities.crf.CrfExtractor, or None
        self.crf_weight = crf_weight if crf is not None else 0.0
        self.geometric = geometric  # weighted mean of log-probabilities instead of probabilities
        self.fast_crf = True  # CRF marginals from CrfScorer (NumPy) rather than pycrfsuite's per-token calls
        self._scorer: CrfScorer | None = None

    def prepare(self) -> "EnsembleTagger":
        """Load what tagging needs (the CRF's weights for ``CrfScorer``) ahead of the first sentence."""
        if self.crf is not None and self.fast_crf:
            if self._scorer is None or self._scorer.features is not self.crf.features:
                self._scorer = CrfScorer(self.crf)
        return self

    def crf_marginals(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """(n, len(LABELS)) marginal probabilities of the CRF for each sentence."""
        if self.fast_crf:
            return self.prepare()._scorer.marginals(sentences)
        if self.crf._model is None:
            self.crf.load()
        tagger = self.crf._model
        featurize = self.crf.features.sentence
        known = set(tagger.labels())
        labels = [label for label in LABELS if label in known]
        columns = [LABEL_INDEX[label] for label in labels]
        out = []
        for sentence in sentences:
            p = np.zeros((len(sentence), len(LABELS)), dtype=np.float32)
            if sentence:
                tagger.set(featurize(sentence))
                marginal = tagger.marginal
                p[:, columns] = [[marginal(label, t) for label in labels] for t in range(len(sentence))]
            out.append(p)
        return out

    def probabilities(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Averaged per-token label probabilities for each sentence."""
        if self.geometric or not self.neural or self.crf is None or not sentences:
            return self._probabilities(sentences)
        return _split(self._mixed(sentences), sentences)

    def _probabilities(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        parts = [tagger.probabilities(sentences) for tagger in self.neural]
        mixed = [sum(ps) / len(parts) for ps in zip(*parts)] if parts else None
        if self.crf is None:
            return mixed
        crf = self.crf_marginals(sentences)
        if mixed is None:
            return crf
        w = self.crf_weight
        if self.geometric:
            mixed = [np.exp(w * np.log(c + 1e-6) + (1.0 - w) * np.log(m + 1e-6)) for c, m in zip(crf, mixed)]
            return [p / p.sum(axis=1, keepdims=True) for p in mixed]
        return [w * c + (1.0 - w) * m for c, m in zip(crf, mixed)]

    def _mixed(self, sentences: Sequence[Sequence[str]]) -> np.ndarray:
        """The weighted mean of the neural models' and the CRF's probabilities (arithmetic), for the tokens of
        all the sentences one after the other: the same element-wise operations as sentence by sentence, in
        a few calls instead of a few per sentence."""
        parts = [np.concatenate(ps) for ps in (tagger.probabilities(sentences) for tagger in self.neural)]
        mixed = sum(parts) / len(parts)
        crf = np.concatenate(self.crf_marginals(sentences))
        w = self.crf_weight
        return w * crf + (1.0 - w) * mixed

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence."""
        if self.geometric or not self.neural or self.crf is None or not sentences:
            return viterbi_many([np.log(p + 1e-6) for p in self._probabilities(sentences)])
        return viterbi_many(_split(np.log(self._mixed(sentences) + 1e-6), sentences))


def _split(tokens: np.ndarray, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
    """Per-sentence rows of an array over the tokens of all ``sentences`` one after the other."""
    return np.split(tokens, np.cumsum([len(s) for s in sentences])[:-1]) if sentences else []


def default_tagger(with_crf: bool = True, crf_weight: float = CRF_WEIGHT,
                   models: Sequence[str | Path] | None = None) -> EnsembleTagger:
    """The shipped ensemble: every ``data/ner_neural*.npz`` model (seeds), or ``models``, and, if ``with_crf``,
    the CRF."""
    models = list(models) if models else sorted(DATA.glob("ner_neural*.npz"))
    if not models:
        raise FileNotFoundError(f"no neural NER model in {DATA} (build it with tools/ner/train_neural.py)")
    neural = [NeuralTagger.shared(path) for path in models]
    crf = None
    if with_crf:
        from arshif.entities.crf import CrfExtractor

        crf = CrfExtractor().load()
    return EnsembleTagger(neural, crf, crf_weight).prepare()


def _crf_extractor_class():
    from arshif.entities.crf import CrfExtractor

    return CrfExtractor


class EnsembleExtractor(_crf_extractor_class()):
    """``CrfExtractor`` (tokenization, document-level consistency, punctuation trimming, clitics outside spans)
    whose tags come from the ensemble of the neural models and the CRF (``default_tagger``)."""

    name = "ensemble"

    def __init__(self, with_crf: bool = True, models: Sequence[str | Path] | None = None, **options):
        super().__init__(**options)
        self.with_crf = with_crf
        self.models = models  # neural model files (default: the shipped ones)
        self._ensemble: EnsembleTagger | None = None

    def load(self) -> "EnsembleExtractor":
        super().load()
        if self._ensemble is None:
            self._ensemble = default_tagger(with_crf=False, models=self.models)
            if self.with_crf:
                self._ensemble.crf = self
                self._ensemble.crf_weight = CRF_WEIGHT
                self._ensemble.prepare()
        return self

    def tag_sentences(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        """BIO tags for each sentence from the ensemble (``extract``: the sentences of one article, batched
        together; no batching across articles, whose tags must not depend on each other)."""
        self.load()
        return self._ensemble.tag_sentences(sentences)
