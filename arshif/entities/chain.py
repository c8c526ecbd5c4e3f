"""Linear-chain decoding in NumPy: the BIO labels and their chunks, Viterbi, forward-backward, and the CRF's scores.

Shared by the neural tagger (``neural``: its CRF output layer), the CRF tagger (``crf``: ``--ner crf``) and
their ensemble (``--ner default``). ``CrfScorer`` reads the weights of the trained CRF (``data/ner.crfsuite``)
once and scores sentences in NumPy: the state scores a word type contributes (its own features, and what it
gives to each neighbour in ``features.WINDOW``) are computed once per type and cached (from the type's
``WordFeatures.parts``; the weight rows of a neighbour feature at each offset are cached per feature, so no
prefixed feature string is built twice), so a batch of sentences costs a gather, its bigram and gazetteer
features, and a vectorized recurrence. Its Viterbi path is the one
``pycrfsuite.Tagger.tag`` gives and its marginals are ``pycrfsuite.Tagger.marginal``'s
(tests/test_ner_tagger.py, tests/test_ner_neural.py), at a fraction of the cost of handing every feature
string to crfsuite.
"""

from __future__ import annotations

from itertools import filterfalse
from typing import Iterator, Sequence

import numpy as np

from arshif.entities.features import WINDOW, WordFeatures, sentence_matches

LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
LABEL_INDEX = {label: i for i, label in enumerate(LABELS)}
CRF_TYPE_CACHE = 200_000  # word types whose CRF state scores are kept (45 floats each)
GIVEN_CACHE = 200_000  # neighbour features whose weight rows at each offset are kept (CrfScorer._given)


