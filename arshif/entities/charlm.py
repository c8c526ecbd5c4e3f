"""Contextual character language-model features of the neural tagger (Flair: Akbik et al. 2018), in NumPy.

A forward and a backward character LSTM language model, pretrained on the normalized unlabeled news by
``tools/ner/pretrain_charlm.py`` (PyTorch), read a sentence as one string: ``"\\n"`` + the normalized tokens
(``normalize_word``, the normalization of the tagger's inputs) joined by spaces + ``"\\n"``.  A token's
contextual embedding is the forward LM's state on the delimiter right after the token (it has read the sentence
up to and including the token) and the backward LM's state on the delimiter right before it (it has read the
rest of the sentence, right to left, through the token).  The LMs are frozen: the tagger takes the
concatenation as an extra input block (``neural.NeuralTagger``).

Both directions run at once, vectorized over the sentences of one batch (padded at the end of each string: the
backward LM reads every string reversed, so padding never comes before a real character), from sentences of one
``extract`` call only, so an article's features never depend on another article.  The weights are stored as
float16 with the tagger (``lm_*`` arrays of ``ner_neural*.npz``): per character the input projection of each
direction (embedding times input weights plus both biases, ``lm_in_f``/``lm_in_b``, row 0 padding = 0, row 1
unknown characters), the recurrent weights (``lm_hh_f``/``lm_hh_b``, PyTorch's gate order i, f, g, o, transposed)
and the characters (``lm_chars``: code points of rows 2, 3, ...).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from arshif.text.normalize import normalize_word

BOUNDARY = "\n"
_CODEPOINTS = 1 << 16  # the lookup table covers the BMP; other characters are unknown
PAD_ROWS = 7  # a step of the recurrence costs about as much as this many rows of it (measured, 64 units)


@lru_cache(maxsize=50_000)
def token_form(token: str) -> str:
    """What the LMs read for one token: its normalized form, without spaces (never empty)."""
    form = normalize_word(token)
    if " " in form or not form:
        form = form.replace(" ", "") or "_"
    return form


def sentence_text(tokens: Sequence[str]) -> str:
    """The string the LMs read for a sentence (the same function in training and at tag time)."""
    return BOUNDARY + " ".join(map(token_form, tokens)) + BOUNDARY


def lstm_pass(gates_in: np.ndarray, weights: Sequence[np.ndarray], hidden: int) -> np.ndarray:
    """LSTM directions at once over (T, D, B, 4H) precomputed input gates (``weights``: the D recurrent matrices,
    (H, 4H) each), gate order (i, f, o, cell) with the three sigmoid gates' inputs and weights halved (one tanh
    gives sigmoid(x) = (1 + tanh(x / 2)) / 2); returns the hidden states (T, D, B, H).  Each direction's
    sequences must be laid out in its reading order."""
    steps, dirs, batch, _ = gates_in.shape
    h = np.zeros((dirs, batch, hidden), dtype=np.float32)
    c = np.zeros((dirs, batch, hidden), dtype=np.float32)
    out = np.empty((steps, dirs, batch, hidden), dtype=np.float32)
    h2, h3 = 2 * hidden, 3 * hidden
    g = np.empty((dirs, batch, 4 * hidden), dtype=np.float32)
    pairs = list(zip(range(dirs), g, weights))
    sig = g[:, :, :h3]
    gate_i, gate_f, gate_o, cell = g[:, :, :hidden], g[:, :, hidden:h2], g[:, :, h2:h3], g[:, :, h3:]
    ic = np.empty((dirs, batch, hidden), dtype=np.float32)  # buffers: no array is allocated in the loop
    tc = np.empty((dirs, batch, hidden), dtype=np.float32)
    matmul, add = np.matmul, np.add
    for t in range(steps):
        for d, g_d, w in pairs:  # 2-D products per direction are faster than one stacked product here
            matmul(h[d], w, out=g_d)
        add(g, gates_in[t], out=g)
        h = out[t]
        _cell(g, sig, c, (gate_i, gate_f, gate_o, cell), ic, tc, h)
    return out


def _cell(g: np.ndarray, sig: np.ndarray, c: np.ndarray, gates: tuple[np.ndarray, ...], ic: np.ndarray,
          tc: np.ndarray, h: np.ndarray) -> None:
    """One LSTM step from the summed gate inputs ``g`` (i, f, o halved for the sigmoid, then cell), in place:
    ``c`` becomes the new cell and ``h`` the new state (``ic``, ``tc``: buffers)."""
    gate_i, gate_f, gate_o, cell = gates
    np.tanh(g, out=g)
    np.multiply(sig, _HALF, out=sig)  # sigmoid(x) = (tanh(x / 2) + 1) / 2, x / 2 in the weights (the same bits)
    np.add(sig, _HALF, out=sig)
    np.multiply(c, gate_f, out=c)
    np.multiply(gate_i, cell, out=ic)
    np.add(c, ic, out=c)
    np.tanh(c, out=tc)
    np.multiply(gate_o, tc, out=h)


_HALF = np.float32(0.5)


def lm_pass(ids: np.ndarray, tables: Sequence[np.ndarray], weights: Sequence[np.ndarray], hidden: int) -> np.ndarray:
    """``lstm_pass`` whose input gates are rows of per-character tables, gathered step by step (``ids``: (T, D, B)
    character rows, each direction in its reading order): no (T, D, B, 4H) array is made, the step's rows stay
    in cache.  Returns the hidden states (T, D, B, H)."""
    steps, dirs, batch = ids.shape
    h = np.zeros((dirs, batch, hidden), dtype=np.float32)
    c = np.zeros((dirs, batch, hidden), dtype=np.float32)
    out = np.empty((steps, dirs, batch, hidden), dtype=np.float32)
    h2, h3 = 2 * hidden, 3 * hidden
    g = np.empty((dirs, batch, 4 * hidden), dtype=np.float32)
    x = np.empty((dirs, batch, 4 * hidden), dtype=np.float32)
    pairs = list(zip(range(dirs), g, weights, x, tables))
    sig = g[:, :, :h3]
    gate_i, gate_f, gate_o, cell = g[:, :, :hidden], g[:, :, hidden:h2], g[:, :, h2:h3], g[:, :, h3:]
    ic = np.empty((dirs, batch, hidden), dtype=np.float32)
    tc = np.empty((dirs, batch, hidden), dtype=np.float32)
    matmul, add, take = np.matmul, np.add, np.take
    for t in range(steps):
        step = ids[t]
        for d, g_d, w, x_d, table in pairs:
            matmul(h[d], w, out=g_d)
            take(table, step[d], axis=0, out=x_d)
        add(g, x, out=g)
        h = out[t]
        _cell(g, sig, c, (gate_i, gate_f, gate_o, cell), ic, tc, h)
    return out


def torch_to_runtime(gates: np.ndarray, hidden: int) -> np.ndarray:
    """Columns in PyTorch's gate order (i, f, cell, o) -> (i, f, o, cell), the sigmoid gates halved."""
    perm = np.concatenate([np.arange(0, 2 * hidden), np.arange(3 * hidden, 4 * hidden),
                           np.arange(2 * hidden, 3 * hidden)])
    out = np.ascontiguousarray(gates[..., perm], dtype=np.float32)
    out[..., :3 * hidden] *= np.float32(0.5)
    return out


