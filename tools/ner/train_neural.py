"""Train the neural NER tagger of ``arshif.entities.neural`` (PyTorch, CPU, one thread) and export it for NumPy.

    python tools/ner/train_neural.py --vectors /tmp/arshif-ner/fasttext.kv [--corpora ...] [--seed 1] \
        [--out arshif/entities/data/ner_neural.npz] [--vectors-out arshif/entities/data/ner_vectors.npz]

Data: ANERcorp CAMeL Lab train.conll (its last 10% is the dev split used to pick the epoch; ``--full`` trains on
all of it for a fixed number of epochs) and, with their own output heads so that their label conventions stay
apart, the train.conll of the corpora named in ``--corpora`` (NewsFANE sentences overlapping ANERcorp dev text
are dropped, as in ``arshif.entities.train.load_training``).  Vectors: a gensim KeyedVectors file from
``tools/ner/pretrain_vectors.py``.  Prints its data sources, the dev scores on every dev set (head 0 = ANERcorp
conventions; alone and averaged with the CRF's marginals), and one JSON line of figures at the end.

Self-training: ``--pseudo FILE.conll`` (from ``tools/ner/pseudo_label.py``: unlabeled news tagged by the shipped
ensemble) adds pseudo-labeled sentences to the ANERcorp head (``--pseudo-head own``: to an output head of their
own), ``--pseudo-sample`` of them drawn afresh each epoch, their loss scaled by ``--pseudo-weight``;
``--pseudo-min-conf`` keeps only sentences whose teacher confidence (the ``# conf`` comment) reaches it.  The
ANERcorp dev tail is never trained on either way.  Results: tools/ner/README.md, "Self-training".
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from arshif.entities import chain, neural  # noqa: E402
from arshif.entities.evaluate import read_conll, score  # noqa: E402
from arshif.entities.train import CORE, anercorp_split, data_root, load_training  # noqa: E402

DEV_SETS = {"anercorp-tail": None, "newsfane-gold": "newsfane-gold/dev.conll", "aqmar": "aqmar/dev.conll",
            "wikifane-gold": "wikifane-gold/dev.conll", "wojood-sample": "wojood-sample/dev.conll"}
DEFAULT_CORPORA = ["newsfane-gold", "wikifane-gold", "aqmar", "wojood-sample"]
BLOCKS = ("vectors", "ngrams", "clusters", "clitics", "flags", "gazetteer", "charlm")


def quantize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and their float16 scales."""
    scale = np.abs(x).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.round(x / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float16)


def export_vectors(kv_path: Path, out: Path, size: int) -> None:
    """The ``size`` most frequent words of the pretrained vectors, int8, as ``ner_vectors.npz``."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load(str(kv_path))
    words = [w for w in kv.index_to_key if "\n" not in w][:size]
    vectors = np.asarray([kv[w] for w in words], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).mean()
    q, scale = quantize(vectors)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, words=np.array("\n".join(words)), q=q, scale=scale)
    print(f"wrote {out}: {len(words)} words x {vectors.shape[1]} ({out.stat().st_size} bytes) from {kv_path}")


def load_vectors(path: Path) -> tuple[dict[str, int], np.ndarray]:
    with np.load(path) as vec:
        words = str(vec["words"]).split("\n")
        table = np.vstack([np.zeros((1, vec["q"].shape[1]), np.float32), neural._dequantize(vec["q"], vec["scale"])])
    return {w: i + 1 for i, w in enumerate(words)}, table


class Encoded:
    """Sentences as index arrays (per token: vector row, n-gram ids, clusters, clitic, flags, gazetteer)."""

    def __init__(self, featurizer: neural.TokenFeaturizer):
        self.featurizer = featurizer
        self.cache: dict[str, tuple] = {}

    def sentence(self, words: list[str]) -> dict:
        feats = []
        for w in words:
            f = self.cache.get(w)
            if f is None:
                f = self.cache[w] = self.featurizer.type_features(w)
            feats.append(f)
        return {"rows": np.array([f[0] for f in feats], dtype=np.int64),
                "ngrams": [f[1] for f in feats],
                "clusters": np.array([f[2] for f in feats], dtype=np.int64),
                "clitic": np.array([f[3] for f in feats], dtype=np.int64),
                "flags": np.stack([f[4] for f in feats]),
                "gaz": self.featurizer.gazetteer_features([f[5] for f in feats])}


def read_pseudo(path: Path, min_conf: float = 0.0, limit: int = 0) -> list[tuple[list[str], list[str]]]:
    """Sentences of a ``pseudo_label.py`` file whose ``# conf`` is at least ``min_conf`` (the first ``limit``)."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    conf = 1.0

    def flush() -> None:
        nonlocal words, tags, conf
        if words and conf >= min_conf and (not limit or len(sentences) < limit):
            sentences.append((words, tags))
        words, tags, conf = [], [], 1.0

    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("# conf "):
                flush()
                conf = float(line.split()[2])
            elif not line.strip():
                flush()
            else:
                word, _, tag = line.rpartition("\t")
                words.append(word)
                tags.append(tag)
    flush()
    return sentences