def chunks(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity chunks ``(start, end, type)`` (end exclusive) of a BIO tag sequence."""
    found: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O":  # most tags: closes the open chunk, opens none
            if start >= 0:
                found.add((start, i, kind))
                start, kind = -1, ""
            continue
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind and start >= 0
        if start >= 0 and not continues:
            found.add((start, i, kind))
            start, kind = -1, ""
        if prefix == "B" or (prefix == "I" and not continues):
            start, kind = i, label
    return found


def bio_masks() -> tuple[np.ndarray, np.ndarray]:
    """(transition mask [from, to], start mask): I-X only after B-X or I-X."""
    n = len(LABELS)
    trans = np.ones((n, n), dtype=bool)
    start = np.ones(n, dtype=bool)
    for j, label in enumerate(LABELS):
        if label.startswith("I-"):
            start[j] = False
            for i, prev in enumerate(LABELS):
                trans[i, j] = prev[2:] == label[2:]
    return trans, start


_TRANS, _START = bio_masks()
_NEG = np.float32(-1e4)


def viterbi_bio(log_probs: np.ndarray) -> list[str]:
    """The most probable label sequence under the BIO constraint, for (n, len(LABELS)) log-probabilities."""
    return viterbi_many([log_probs])[0]


def viterbi_many(log_probs: Sequence[np.ndarray], batch: int = 256, trans: np.ndarray | None = None,
                 start: np.ndarray | None = None) -> list[list[str]]:
    """``viterbi_bio`` for many sentences, vectorized over sentences of similar length.

    ``log_probs`` are per-token scores (n, len(LABELS)). By default a path pays only the BIO constraint;
    ``trans`` (from, to) and ``start`` give other scores for a transition and a first label (a CRF's weights),
    in their own dtype."""
    out: list[list[str]] = [[] for _ in log_probs]
    order = sorted((i for i, lp in enumerate(log_probs) if len(lp)), key=lambda i: len(log_probs[i]))
    if trans is None:
        trans = np.where(_TRANS, 0.0, _NEG).astype(np.float32)
    start_penalty = np.where(_START, 0.0, _NEG).astype(np.float32) if start is None else start
    dtype = np.result_type(trans, start_penalty)
    n_labels = len(LABELS)
    for begin in range(0, len(order), batch):
        chunk = order[begin:begin + batch]
        lengths = np.array([len(log_probs[i]) for i in chunk])
        steps = int(lengths.max())
        lp = np.zeros((len(chunk), steps, n_labels), dtype=dtype)
        for k, i in enumerate(chunk):
            lp[k, :lengths[k]] = log_probs[i]
        back = np.zeros((len(chunk), steps, n_labels), dtype=np.int8)
        score = lp[:, 0] + start_penalty  # row k holds its sentence's scores until that sentence ends
        ends = lengths - 1
        # the sentences go shortest first, so those still running at step t are a tail of the batch
        live = np.searchsorted(ends, np.arange(steps), side="left")
        for t in range(1, steps):
            lo = live[t]
            cand = score[lo:, :, None] + trans  # (B, from, to)
            back[lo:, t] = np.argmax(cand, axis=1)
            score[lo:] = cand.max(axis=1) + lp[lo:, t]
        best = np.argmax(score, axis=1)
        for k, i in enumerate(chunk):  # (a backtrace vectorized over the sentences was slower on one article)
            label = int(best[k])
            path = [label]
            row = back[k]
            for t in range(int(ends[k]), 0, -1):
                label = int(row[t, label])
                path.append(label)
            out[i] = [LABELS[j] for j in reversed(path)]
    return out


def crf_marginals(emissions: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray,
                  end: np.ndarray) -> np.ndarray:
    """Per-token marginals of a linear-chain CRF (scaled forward-backward in probability space, each step
    normalized), vectorized over a right-padded batch.

    ``emissions`` (B, T, L), ``lengths`` (B,), ``trans`` (L, L) from -> to, ``start`` / ``end`` (L,).
    The forward and the backward recurrence run in the same loop, one stacked product a step: the backward one
    reads each sentence right-aligned (its last token at step 0), so that every sentence starts from the end
    scores at once and no step needs a mask. Each product is the one the two recurrences would make apart, on
    the same rows, so the bits are those of running them one after the other."""
    batch, steps, n_labels = emissions.shape
    em = emissions.astype(np.float64)
    x = np.exp(em - em.max(axis=2, keepdims=True))  # row scale cancels in the per-step normalization
    last = lengths - 1
    # xs[t, 0]: the scores of step t forward; xs[t, 1]: those of position n - 1 - t of each sentence (padding
    # before a sentence's start reads its first position: finite, and never reaching a real position)
    xs = np.empty((steps, 2, batch, n_labels))
    xs[:, 0] = x.transpose(1, 0, 2)
    back = np.maximum(last[None, :] - np.arange(steps)[:, None], 0)  # (T, B)
    xs[:, 1] = x[np.arange(batch)[None, :], back]
    e = np.exp(trans.astype(np.float64))
    pair = np.stack([e, np.ascontiguousarray(e.T)])  # forward: alpha @ e; backward: (x * beta) @ e.T
    states = np.empty((steps, 2, batch, n_labels))  # [t, 0]: alpha at step t; [t, 1]: beta at position n - 1 - t
    a = x[:, 0] * np.exp(start - start.max())
    states[0, 0] = a / a.sum(axis=1, keepdims=True)
    final = np.exp(end - end.max())
    states[0, 1] = final / final.sum()
    prev = np.empty((2, batch, n_labels))
    cur = np.empty((2, batch, n_labels))
    total = np.empty((2, batch, 1))
    forward = cur[0]
    matmul, multiply, divide, add = np.matmul, np.multiply, np.divide, np.add
    for t in range(1, steps):
        prev[0] = states[t - 1, 0]
        multiply(xs[t - 1, 1], states[t - 1, 1], out=prev[1])
        matmul(prev, pair, out=cur)
        multiply(forward, xs[t, 0], out=forward)
        add.reduce(cur, axis=2, keepdims=True, out=total)
        divide(cur, total, out=states[t])
    alpha = states[:, 0].transpose(1, 0, 2)
    beta = states[back.T, 1, np.arange(batch)[:, None]]  # position p of sentence b: backward step n - 1 - p
    m = alpha * beta
    m /= m.sum(axis=2, keepdims=True)
    return m.astype(np.float32)



# ----------------------------------------------------------------------------------------------------------
# The CRF's scores

class CrfScorer:
    """The CRF's per-token state scores, marginals and Viterbi tags, computed in NumPy from its weights.

    ``dtype`` is that of the weights and sums: float32 for the ensemble's marginals, float64 (crfsuite's own
    precision) where the tags must be crfsuite's."""

    def __init__(self, extractor, dtype: type = np.float32):
        extractor.load()
        self.features = extractor.features
        info = extractor.weights
        index = {label: i for i, label in enumerate(LABELS)}
        rows: dict[str, int] = {}
        entries = []
        for (attr, label), w in info.state_features.items():
            row = rows.setdefault(attr, len(rows))
            entries.append((row, index[label], w))
        self.rows = rows
        self.dtype = dtype
        self.weights = np.zeros((len(rows) + 1, len(LABELS)), dtype=dtype)  # last row: zero
        r, c, w = zip(*entries)
        self.weights[np.array(r), np.array(c)] = np.array(w, dtype=dtype)
        self.trans = np.zeros((len(LABELS), len(LABELS)), dtype=dtype)
        for (a, b), w in info.transitions.items():
            self.trans[index[a], index[b]] = w
        self.window = WINDOW
        self.zero = np.zeros(len(LABELS), dtype=dtype)
        # a label the model never saw is never chosen (crfsuite decodes over its own labels only)
        known = set(info.labels)
        self.start = np.array([0.0 if label in known else -1e30 for label in LABELS], dtype=dtype)
        self.bound = {off: self._vector(["%d:BOUND" % off]) for off in (-1, 1)}
        # the bigram features the model has a weight for ("bg+=A|B", "bg-=A|B"), as first stem -> second stem ->
        # row, with every "|" of the key tried as the separator: rows.get("bg+=" + a + "|" + b) without the string
        self._bigrams: dict[str, dict[str, dict[str, int]]] = {"bg+=": {}, "bg-=": {}}
        for attr, row in rows.items():
            pairs = self._bigrams.get(attr[:4])
            if pairs is not None:
                key = attr[4:]
                at = key.find("|")
                while at >= 0:
                    pairs.setdefault(key[:at], {})[key[at + 1:]] = row
                    at = key.find("|", at + 1)
        # the per-type cache: state scores in one matrix (row 0: zeros, for padding), token -> row, stems
        # (room for CRF_TYPE_CACHE types: zeroed memory is mapped lazily, so a row costs memory once written)
        self._scores = np.zeros((CRF_TYPE_CACHE + 1, 1 + len(WINDOW), len(LABELS)), dtype=dtype)
        self._row: dict[str, int] = {}
        self._stem: list[str] = [""]
        self._given: dict[str, tuple[int | None, ...]] = {}  # neighbour feature -> its row at each offset

    def clear_cache(self) -> None:
        """Forget every cached type (the next call starts cold)."""
        self._row.clear()
        self._stem[1:] = []

    def _given_rows(self, feature: str, prefixes: Sequence[str]) -> tuple[int | None, ...]:
        """The weight rows (None: no weight) of ``feature`` given to the neighbour at each ``WINDOW`` offset."""
        rows = self.rows
        found = self._given[feature] = tuple([rows.get(prefix + feature) for prefix in prefixes])
        return found

    def _vector(self, attrs: Sequence[str]) -> np.ndarray:
        idx = [self.rows[a] for a in attrs if a in self.rows]
        return self.weights[idx].sum(axis=0) if idx else self.zero

    def _types(self, tokens: set[str]) -> None:
        """Cache the (1 + len(WINDOW), L) contributions of new token types, all at once."""
        new = list(filterfalse(self._row.__contains__, tokens))
        if not new:
            return
        if len(self._row) + len(new) > CRF_TYPE_CACHE:
            self.clear_cache()  # bounded memory; a type's scores depend on the type alone
            new = list(tokens)
        rows = self.rows
        empty = len(self.weights) - 1
        flat: list[int] = []
        starts: list[int] = []
        stems = []
        parts = self.features.parts
        given = self._given
        if len(given) > GIVEN_CACHE:
            given.clear()
        prefixes = [f"{off}:" for off in self.window]
        near_offsets = [abs(off) == 1 for off in self.window]
        for token in new:
            own, neigh, near, _, stem = parts(token)
            stems.append(stem)
            starts.append(len(flat))
            # the rows of the features the model knows, in the order of WordFeatures.get (the order of the sums)
            flat.extend([r for f in own if (r := rows.get(f)) is not None] or (empty,))
            far_rows = [given.get(f) or self._given_rows(f, prefixes) for f in neigh]
            near_rows = far_rows + [given.get(f) or self._given_rows(f, prefixes) for f in near] if near else far_rows
            for j, close in enumerate(near_offsets):
                starts.append(len(flat))
                flat.extend([r for g in (near_rows if close else far_rows) if (r := g[j]) is not None] or (empty,))
        sums = np.add.reduceat(self.weights[np.array(flat)], np.array(starts), axis=0)
        sums = sums.reshape(len(new), 1 + len(self.window), len(LABELS))
        first = len(self._stem)
        if first + len(new) > len(self._scores):  # grow by doubling
            size = max(first + len(new), 2 * len(self._scores))
            grown = np.zeros((size, *self._scores.shape[1:]), dtype=self._scores.dtype)
            grown[:first] = self._scores[:first]
            self._scores = grown
        self._scores[first:first + len(new)] = sums
        self._row.update(zip(new, range(first, first + len(new))))
        self._stem.extend(stems)

    def marginals(self, sentences: Sequence[Sequence[str]], batch: int = 256) -> list[np.ndarray]:
        """Per-token marginals for each sentence, in ``LABELS`` order."""
        out: list[np.ndarray] = [np.zeros((0, len(LABELS)), np.float32) for _ in sentences]
        for chunk, lengths, em in self.emissions(sentences, batch):
            p = crf_marginals(em, lengths, self.trans, self.zero, self.zero)
            for k, i in enumerate(chunk):
                out[i] = p[k, :lengths[k]]
        return out

    def tags(self, sentences: Sequence[Sequence[str]], batch: int = 256) -> list[list[str]]:
        """The CRF's Viterbi tags for each sentence (``pycrfsuite.Tagger.tag``'s)."""
        scores: list[np.ndarray] = [np.zeros((0, len(LABELS)), self.dtype) for _ in sentences]
        for chunk, lengths, em in self.emissions(sentences, batch):
            for k, i in enumerate(chunk):
                scores[i] = em[k, :lengths[k]]
        return viterbi_many(scores, batch, trans=self.trans, start=self.start)

    def emissions(self, sentences: Sequence[Sequence[str]],
                  batch: int = 256) -> Iterator[tuple[list[int], np.ndarray, np.ndarray]]:
        """(sentence indices, lengths, (B, T, L) state scores, right-padded) for batches of the non-empty
        sentences, shortest first."""
        self._types({t for s in sentences for t in s})
        order = sorted((i for i, s in enumerate(sentences) if s), key=lambda i: len(sentences[i]))
        row_of = self._row
        stem_of = self._stem
        rows = self.rows
        weights = self.weights
        plus_pairs = self._bigrams["bg+="]
        minus_pairs = self._bigrams["bg-="]
        use_gazetteer = self.features.use_gazetteer
        scores = self._scores
        for begin in range(0, len(order), batch):
            chunk = order[begin:begin + batch]
            lengths = np.array([len(sentences[i]) for i in chunk])
            steps = int(lengths.max())
            ids = np.zeros((len(chunk), steps), dtype=np.int64)
            sparse_rows: list[int] = []
            sparse_at: list[tuple[int, int]] = []
            # (the sparse scores are added in the order of WordFeatures.sentence's features: the same sums)
            for k, i in enumerate(chunk):
                seq = list(map(row_of.__getitem__, sentences[i]))
                stems = list(map(stem_of.__getitem__, seq))
                n = len(seq)
                ids[k, :n] = seq
                for t in range(n - 1):
                    a = stems[t]
                    seconds = plus_pairs.get(a)
                    if seconds is not None:
                        r = seconds.get(stems[t + 1])
                        if r is not None:
                            sparse_rows.append(r)
                            sparse_at.append((k, t))
                    seconds = minus_pairs.get(a)
                    if seconds is not None:
                        r = seconds.get(stems[t + 1])
                        if r is not None:
                            sparse_rows.append(r)
                            sparse_at.append((k, t + 1))
                if use_gazetteer and sentence_matches(stems):
                    extra: list[list[str]] = [[] for _ in range(n)]
                    WordFeatures._gazetteer(stems, extra)
                    for t, attrs in enumerate(extra):
                        for a in attrs:
                            r = rows.get(a)
                            if r is not None:
                                sparse_rows.append(r)
                                sparse_at.append((k, t))
            contrib = scores[ids]  # (B, T, 1 + W, L); padding gives zeros
            em = contrib[:, :, 0].copy()
            for j, off in enumerate(self.window, start=1):
                if off > 0:
                    em[:, :steps - off] += contrib[:, off:, j]
                else:
                    em[:, -off:] += contrib[:, :steps + off, j]
            em[:, 0] += self.bound[-1]
            em[np.arange(len(chunk)), lengths - 1] += self.bound[1]
            if sparse_rows:
                at = np.array(sparse_at)
                np.add.at(em, (at[:, 0], at[:, 1]), weights[np.array(sparse_rows)])
            yield chunk, lengths, em