class CharLM:
    """The character LMs (NumPy), from the ``lm_*`` arrays of a tagger file (see the module docstring): forward
    and backward, or the forward one alone when the file has no ``lm_in_b``."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.hidden = h = arrays["lm_hh_f"].shape[0]
        names = ("f", "b") if "lm_in_b" in arrays else ("f",)
        self.inputs = [torch_to_runtime(arrays[f"lm_in_{d}"], h) for d in names]
        for table in self.inputs:
            table[0] = 0.0  # padding
        self.weights = [torch_to_runtime(arrays[f"lm_hh_{d}"], h) for d in names]
        chars = arrays["lm_chars"].astype(np.int64)
        self.lookup = np.ones(_CODEPOINTS + 1, dtype=np.int64)  # 1: unknown
        keep = chars < _CODEPOINTS
        self.lookup[chars[keep]] = np.arange(2, 2 + len(chars))[keep]
        self.directions = len(names)
        self.dim = self.directions * h

    def char_ids(self, text: str) -> np.ndarray:
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        return self.lookup[np.minimum(codes, _CODEPOINTS)]

    def embed_many(self, sentences: Sequence[Sequence[str]], max_chars: int = 32_768) -> list[np.ndarray]:
        """``embed`` of each sentence, (len(sentence), dim) each: the sentences sorted by string length and cut
        into the batches of least estimated cost (``batches``), so that padding costs less than extra steps."""
        out: list[np.ndarray] = [np.zeros((0, self.dim), np.float32)] * len(sentences)
        size = [len(sentence_text(s)) if s else 0 for s in sentences]  # (token_form is cached)
        order = sorted((i for i, s in enumerate(sentences) if s), key=size.__getitem__)
        for chunk in self.batches([size[i] for i in order], max_chars):
            emb = self.embed([sentences[order[k]] for k in chunk])
            for j, k in enumerate(chunk):
                i = order[k]
                out[i] = emb[j, :len(sentences[i])]
        return out

    @staticmethod
    def batches(lengths: Sequence[int], max_chars: int) -> list[range]:
        """Consecutive runs of ``lengths`` (sorted) of least cost, a run of k strings whose longest has L
        characters costing L * (PAD_ROWS + k) (a step costs about PAD_ROWS rows); at most ``max_chars`` a run."""
        n = len(lengths)
        length = np.asarray(lengths, dtype=np.float64)
        best = np.zeros(n + 1)
        start = np.zeros(n + 1, dtype=np.int64)
        for j in range(1, n + 1):
            first = np.arange(j)  # the run is lengths[i:j]
            rows = j - first
            cost = best[:j] + length[j - 1] * (PAD_ROWS + rows)
            cost[rows * length[j - 1] > max_chars] = np.inf
            cost[j - 1] = best[j - 1] + length[j - 1] * (PAD_ROWS + 1)
            k = int(np.argmin(cost))
            best[j], start[j] = cost[k], k
        runs = []
        j = n
        while j > 0:
            runs.append(range(int(start[j]), j))
            j = int(start[j])
        return runs[::-1]

    def embed(self, sentences: Sequence[Sequence[str]], steps: int | None = None) -> np.ndarray:
        """(B, steps, dim) contextual embeddings of the tokens of each sentence (forward state after the token,
        then backward state before it), zero beyond a sentence's last token; ``steps`` defaults to the longest."""
        batch = len(sentences)
        tokens = steps if steps is not None else max(map(len, sentences))
        forms = [[token_form(t) for t in s] for s in sentences]
        texts = [BOUNDARY + " ".join(f) + BOUNDARY for f in forms]
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=batch)
        width = int(lengths.max())
        two = self.directions == 2
        ids = np.zeros((batch, width), dtype=np.int64)
        rev = np.zeros((batch, width), dtype=np.int64) if two else None
        for s, text in enumerate(texts):
            row = self.char_ids(text)
            ids[s, :len(row)] = row
            if two:
                rev[s, :len(row)] = row[::-1]
        h = self.hidden
        steps_ids = np.stack([ids.T, rev.T], axis=1) if two else ids.T[:, None, :]
        states = lm_pass(np.ascontiguousarray(steps_ids), self.inputs, self.weights, h)
        out = np.zeros((batch, tokens, self.dim), dtype=np.float32)
        for s, f in enumerate(forms):
            n = len(f)
            if not n:
                continue
            form_lengths = np.fromiter(map(len, f), dtype=np.int64, count=n)
            after = np.cumsum(form_lengths + 1)  # index of the delimiter after each token
            out[s, :n, :h] = states[after, 0, s]
            if two:
                before = after - form_lengths - 1  # index of the delimiter before it
                out[s, :n, h:] = states[lengths[s] - 1 - before, 1, s]
        return out