def charlm_arrays(path: Path, directions: str) -> dict[str, np.ndarray]:
    """The ``lm_*`` arrays of a ``pretrain_charlm.py`` file (``directions`` "f": the forward LM alone)."""
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files if k.startswith("lm_")}
    if directions == "f":
        arrays = {k: v for k, v in arrays.items() if not k.endswith("_b")}
    return arrays


def add_charlm_features(lm, items: list[dict], words: list[list[str]], batch: int = 64) -> None:
    """``item["lm"]``: the frozen contextual embeddings (float16) of each sentence, computed by the NumPy runtime
    (``charlm.CharLM.embed``, so training sees the features tagging computes), in batches of similar length."""
    order = sorted(range(len(items)), key=lambda i: len(words[i]))
    for start in range(0, len(order), batch):
        chunk = [i for i in order[start:start + batch] if words[i]]
        if not chunk:
            continue
        emb = lm.embed([words[i] for i in chunk])
        for k, i in enumerate(chunk):
            items[i]["lm"] = emb[k, :len(words[i])].astype(np.float16)


def build_net(torch, vectors: np.ndarray, n_heads: int, hidden: int, cluster_sizes: tuple[int, int, int],
              disabled: set[str], ngram_dim: int = 48, crf: bool = False, lm_dim: int = 0):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.vectors = nn.Embedding.from_pretrained(torch.from_numpy(vectors), freeze=True)
            self.ngrams = nn.EmbeddingBag(neural.NGRAM_BUCKETS, ngram_dim, mode="mean")
            nn.init.normal_(self.ngrams.weight, std=0.1)
            self.clusters = nn.ModuleList([nn.Embedding(k, 16) for k in cluster_sizes])
            self.clitic = nn.Embedding(len(neural.PROCLITICS), 8)
            dim = vectors.shape[1] + ngram_dim + 3 * 16 + 8 + neural.N_FLAGS + neural.N_GAZ + lm_dim
            self.dims = [vectors.shape[1], ngram_dim, 16, 16, 16, 8, neural.N_FLAGS, neural.N_GAZ] + \
                ([lm_dim] if lm_dim else [])
            self.lm_dim = lm_dim
            self.drop_in = nn.Dropout(0.5)
            self.lstm = nn.LSTM(dim, hidden, batch_first=True, bidirectional=True)
            self.drop_out = nn.Dropout(0.3)
            self.heads = nn.Linear(2 * hidden, n_heads * len(chain.LABELS))
            self.n_heads = n_heads
            n_labels = len(chain.LABELS)
            if crf:
                self.trans = nn.Parameter(torch.zeros(n_heads, n_labels, n_labels))
                self.start = nn.Parameter(torch.zeros(n_heads, n_labels))
                self.end = nn.Parameter(torch.zeros(n_heads, n_labels))
            trans_mask, start_mask = chain.bio_masks()
            self.register_buffer("trans_pen", torch.from_numpy(np.where(trans_mask, 0.0, -1e4).astype(np.float32)))
            self.register_buffer("start_pen", torch.from_numpy(np.where(start_mask, 0.0, -1e4).astype(np.float32)))
            self.crf = crf

        def crf_nll(self, emissions, labels, heads, lengths, weights=None):
            """Mean negative log-likelihood of a linear-chain CRF (BIO-constrained), per-sentence head
            (``weights``: each sentence's factor)."""
            b, t, n = emissions.shape
            mask = torch.arange(t)[None, :] < lengths[:, None]
            trans = self.trans[heads] + self.trans_pen  # (B, L, L)
            start = self.start[heads] + self.start_pen
            end = self.end[heads]
            tags = labels.clamp(min=0)
            ar = torch.arange(b)
            gold = start[ar, tags[:, 0]] + emissions[ar, 0, tags[:, 0]]
            for i in range(1, t):
                step = trans[ar, tags[:, i - 1], tags[:, i]] + emissions[ar, i, tags[:, i]]
                gold = gold + step * mask[:, i]
            gold = gold + end[ar, tags[ar, lengths - 1]]
            alpha = start + emissions[:, 0]
            for i in range(1, t):
                nxt = torch.logsumexp(alpha[:, :, None] + trans, dim=1) + emissions[:, i]
                alpha = torch.where(mask[:, i:i + 1], nxt, alpha)
            log_z = torch.logsumexp(alpha + end, dim=1)
            if weights is not None:
                return ((log_z - gold) * weights).mean()
            return (log_z - gold).mean()

        def forward(self, batch):
            b, t = batch["rows"].shape
            parts = [self.vectors(batch["rows"]),
                     self.ngrams(batch["ng_flat"], batch["ng_offsets"]).view(b, t, -1),
                     *(emb(batch["clusters"][:, :, i]) for i, emb in enumerate(self.clusters)),
                     self.clitic(batch["clitic"]), batch["flags"], batch["gaz"]]
            names = ["vectors", "ngrams", "clusters", "clusters", "clusters", "clitics", "flags", "gazetteer"]
            if self.lm_dim:
                parts.append(batch["lm"])
                names.append("charlm")
            parts = [p * 0 if name in disabled else p for p, name in zip(parts, names)]
            x = self.drop_in(torch.cat(parts, dim=-1))
            packed = nn.utils.rnn.pack_padded_sequence(x, batch["lengths"], batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=t)
            return self.heads(self.drop_out(out)).view(b, t, self.n_heads, len(chain.LABELS))

    return Net()


