"""Pretrain the forward and backward character LSTM language models of ``arshif.entities.charlm`` (Flair-style
contextual features of the neural tagger) on the unlabeled news, and export them for NumPy.

    python tools/ner/pretrain_charlm.py [--permissive] [--chars 12000000] [--hidden 64] [--minutes 40] \
        [--out /tmp/arshif-ner/charlm.npz]

Corpus: every k-th article of ``arshif.entities.train.news_texts`` (SaudiNewsNet, CC BY-NC-SA 4.0, and ANT Corpus
v1.1, Apache-2.0; ``--permissive``: ANT alone), k chosen to give about ``--chars`` characters, split into sentences
and tokens as ``extract`` splits them (``crf.split_sentences``) and read as ``charlm.sentence_text`` reads them
(normalized tokens joined by spaces between two line breaks), so the LMs see what they see at tag time.  Each
sentence is one sequence from a zero state (as at tag time), cut into pieces of ``--max-len`` characters when
longer.  One LSTM layer per direction, next-character cross-entropy, Adam, one thread, seed 1, for ``--epochs``
passes or ``--minutes``, whichever ends first.  The output holds only the weights the tagger needs (``lm_*``:
float16 input projections per character, recurrent weights, the character list), no text; ``train_neural.py
--charlm`` reads it and stores the same arrays in the tagger file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from arshif.entities import charlm  # noqa: E402
from arshif.entities.crf import split_sentences  # noqa: E402
from arshif.entities.train import news_texts, shared_root  # noqa: E402

DEFAULT_OUT = Path("/tmp/arshif-ner/charlm.npz")


def texts(permissive: bool):
    if not permissive:
        return news_texts()
    import tempfile

    folder = Path(tempfile.mkdtemp()) / "news"
    folder.mkdir()
    (folder / "antcorpus").symlink_to(shared_root() / "news" / "antcorpus")
    return news_texts(folder.parent)


def corpus(permissive: bool, chars: int, max_len: int) -> list[str]:
    """Sentence strings (``charlm.sentence_text``) of every k-th article, about ``chars`` characters."""
    all_texts = [t for t in texts(permissive) if t.strip()]
    total = sum(map(len, all_texts))
    step = max(1, total // max(chars, 1))
    out: list[str] = []
    for text in all_texts[::step]:
        for sentence in split_sentences(text):
            tokens = [tok[0] for tok in sentence]
            if len(tokens) < 2:
                continue
            s = charlm.sentence_text(tokens)
            for start in range(0, len(s), max_len):
                piece = s[start:start + max_len + 1]  # +1: the last target
                if len(piece) > 2:
                    out.append(piece)
    print(f"corpus: every {step}th of {len(all_texts)} texts ({total} chars): {len(out)} sequences, "
          f"{sum(map(len, out))} chars", flush=True)
    return out


def build(torch, n_chars: int, dim: int, hidden: int):
    nn = torch.nn

    class Direction(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(n_chars, dim, padding_idx=0)
            self.lstm = nn.LSTM(dim, hidden, batch_first=True)
            self.drop = nn.Dropout(0.1)
            self.dec = nn.Linear(hidden, n_chars)

        def forward(self, x):
            out, _ = self.lstm(self.emb(x))
            return self.dec(self.drop(out))

        def states(self, x):
            out, _ = self.lstm(self.emb(x))
            return out

    return Direction(), Direction()


def export_arrays(fwd, bwd, chars: list[str]) -> dict[str, np.ndarray]:
    """The ``lm_*`` arrays of ``charlm.CharLM`` from the two PyTorch directions."""
    arrays = {}
    for name, net in (("f", fwd), ("b", bwd)):
        sd = {k: v.detach().numpy().astype(np.float32) for k, v in net.state_dict().items()}
        proj = sd["emb.weight"] @ sd["lstm.weight_ih_l0"].T + sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]
        proj[0] = 0.0
        arrays[f"lm_in_{name}"] = proj.astype(np.float16)
        arrays[f"lm_hh_{name}"] = sd["lstm.weight_hh_l0"].T.copy().astype(np.float16)
    arrays["lm_chars"] = np.array([ord(c) for c in chars], dtype=np.int32)
    return arrays


def encode(seqs: list[str], index: dict[str, int]) -> list[np.ndarray]:
    return [np.array([index.get(c, 1) for c in s], dtype=np.int64) for s in seqs]


def batches(items: list[np.ndarray], size: int, rng: random.Random) -> list[list[np.ndarray]]:
    order = sorted(items, key=lambda a: len(a) + rng.random() * 8)
    out = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(out)
    return out


def pad(torch, chunk: list[np.ndarray], reverse: bool):
    n = max(map(len, chunk))
    x = np.zeros((len(chunk), n), np.int64)
    for i, a in enumerate(chunk):
        x[i, :len(a)] = a[::-1] if reverse else a
    x = torch.from_numpy(x)
    return x[:, :-1], x[:, 1:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--permissive", action="store_true", help="ANT only (Apache-2.0), no SaudiNewsNet")
    parser.add_argument("--chars", type=int, default=12_000_000)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--dim", type=int, default=24, help="character embedding size")
    parser.add_argument("--max-len", type=int, default=300)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=40.0)
    parser.add_argument("--min-count", type=int, default=20, help="rarer characters are 'unknown'")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    seqs = corpus(args.permissive, args.chars, args.max_len)
    counts = Counter(c for s in seqs for c in s)
    chars = [c for c, k in counts.most_common() if k >= args.min_count and ord(c) < 65536]
    index = {c: i + 2 for i, c in enumerate(chars)}  # 0 padding, 1 unknown
    print(f"characters: {len(chars)} kept (count >= {args.min_count}) of {len(counts)}", flush=True)
    rng.shuffle(seqs)
    n_val = max(200, len(seqs) // 200)
    val, train = encode(seqs[:n_val], index), encode(seqs[n_val:], index)
    fwd, bwd = build(torch, len(chars) + 2, args.dim, args.hidden)
    params = list(fwd.parameters()) + list(bwd.parameters())
    optimizer = torch.optim.Adam(params, lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=0)
    deadline = started + 60 * args.minutes

    def validate() -> tuple[float, float]:
        fwd.eval(), bwd.eval()
        total = {False: 0.0, True: 0.0}
        n = 0
        with torch.no_grad():
            for i in range(0, len(val), 128):
                chunk = val[i:i + 128]
                for reverse, net in ((False, fwd), (True, bwd)):
                    x, y = pad(torch, chunk, reverse)
                    k = int((y != 0).sum())
                    total[reverse] += float(loss_fn(net(x).reshape(-1, len(chars) + 2), y.reshape(-1))) * k
                n += int((pad(torch, chunk, False)[1] != 0).sum())
        fwd.train(), bwd.train()
        return total[False] / n / np.log(2), total[True] / n / np.log(2)

    seen = 0
    step = 0
    stop = False
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        for chunk in batches(train, args.batch, rng):
            loss = 0.0
            for reverse, net in ((False, fwd), (True, bwd)):
                x, y = pad(torch, chunk, reverse)
                loss = loss + loss_fn(net(x).reshape(-1, len(chars) + 2), y.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            seen += sum(map(len, chunk))
            step += 1
            if step % 500 == 0:
                elapsed = time.perf_counter() - started
                print(f"epoch {epoch} step {step}: loss {float(loss.detach()) / 2:.3f}, {seen} chars, "
                      f"{seen / (time.perf_counter() - t0 + 1e-9):,.0f} chars/s this epoch, {elapsed:.0f} s",
                      flush=True)
            if time.perf_counter() > deadline:
                stop = True
                break
        for group in optimizer.param_groups:
            group["lr"] *= 0.5
        bf, bb = validate()
        print(f"epoch {epoch} done ({time.perf_counter() - t0:.0f} s): validation bits/char forward {bf:.3f}, "
              f"backward {bb:.3f}", flush=True)
        if stop:
            print("time budget reached", flush=True)
            break
    arrays = export_arrays(fwd, bwd, chars)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    torch.save({"fwd": fwd.state_dict(), "bwd": bwd.state_dict(), "chars": chars,
                "args": {k: str(v) for k, v in vars(args).items()}}, args.out.with_suffix(".pt"))
    bf, bb = validate()
    info = {"seconds": round(time.perf_counter() - started), "chars_seen": seen, "steps": step,
            "val_bits_per_char": [round(bf, 3), round(bb, 3)], "bytes": args.out.stat().st_size,
            "args": {k: str(v) for k, v in vars(args).items()}}
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
