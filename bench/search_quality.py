"""Search quality under Arabic spelling variants and clitics: three analyzers side by side on one corpus.

    .venv/bin/python bench/search_quality.py [CORPUS] [--limit N] [--per-kind 200] [--seed 1]

Builds an archive from CORPUS (default: ../shared/data/news/antcorpus) with arshif's build, then indexes the
same articles (same rowids) twice more in the same temporary database:

(a) ``raw``: an FTS5 table over title + body with SQLite's default ``unicode61`` tokenizer on the raw text,
    as Datasette gives out of the box; queried with the variant escaped as Datasette's ``_search`` does
    (``datasette.utils.escape_fts``).
(b) ``lucene``: Lucene's Arabic analysis, i.e. ArabicNormalizer (hamza alefs to ا, ى to ي, ة to ه, tashkeel
    and tatweel removed; ported below) then the light10 ArabicStemmer (``lucene_light10`` from
    bench/stem_compare.py), applied to the index and to the query alike, in a separate FTS5 table. Lucene's
    stop-word filter is left out: the queries are never stop words.
(c) ``arshif``: the archive's own ``articles_fts``, queried through ``arshif.query.compile_query`` without the
    archive's vocabulary (the analyzer alone: before query-time attestation);
(d) ``arshif+vocab``: the same index, queried as the site's search does: each word also matches the forms the
    archive's own vocabulary attests (``fts5vocab``: clitics on or off, ال-initial stems, pronoun suffixes).

Queries: words drawn from the bodies of random articles (seeded): Arabic letters only, at least four of
them, no function words. Each kind of variant draws its own words, among those the variant applies to:

* exact: the word as written (the baseline);
* orthographic: hamza dropped (أ/إ/آ written ا), hamza added (a bare initial alef written أ, or الا written
  الإ: a common misspelling), teh marbuta (ة/ه swapped at the
  end), alef maksura (ى/ي swapped at the end), diacritics (tashkeel added), tatweel (ـ inserted);
* clitic: without ال (the article's الكلمة searched as كلمة), with ال (كلمة as الكلمة), the word with و, ب,
  ل (لل before ال), ف in front (only words not starting with one of و ب ل ف ك already), and clitic removed (the article's والكلمة/بالكلمة/للكلمة searched as
  الكلمة); a one-letter clitic removed (the article's لمواكبة searched as مواكبة, when the corpus also
  writes المواكبة, so the letter is a clitic); a pronoun suffix removed (مجتمعنا searched as مجتمع, when the
  corpus writes المجتمع).

Precision of single-word queries: for the exact queries, up to 40 results each are checked for a token that
is an inflection of the query word or of its base (the word with a leading و ف ب ك ل or ال taken off): clitics
(و|ف)(ب|ك|ل)(ال) before it, and an inflectional or pronoun suffix after it (ة written ت before a suffix).

For each kind and analyzer: recall = share of queries whose source article is among the results, and the
mean number of results (all matches, no limit; large means loose matching). Skips with a message when the
default corpus (../shared/data) is absent; the temporary folder is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shlex
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from arshif.query import compile_query  # noqa: E402
from arshif.text.normalize import normalize  # noqa: E402
from arshif.text.stem import FUNCTION_WORDS, NOT_ARTICLE  # noqa: E402
from arshif.text.tokenize import TOKEN_PATTERN  # noqa: E402
from stem_compare import lucene_light10  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "antcorpus"
PLAIN_WORD = re.compile(r"^[\u0621-\u063A\u0641-\u064A]{4,}$")


# --- (b) Lucene's ArabicNormalizer (org.apache.lucene.analysis.ar.ArabicNormalizer), rule for rule --------
_LUCENE_NORMALIZER = {
    0x0622: "\u0627",  # ALEF_MADDA -> ALEF
    0x0623: "\u0627",  # ALEF_HAMZA_ABOVE -> ALEF
    0x0625: "\u0627",  # ALEF_HAMZA_BELOW -> ALEF
    0x0649: "\u064A",  # DOTLESS_YEH -> YEH
    0x0629: "\u0647",  # TEH_MARBUTA -> HEH
    0x0640: None,  # TATWEEL
    0x064B: None,  # FATHATAN
    0x064C: None,  # DAMMATAN
    0x064D: None,  # KASRATAN
    0x064E: None,  # FATHA
    0x064F: None,  # DAMMA
    0x0650: None,  # KASRA
    0x0651: None,  # SHADDA
    0x0652: None,  # SUKUN
}


def lucene_terms(text: str | None) -> list[str]:
    """Lucene ArabicAnalyzer without its stop filter: tokenize, lower-case, normalize, light10 stem."""
    if not text:
        return []
    out = []
    for token in TOKEN_PATTERN.findall(text):
        term = lucene_light10(token.lower().translate(_LUCENE_NORMALIZER))
        if term:
            out.append(term)
    return out


# --- query variants -----------------------------------------------------------------------------------------
NON_CONNECTING = set("اأإآدذرزوؤةىء")
HARAKAT = "\u064E\u0650\u064F\u0652"  # fatha, kasra, damma, sukun
STOP = {normalize(word) for word in FUNCTION_WORDS | NOT_ARTICLE} | set(
    "التي الذي الذين هذا هذه ذلك تلك هناك حيث التي خلال حول ضمن عند عندما منذ حتي الي علي وقال وكان واضاف"
    " اضاف قال يكون تكون كانت وذلك وهذا وهذه ايضا اكثر اقل".split()
)


def _hamza_dropped(word: str, rng: random.Random) -> str | None:
    if any(c in word for c in "أإآ"):
        return re.sub("[أإآ]", "ا", word)
    return None


def _hamza_added(word: str, rng: random.Random) -> str | None:
    if word.startswith("ا") and not word.startswith("ال"):
        return "أ" + word[1:]
    if word.startswith("الا") and len(word) > 4:
        return "الإ" + word[3:]
    return None


def _teh_marbuta(word: str, rng: random.Random) -> str | None:
    if word.endswith("ة"):
        return word[:-1] + "ه"
    if word.endswith("ه"):
        return word[:-1] + "ة"
    return None


def _alef_maksura(word: str, rng: random.Random) -> str | None:
    if word.endswith("ى"):
        return word[:-1] + "ي"
    if word.endswith("ي"):
        return word[:-1] + "ى"
    return None


def _diacritics(word: str, rng: random.Random) -> str | None:
    """A haraka on every other consonant (none on long vowels, nor on the ال of the article)."""
    start = 2 if word.startswith("ال") else 0
    return word[:start] + "".join(
        c + (rng.choice(HARAKAT) if i % 2 == 0 and c not in "اويى" else "") for i, c in enumerate(word[start:])
    )


def _tatweel(word: str, rng: random.Random) -> str | None:
    places = [i for i in range(len(word) - 1) if word[i] not in NON_CONNECTING and word[i] != "ء"]
    if not places:
        return None
    i = rng.choice(places)
    return word[: i + 1] + "ـ" + word[i + 1 :]


def _has_clitic(word: str) -> bool:
    return word[0] in "وبلفك" or word.startswith("ال")


def _without_al(word: str, rng: random.Random) -> str | None:
    if word.startswith("ال") and not word.startswith("الل") and len(word) >= 5 and normalize(word) not in STOP:
        return word[2:]
    return None


def _with_al(word: str, rng: random.Random) -> str | None:
    return None if _has_clitic(word) else "ال" + word


def _prefix(letter: str) -> Callable[[str, random.Random], str | None]:
    def make(word: str, rng: random.Random) -> str | None:
        if word[0] in "وبلفك":
            return None  # its first letter may already be a clitic (ووزير is real, ببمستشفى is not)
        if letter == "ل" and word.startswith("ال"):
            return "لل" + word[2:]
        return letter + word

    return make


VOCAB: dict[str, int] = {}  # normalized body word -> articles, filled by draw_queries


def _one_letter_removed(word: str, rng: random.Random) -> str | None:
    norm = normalize(word)
    if word[0] in "وبلف" and len(word) >= 6 and not word[1:].startswith("ال") and VOCAB.get("ال" + norm[1:], 0) >= 2:
        return word[1:]
    return None


def _suffix_removed(word: str, rng: random.Random) -> str | None:
    norm = normalize(word)
    for suffix in ("هم", "ها", "كم", "نا"):
        rest = norm[: -len(suffix)]
        if norm.endswith(suffix) and len(rest) >= 4 and not _has_clitic(word):
            base = rest[:-1] + "ه" if rest.endswith("ت") else rest
            if VOCAB.get("ال" + base, 0) >= 2:
                return word[: -len(suffix)][:-1] + "ة" if rest.endswith("ت") else word[: -len(suffix)]
    return None


def _clitic_removed(word: str, rng: random.Random) -> str | None:
    if len(word) < 6:
        return None
    if word[:3] in ("وال", "بال", "فال", "كال"):
        return word[1:]
    if word.startswith("لل") and not word.startswith("لله"):
        return "ال" + word[2:]
    return None


KINDS: list[tuple[str, str, Callable[[str, random.Random], str | None]]] = [
    ("baseline", "exact", lambda word, rng: word),
    ("orthographic", "hamza dropped أإآ→ا", _hamza_dropped),
    ("orthographic", "hamza added ا→أ", _hamza_added),
    ("orthographic", "teh marbuta ة/ه", _teh_marbuta),
    ("orthographic", "alef maksura ى/ي", _alef_maksura),
    ("orthographic", "diacritics added", _diacritics),
    ("orthographic", "tatweel inserted", _tatweel),
    ("clitic", "without ال", _without_al),
    ("clitic", "with ال", _with_al),
    ("clitic", "و + word", _prefix("و")),
    ("clitic", "ب + word", _prefix("ب")),
    ("clitic", "ل + word", _prefix("ل")),
    ("clitic", "ف + word", _prefix("ف")),
    ("clitic", "clitic removed", _clitic_removed),
    ("clitic", "one-letter clitic removed", _one_letter_removed),
    ("clitic", "pronoun suffix removed", _suffix_removed),
]


# --- the three indexes -------------------------------------------------------------------------------------

def add_indexes(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE VIRTUAL TABLE raw_fts USING fts5(title, body)")  # Datasette's default: unicode61
    conn.execute("INSERT INTO raw_fts (rowid, title, body) SELECT rowid, title, body FROM articles")
    conn.execute("CREATE VIRTUAL TABLE lucene_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')")
    rows = conn.execute("SELECT rowid, title, body FROM articles").fetchall()
    conn.executemany(
        "INSERT INTO lucene_fts (rowid, title, body) VALUES (?, ?, ?)",
        [(rowid, " ".join(lucene_terms(title)), " ".join(lucene_terms(body))) for rowid, title, body in rows],
    )
    conn.commit()


def match_raw(query: str) -> tuple[str, str] | None:
    from datasette.utils import escape_fts

    expression = escape_fts(query)
    return ("raw_fts", expression) if expression else None


def match_lucene(query: str) -> tuple[str, str] | None:
    found = lucene_terms(query)
    return ("lucene_fts", '"' + " ".join(found) + '"') if found else None


def match_arshif(query: str) -> tuple[str, str] | None:
    expression = compile_query(query)
    return ("articles_fts", expression) if expression else None


WORDS: list = []  # the archive's Vocabulary, set in main


def match_arshif_vocab(query: str) -> tuple[str, str] | None:
    expression = compile_query(query, WORDS[0])
    return ("articles_fts", expression) if expression else None


ANALYZERS = [("raw", match_raw), ("lucene", match_lucene), ("arshif", match_arshif),
             ("arshif+vocab", match_arshif_vocab)]

_INFLECTION_SUFFIXES = ("هما|هم|هن|ها|كما|كم|كن|نا|ه|ك|ي|ات|ون|ين|ان|ا|و|وا|تين|تان|يه|يين|يون|يا|ته|تها"
                        "|تهم|تنا|تي|تك|تكم")


def inflection_pattern(query: str) -> re.Pattern:
    """Tokens that inflect the query word or its base (clitics before, an inflectional suffix after)."""
    norm = normalize(query)
    bases = {norm}
    for clitic in ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ك", "ل"):
        if norm.startswith(clitic) and len(norm) - len(clitic) >= 3:
            bases.add(norm[len(clitic):])
    forms = []
    for base in bases:
        if base.endswith("ه"):
            forms.append(re.escape(base[:-1]) + "[هت]")
        elif base.endswith("ي"):
            forms.append(re.escape(base[:-1]) + "[يا]")
        else:
            forms.append(re.escape(base))
    return re.compile(rf"^(?:و|ف)?(?:ب|ك|ل)?(?:ال|ل)?(?:{'|'.join(forms)})(?:{_INFLECTION_SUFFIXES})?$")


def precision(conn: sqlite3.Connection, compiled: tuple[str, str] | None, query: str, sample: int = 40) -> tuple[int, int]:
    """(results holding an inflection of the query word, results checked)."""
    if compiled is None:
        return 0, 0
    table, expression = compiled
    try:
        rowids = [row[0] for row in conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid LIMIT ?", (expression, sample))]
    except sqlite3.OperationalError:
        return 0, 0
    pattern = inflection_pattern(query)
    good = 0
    for rowid in rowids:
        title, body = conn.execute("SELECT title, body FROM articles WHERE rowid = ?", (rowid,)).fetchone()
        words = TOKEN_PATTERN.findall(normalize((title or "") + " " + body))
        good += any(pattern.match(word) for word in words)
    return good, len(rowids)


def run_query(conn: sqlite3.Connection, compiled: tuple[str, str] | None, source: int) -> tuple[bool, int]:
    if compiled is None:
        return False, 0
    table, expression = compiled
    try:
        rowids = {row[0] for row in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (expression,))}
    except sqlite3.OperationalError:
        return False, 0
    return source in rowids, len(rowids)


def draw_queries(conn: sqlite3.Connection, per_kind: int, seed: int) -> dict[str, list[tuple[int, str, str]]]:
    """For each kind: (source rowid, word as written in the article, query variant)."""
    articles = [row[0] for row in conn.execute("SELECT rowid FROM articles ORDER BY rowid")]
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab USING fts5vocab(main, articles_fts, col)")
    VOCAB.update(conn.execute("SELECT term, doc FROM temp.bench_vocab WHERE col = 'body'"))
    bodies: dict[int, list[str]] = {}
    out: dict[str, list[tuple[int, str, str]]] = {}
    for index, (_, kind, make) in enumerate(KINDS):
        rng = random.Random(seed * 1000 + index)
        found: list[tuple[int, str, str]] = []
        attempts = 0
        while len(found) < per_kind and attempts < per_kind * 200:
            attempts += 1
            rowid = rng.choice(articles)
            if rowid not in bodies:
                body = conn.execute("SELECT body FROM articles WHERE rowid = ?", (rowid,)).fetchone()[0]
                bodies[rowid] = [w for w in TOKEN_PATTERN.findall(body) if PLAIN_WORD.match(w) and normalize(w) not in STOP]
            words = bodies[rowid]
            if not words:
                continue
            word = rng.choice(words)
            variant = make(word, rng)
            if variant:
                found.append((rowid, word, variant))
        out[kind] = found
    return out


def limited_corpus(corpus: Path, limit: int, seed: int, folder: Path) -> tuple[list[str], int]:
    """A seeded sample of ``limit`` articles of the corpus, written as one JSON Lines file."""
    from arshif.model import Skipped
    from arshif.readers import discover, read_path

    articles = [record for path in discover([corpus]) for record in read_path(path) if not isinstance(record, Skipped)]
    chosen = random.Random(seed).sample(articles, min(limit, len(articles)))
    target = folder / "sample.jsonl"
    with target.open("w", encoding="utf-8") as handle:
        for article in chosen:
            item = {
                "title": None if article.title_derived else article.title,
                "content": article.body,
                "url": article.url or f"bench:{article.origin}#{article.position or 0}",
                "source": article.source,
                "category": article.category,
                "published": article.published_raw or article.published,
            }
            handle.write(json.dumps({k: v for k, v in item.items() if v is not None}, ensure_ascii=False) + "\n")
    return [str(target)], len(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=None, help=f"folder of articles (default: {DEFAULT_CORPUS})")
    parser.add_argument("--limit", type=int, default=None, help="build from a seeded sample of this many articles")
    parser.add_argument("--per-kind", type=int, default=200, help="queries per kind of variant")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ner", default="none", help="entity tagger for the build (search does not use it)")
    parser.add_argument("--show", type=int, default=0, help="print this many example queries per kind")
    parser.add_argument("--misses", type=int, default=0, help="print up to this many queries per kind that arshif missed")
    args = parser.parse_args()

    corpus = Path(args.corpus) if args.corpus else DEFAULT_CORPUS
    if not corpus.exists():
        if args.corpus:
            print(f"corpus not found: {corpus}", file=sys.stderr)
            return 2
        print(f"skipped: {DEFAULT_CORPUS} is absent (the benchmark data lives in ../shared/data)")
        return 0
    command = ".venv/bin/python bench/search_quality.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    from arshif.build import build

    with tempfile.TemporaryDirectory(prefix="arshif-bench-quality-") as tmp:
        folder = Path(tmp)
        inputs = [str(corpus)]
        if args.limit:
            inputs, _ = limited_corpus(corpus, args.limit, args.seed, folder)
        db = folder / "archive.db"
        started = time.perf_counter()
        summary = build(inputs, db, ner=args.ner)
        built = time.perf_counter() - started
        conn = sqlite3.connect(str(db))
        started = time.perf_counter()
        add_indexes(conn)
        indexed = time.perf_counter() - started
        print(f"corpus {corpus}: {summary.articles} articles (arshif build {built:.1f} s, raw + lucene indexes {indexed:.1f} s)")
        queries = draw_queries(conn, args.per_kind, args.seed)
        from arshif.searching import sqlite_vocabulary

        WORDS[:] = [sqlite_vocabulary(str(db))]

        header = f"{'kind':<28}{'n':>5}" + "".join(f"{name + ' recall':>14}{'mean res.':>10}" for name, _ in ANALYZERS)
        print()
        print(header)
        print("-" * len(header))
        totals: dict[str, dict[str, list]] = {}
        missed: dict[str, list[str]] = {}
        for group, kind, _ in KINDS:
            drawn = queries[kind]
            cells = []
            for name, match in ANALYZERS:
                hits, counts = 0, []
                for source, word, variant in drawn:
                    found, count = run_query(conn, match(variant), source)
                    hits += found
                    if name == "arshif+vocab" and not found:
                        missed.setdefault(kind, []).append(f"{word} -> {variant} ({count} results)")
                    counts.append(count)
                recall = hits / len(drawn) if drawn else float("nan")
                mean = statistics.fmean(counts) if counts else float("nan")
                cells.append(f"{100 * recall:>13.1f}%{mean:>10.1f}")
                bucket = totals.setdefault(group, {}).setdefault(name, [0, 0, []])
                bucket[0] += hits
                bucket[1] += len(drawn)
                bucket[2].extend(counts)
            print(f"{group[:5] + ': ' + kind:<28}{len(drawn):>5}" + "".join(cells))
        print("-" * len(header))
        for group, by_name in totals.items():
            n = next(iter(by_name.values()))[1]
            cells = "".join(
                f"{100 * hits / total:>13.1f}%{statistics.fmean(counts):>10.1f}" for hits, total, counts in by_name.values()
            )
            print(f"{'all ' + group:<28}{n:>5}{cells}")
        print()
        print("precision of single-word queries (exact words; up to 40 results each checked for an inflection):")
        for name, match in ANALYZERS:
            good = checked = 0
            for source, word, variant in queries["exact"]:
                g, c = precision(conn, match(variant), variant)
                good += g
                checked += c
            print(f"  {name:<14}{100 * good / max(checked, 1):6.1f}%  ({good} of {checked} results)")
        if args.show:
            print("\nexamples (word in the article -> query):")
            for _, kind, _ in KINDS:
                examples = ", ".join(f"{word} -> {variant}" for _, word, variant in queries[kind][: args.show])
                print(f"  {kind}: {examples}")
        if args.misses:
            print("\nqueries arshif missed (word in the article -> query):")
            for kind, items in missed.items():
                print(f"  {kind} ({len(items)}): " + ", ".join(items[: args.misses]))
        print("raw = FTS5 unicode61 on the raw text, as Datasette's _search; lucene = ArabicNormalizer + light10;"
              " arshif = articles_fts through compile_query; arshif+vocab = the same with the archive's vocabulary (the site). mean res. = mean number of matching articles")
        print(f"{summary.articles} articles; {args.per_kind} queries per kind drawn with seed {args.seed}")
        print(f"command: {command.strip()}")
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