def collate(torch, items: list[dict]) -> dict:
    n = len(items)
    t = max(len(it["rows"]) for it in items)
    rows = np.zeros((n, t), np.int64)
    clus = np.zeros((n, t, 3), np.int64)
    clitic = np.zeros((n, t), np.int64)
    flags = np.zeros((n, t, neural.N_FLAGS), np.float32)
    gaz = np.zeros((n, t, neural.N_GAZ), np.float32)
    lm = np.zeros((n, t, items[0]["lm"].shape[1]), np.float32) if "lm" in items[0] else None
    labels = np.full((n, t), -100, np.int64)
    heads = np.zeros(n, np.int64)
    weights = np.ones(n, np.float32)
    flat: list[int] = []
    offsets: list[int] = []
    for i, it in enumerate(items):
        m = len(it["rows"])
        rows[i, :m] = it["rows"]
        clus[i, :m] = it["clusters"]
        clitic[i, :m] = it["clitic"]
        flags[i, :m] = it["flags"]
        gaz[i, :m] = it["gaz"]
        if lm is not None and "lm" in it:
            lm[i, :m] = it["lm"]
        if "labels" in it:
            labels[i, :m] = it["labels"]
        heads[i] = it.get("head", 0)
        weights[i] = it.get("weight", 1.0)
        for j in range(t):
            offsets.append(len(flat))
            if j < m:
                flat.extend(it["ngrams"][j])
    out = {"lm": torch.from_numpy(lm)} if lm is not None else {}
    return out | {"rows": torch.from_numpy(rows), "clusters": torch.from_numpy(clus), "clitic": torch.from_numpy(clitic),
            "flags": torch.from_numpy(flags), "gaz": torch.from_numpy(gaz), "labels": torch.from_numpy(labels),
            "heads": torch.from_numpy(heads), "weights": torch.from_numpy(weights), "lengths": torch.tensor([len(it["rows"]) for it in items]),
            "ng_flat": torch.tensor(flat, dtype=torch.long), "ng_offsets": torch.tensor(offsets, dtype=torch.long)}


def predict(torch, net, items: list[dict], head: int = 0, batch_size: int = 64) -> list[list[str]]:
    net.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(items), batch_size):
            chunk = items[s:s + batch_size]
            emissions = net(collate(torch, chunk))[:, :, head]
            if net.crf:
                lengths = np.array([len(it["rows"]) for it in chunk])
                logp = np.log(chain.crf_marginals(
                    emissions.numpy(), lengths, (net.trans[head] + net.trans_pen).numpy(),
                    (net.start[head] + net.start_pen).numpy(), net.end[head].numpy()) + 1e-9)
            else:
                logp = torch.log_softmax(emissions, dim=-1).numpy()
            out.extend(chain.viterbi_many([logp[i, :len(it["rows"])] for i, it in enumerate(chunk)]))
    net.train()
    return out


def export(net, path: Path, head_names: list[str], disabled: set[str], lm_arrays: dict | None = None) -> None:
    """Weights for ``arshif.entities.neural.NeuralTagger`` (float16; n-gram table int8)."""
    sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    w_f = sd["lstm.weight_ih_l0"].T.copy()
    w_b = sd["lstm.weight_ih_l0_reverse"].T.copy()
    bounds = np.cumsum([0] + net.dims)
    names = ["vectors", "ngrams", "clusters", "clusters", "clusters", "clitics", "flags", "gazetteer", "charlm"]
    for k, name in enumerate(names[:len(net.dims)]):
        if name in disabled:
            w_f[bounds[k]:bounds[k + 1]] = 0
            w_b[bounds[k]:bounds[k + 1]] = 0
    ng_q, ng_scale = quantize(sd["ngrams.weight"])
    n_labels = len(chain.LABELS)
    head_w = sd["heads.weight"]
    head_b = sd["heads.bias"]
    arrays = {"w_ih_f": w_f, "w_ih_b": w_b, "w_hh_f": sd["lstm.weight_hh_l0"].T.copy(),
              "w_hh_b": sd["lstm.weight_hh_l0_reverse"].T.copy(),
              "b_f": sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"],
              "b_b": sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"],
              "clitic": sd["clitic.weight"], **{f"cluster{i}": sd[f"clusters.{i}.weight"] for i in range(3)}}
    for h in range(len(head_names)):
        arrays[f"out_w{h}"] = head_w[h * n_labels:(h + 1) * n_labels].T.copy()
        arrays[f"out_b{h}"] = head_b[h * n_labels:(h + 1) * n_labels]
        if net.crf:
            arrays[f"crf_trans{h}"] = sd["trans"][h] + sd["trans_pen"]
            arrays[f"crf_start{h}"] = sd["start"][h] + sd["start_pen"]
            arrays[f"crf_end{h}"] = sd["end"][h]
    arrays = {k: v.astype(np.float16) for k, v in arrays.items()}
    arrays.update(lm_arrays or {})  # the frozen character LMs, as pretrain_charlm.py stored them
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, ngram_q=ng_q, ngram_scale=ng_scale, head_names=np.array("\n".join(head_names)),
                        **arrays)
    print(f"wrote {path} ({path.stat().st_size} bytes)")


def dev_sets() -> dict[str, list]:
    root = data_root()
    sets = {}
    for name, rel in DEV_SETS.items():
        sets[name] = anercorp_split(root)[1] if rel is None else read_conll(root / rel)
    return sets


def evaluate_all(tagger, sets: dict[str, list]) -> dict[str, dict]:
    """Scores of ``tagger(list of token lists) -> tags`` on every dev set."""
    results = {}
    for name, sentences in sets.items():
        r = score([s[1] for s in sentences], tagger([s[0] for s in sentences]))
        results[name] = {"micro": r["micro"]["f1"], **{t: v["f1"] for t, v in r["per_type"].items()}}
    return results


def table(rows: dict[str, dict[str, dict]]) -> str:
    lines = []
    for label, results in rows.items():
        cells = [f"{name} {r['micro']:.1f} (P{r.get('PER', 0):.0f} L{r.get('LOC', 0):.0f} O{r.get('ORG', 0):.0f} "
                 f"M{r.get('MISC', 0):.0f})" for name, r in results.items()]
        lines.append(f"{label:<22} " + " | ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vectors", type=Path, default=Path("/tmp/arshif-ner/fasttext.kv"),
                        help="gensim KeyedVectors from tools/ner/pretrain_vectors.py")
    parser.add_argument("--vectors-npz", type=Path, default=None,
                        help="use this exported ner_vectors.npz instead of exporting from --vectors")
    parser.add_argument("--vocab-size", type=int, default=60_000)
    parser.add_argument("--corpora", nargs="*", default=DEFAULT_CORPORA)
    parser.add_argument("--wiki-sample", type=int, default=3000, help="wikifane sentences drawn per epoch")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="train on all of ANERcorp train, for --epochs epochs")
    parser.add_argument("--disable", nargs="*", default=[], choices=BLOCKS, help="feature blocks to leave out")
    parser.add_argument("--out", type=Path, default=Path("/tmp/arshif-ner/ner_neural.npz"))
    parser.add_argument("--vectors-out", type=Path, default=Path("/tmp/arshif-ner/ner_vectors.npz"))
    parser.add_argument("--crf", action="store_true", help="CRF output layer (else softmax per token)")
    parser.add_argument("--average-last", type=int, default=0, metavar="K",
                        help="export the mean of the weights after each of the last K epochs (no epoch is chosen "
                        "on the dev split then)")
    parser.add_argument("--pseudo", type=Path, default=None, metavar="FILE.conll",
                        help="pseudo-labeled sentences (tools/ner/pseudo_label.py) for the ANERcorp head")
    parser.add_argument("--pseudo-sample", type=int, default=6000, help="pseudo sentences drawn per epoch (0: all)")
    parser.add_argument("--pseudo-weight", type=float, default=1.0, help="loss factor of a pseudo sentence")
    parser.add_argument("--pseudo-min-conf", type=float, default=0.0, help="keep pseudo sentences whose teacher "
                        "confidence is at least this")
    parser.add_argument("--pseudo-head", choices=("anercorp", "own"), default="anercorp",
                        help="train the pseudo sentences on the ANERcorp head, or on an output head of their own "
                        "(then only the shared layers learn from them)")
    parser.add_argument("--pseudo-max", type=int, default=0, help="use the first N kept pseudo sentences (0: all)")
    parser.add_argument("--charlm", type=Path, default=None, metavar="LM.npz",
                        help="contextual character-LM features from tools/ner/pretrain_charlm.py (frozen)")
    parser.add_argument("--charlm-dirs", choices=("fb", "f"), default="fb",
                        help="both LMs (forward state after the token + backward state before it) or the forward one")
    parser.add_argument("--no-eval", action="store_true")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    started = time.perf_counter()
    if args.vectors_npz is None:
        export_vectors(args.vectors, args.vectors_out, args.vocab_size)
        args.vectors_npz = args.vectors_out
    vocab, table_ = load_vectors(args.vectors_npz)
    print(f"vectors: {args.vectors_npz} ({len(vocab)} words)")
    featurizer = neural.TokenFeaturizer(vocab)
    enc = Encoded(featurizer)
    root = data_root()
    head_names = ["anercorp"] + list(args.corpora)
    pseudo_head = 0
    if args.pseudo and args.pseudo_head == "own":
        head_names.append("pseudo")
        pseudo_head = len(head_names) - 1
    train_core, dev = anercorp_split(root)
    if args.full:
        train_core = train_core + dev
    print(f"data: {root / CORE / 'train.conll'}: {len(train_core)} train sentences"
          + (" (all, --full)" if args.full else f", last {len(dev)} held out as dev"))
    by_head: list[list[dict]] = []
    for h, name in enumerate(head_names):
        if name == "pseudo" and h == pseudo_head:
            continue
        if h == 0:
            sentences = train_core
        else:
            extra, _ = load_training([name], root=root, log=lambda m: print("data:", m))
            sentences = extra[len(anercorp_split(root)[0]):]
        items = []
        for words, tags in sentences:
            item = enc.sentence(words)
            item["labels"] = np.array([chain.LABEL_INDEX.get(t, 0) for t in tags], np.int64)
            item["head"] = h
            items.append(item)
        by_head.append(items)
    pseudo_items: list[dict] = []
    if args.pseudo:
        pseudo = read_pseudo(args.pseudo, args.pseudo_min_conf, args.pseudo_max)
        for words, tags in pseudo:
            item = enc.sentence(words)
            item["labels"] = np.array([chain.LABEL_INDEX.get(t, 0) for t in tags], np.int64)
            item["head"] = pseudo_head
            item["weight"] = args.pseudo_weight
            pseudo_items.append(item)
        print(f"data: {args.pseudo}: {len(pseudo_items)} pseudo-labeled sentences "
              f"({sum(len(w) for w, _ in pseudo)} tokens; conf >= {args.pseudo_min_conf}) on the "
              f"{head_names[pseudo_head]} head, "
              f"{args.pseudo_sample or len(pseudo_items)} per epoch, loss weight {args.pseudo_weight}")
    sets = dev_sets()
    dev_items = {name: [enc.sentence(w) for w, _ in s] for name, s in sets.items()}
    lm_arrays = None
    lm_dim = 0
    if args.charlm:
        from arshif.entities.charlm import CharLM

        lm_arrays = charlm_arrays(args.charlm, args.charlm_dirs)
        lm = CharLM(lm_arrays)
        lm_dim = lm.dim
        t_lm = time.perf_counter()
        add_charlm_features(lm, by_head[0], [words for words, _ in train_core])
        for h, name in enumerate(head_names[1:], start=1):
            if name == "pseudo":
                continue
            extra, _ = load_training([name], root=root, log=lambda m: None)
            add_charlm_features(lm, by_head[h], [w for w, _ in extra[len(anercorp_split(root)[0]):]])
        if pseudo_items:
            add_charlm_features(lm, pseudo_items, [w for w, _ in pseudo])
        for name, s in sets.items():
            add_charlm_features(lm, dev_items[name], [w for w, _ in s])
        print(f"charlm: {args.charlm} ({args.charlm_dirs}, {lm_dim} dims), features of every sentence in "
              f"{time.perf_counter() - t_lm:.0f} s", flush=True)
    cluster_sizes = tuple(int(max(int(e[i]) for e in neural.clusters().values())) + 2 for i in range(1, 4))
    net = build_net(torch, table_, len(head_names), args.hidden, cluster_sizes, set(args.disable), crf=args.crf,
                    lm_dim=lm_dim)
    optimizer = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    best = (-1.0, 0)
    best_state = None
    averaged: dict | None = None
    n_averaged = 0
    for epoch in range(1, args.epochs + 1):
        epoch_items = list(by_head[0])
        for h, items in enumerate(by_head[1:], start=1):
            if head_names[h] == "wikifane-gold" and len(items) > args.wiki_sample:
                epoch_items.extend(random.sample(items, args.wiki_sample))
            else:
                epoch_items.extend(items)
        if pseudo_items:
            if args.pseudo_sample and len(pseudo_items) > args.pseudo_sample:
                epoch_items.extend(random.sample(pseudo_items, args.pseudo_sample))
            else:
                epoch_items.extend(pseudo_items)
        random.shuffle(epoch_items)
        # batches of similar length
        epoch_items.sort(key=lambda it: len(it["rows"]) + random.random() * 8)
        batches = [epoch_items[i:i + 32] for i in range(0, len(epoch_items), 32)]
        random.shuffle(batches)
        total = 0.0
        t0 = time.perf_counter()
        for items in batches:
            batch = collate(torch, items)
            logits = net(batch)
            b, t = batch["rows"].shape
            idx = batch["heads"].view(b, 1, 1, 1).expand(b, t, 1, len(chain.LABELS))
            chosen = logits.gather(2, idx).squeeze(2)
            if args.crf:
                loss = net.crf_nll(chosen, batch["labels"], batch["heads"], batch["lengths"],
                                   batch["weights"] if pseudo_items else None)
            elif pseudo_items:
                per_token = torch.nn.functional.cross_entropy(
                    chosen.reshape(-1, len(chain.LABELS)), batch["labels"].reshape(-1), ignore_index=-100,
                    reduction="none").view(b, t)
                real = (batch["labels"] != -100).float()
                loss = (per_token * batch["weights"][:, None]).sum() / real.sum()
            else:
                loss = loss_fn(chosen.reshape(-1, len(chain.LABELS)), batch["labels"].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optimizer.step()
            total += loss.item()
        for group in optimizer.param_groups:
            group["lr"] *= 0.95
        msg = f"epoch {epoch}: loss {total / len(batches):.4f}, {time.perf_counter() - t0:.0f} s"
        if args.average_last and epoch > args.epochs - args.average_last:
            state = net.state_dict()
            if averaged is None:
                averaged = {k: v.detach().clone().double() if v.is_floating_point() else v.clone()
                            for k, v in state.items()}
            else:
                for k, v in state.items():
                    if v.is_floating_point():
                        averaged[k] += v.detach().double()
            n_averaged += 1
        if not args.full:
            pred = predict(torch, net, dev_items["anercorp-tail"])
            f1 = score([s[1] for s in sets["anercorp-tail"]], pred)["micro"]["f1"]
            msg += f", anercorp dev F1 {f1:.2f}"
            if f1 > best[0] and not args.average_last:
                best = (f1, epoch)
                best_state = {k: v.clone() for k, v in net.state_dict().items()}
        print(msg, flush=True)
    if averaged is not None:
        state = net.state_dict()
        net.load_state_dict({k: (v / n_averaged).to(state[k].dtype) if v.is_floating_point() else v
                             for k, v in averaged.items()})
        msg = f"weights averaged over the last {n_averaged} epochs"
        if not args.full:
            pred = predict(torch, net, dev_items["anercorp-tail"])
            msg += f" (anercorp dev F1 {score([s[1] for s in sets['anercorp-tail']], pred)['micro']['f1']:.2f})"
        print(msg, flush=True)
    if best_state is not None:
        net.load_state_dict(best_state)
        print(f"best epoch {best[1]} (anercorp dev F1 {best[0]:.2f})")
    export(net, args.out, head_names, set(args.disable), lm_arrays)
    info = {"seconds": round(time.perf_counter() - started), "args": {k: str(v) for k, v in vars(args).items()},
            "best_epoch": best[1], "model_bytes": args.out.stat().st_size}
    if not args.no_eval:
        tagger = neural.NeuralTagger(args.out, args.vectors_npz)
        rows = {"neural": evaluate_all(tagger.tag_sentences, sets)}
        from arshif.entities.crf import CrfExtractor

        crf = CrfExtractor().load()
        for w in (0.3, 0.5):
            ens = neural.EnsembleTagger([tagger], crf, crf_weight=w)
            rows[f"ensemble crf w={w}"] = evaluate_all(ens.tag_sentences, sets)
        print(table(rows))
        info["dev"] = rows
    print(json.dumps(info, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
