"""The neural NER tagger: NumPy-only inference of the shipped model, valid BIO, names found, the ensemble extractor."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from arshif.entities import chain, neural
from arshif.entities.chain import chunks

needs_model = pytest.mark.skipif(not (neural.DEFAULT_MODEL.exists() and neural.DEFAULT_VECTORS.exists()),
                                 reason="no shipped neural NER model")

SENTENCES = [
    "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الأمريكي جون كيري في موسكو يوم الاثنين .".split(),
    "وقال الرئيس فلاديمير بوتين إن روسيا تعمل مع الأمم المتحدة .".split(),
    [],
    ["."],
]


def bio_valid(tags: list[str]) -> bool:
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            return False
        prev = tag
    return True


def test_viterbi_matches_brute_force():
    rng = np.random.default_rng(0)
    for _ in range(40):
        n = int(rng.integers(1, 5))
        lp = np.log(rng.dirichlet(np.ones(len(chain.LABELS)), size=n)).astype(np.float32)
        best, best_score = None, -np.inf
        for seq in itertools.product(range(len(chain.LABELS)), repeat=n):
            tags = [chain.LABELS[j] for j in seq]
            if bio_valid(tags):
                s = sum(lp[t, j] for t, j in enumerate(seq))
                if s > best_score:
                    best, best_score = tags, s
        assert chain.viterbi_many([lp])[0] == best


def test_ngram_ids_are_stable():
    assert neural.ngram_ids("موسكو") == neural.ngram_ids("موسكو")
    assert all(0 <= i < neural.NGRAM_BUCKETS for i in neural.ngram_ids("موسكو"))
    assert neural.ngram_ids("موسكو") != neural.ngram_ids("لافروف")


@needs_model
def test_probabilities_shapes_and_bio():
    tagger = neural.NeuralTagger.shared()
    probs = tagger.probabilities(SENTENCES)
    assert [p.shape for p in probs] == [(len(s), len(chain.LABELS)) for s in SENTENCES]
    for p in probs:
        assert np.allclose(p.sum(axis=1), 1.0, atol=1e-4)
    tags = tagger.tag_sentences(SENTENCES)
    assert [len(t) for t in tags] == [len(s) for s in SENTENCES]
    assert all(bio_valid(t) for t in tags)
    # batching does not change the result
    assert tagger.tag_sentences(SENTENCES[1:2]) == tags[1:2]


@needs_model
@pytest.mark.parametrize("with_crf", [False, True])
def test_names_found(with_crf):
    tags = neural.default_tagger(with_crf=with_crf).tag_sentences(SENTENCES[:2])
    found = [{(" ".join(s[a:b]), kind) for a, b, kind in chunks(t)} for s, t in zip(SENTENCES, tags)]
    assert {("سيرغي لافروف", "PER"), ("جون كيري", "PER"), ("موسكو", "LOC")} <= found[0]
    assert {("فلاديمير بوتين", "PER"), ("روسيا", "LOC")} <= found[1]


@needs_model
def test_ensemble_extractor_offsets():
    text = "وقال لافروف للصحفيين في موسكو إن روسيا والولايات المتحدة تعملان مع الأمم المتحدة."
    mentions = neural.EnsembleExtractor().extract(text)
    assert mentions
    for m in mentions:
        assert text[m.start:m.end] == m.surface and m.surface == m.surface.strip()
    assert ("موسكو", "LOC") in {(m.surface, m.type) for m in mentions}
    assert "الولايات المتحدة" in {m.surface for m in mentions}  # و left outside the span


@needs_model
def test_inference_does_not_import_torch():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'torch' or name.startswith('torch.'):\n"
        "            raise ImportError('torch reached')\n"
        "sys.meta_path.insert(0, Block())\n"
        "from arshif.entities.neural import EnsembleExtractor\n"
        "print(len(EnsembleExtractor().extract('التقى لافروف في موسكو')))\n"
        "assert 'torch' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) >= 1


def test_model_files_are_small():
    data = Path(neural.__file__).parent / "data"
    model_files = [p for p in data.iterdir() if p.suffix in (".npz", ".crfsuite") or p.name == "clusters.tsv"]
    assert any(p.suffix == ".npz" for p in model_files) or not neural.DEFAULT_MODEL.exists()
    for path in model_files:
        assert path.stat().st_size < 8_000_000, path
    assert sum(p.stat().st_size for p in model_files) < 20_000_000


@needs_model
def test_type_cache_bound(monkeypatch):
    tagger = neural.NeuralTagger.shared()
    expected = [tagger.probabilities([s])[0] for s in SENTENCES]
    monkeypatch.setattr(neural, "TYPE_CACHE", 5)
    tagger.clear_cache()
    try:
        sizes = []
        for _ in range(3):  # later rounds evict the types of earlier calls and compute them again
            for k in range(len(SENTENCES)):
                got = tagger.probabilities(SENTENCES[k:k + 1])[0]
                assert np.array_equal(got, expected[k])  # the same bits, whatever the cache held
                # at most TYPE_CACHE types, or the types of one call if it has more
                assert len(tagger._row) <= max(5, len(set(SENTENCES[k])))
            sizes.append(len(tagger._proj))
        assert sizes[1] == sizes[2]  # freed rows are reused: the matrix stops growing
    finally:
        tagger.clear_cache()


def _fixture_sentences() -> list[list[str]]:
    """The test fixture's sentences, the module's, and (when the shared data is there) the ANERcorp dev split."""
    from arshif.entities.evaluate import read_conll
    from arshif.entities.train import anercorp_split

    sentences = [w for w, _ in read_conll(Path(__file__).parent / "fixtures" / "ner_tiny.conll")] + SENTENCES
    try:
        sentences += [w for w, _ in anercorp_split()[1]]
    except (FileNotFoundError, OSError):
        pass
    return sentences


@needs_model
def test_batched_equals_one_sentence_at_a_time():
    """Padding and batching never change a result: the sentences of an article (here a whole dev set, so that
    batches mix many lengths) give the same probabilities and tags together as each on its own."""
    sentences = _fixture_sentences()
    ensemble = neural.default_tagger()
    tagger = ensemble.neural[0]
    together = ensemble.probabilities(sentences)
    tags = ensemble.tag_sentences(sentences)
    alone_tagger = [tagger.probabilities([s])[0] for s in sentences]
    for p, q in zip(tagger.probabilities(sentences), alone_tagger):
        assert p.shape == q.shape and np.allclose(p, q, atol=1e-5)
    for k, sentence in enumerate(sentences):
        alone = ensemble.probabilities([sentence])[0]
        assert alone.shape == together[k].shape
        assert np.allclose(alone, together[k], atol=1e-5), k
        assert ensemble.tag_sentences([sentence])[0] == tags[k], k
    assert sum(len(t) for t in tags) == sum(len(s) for s in sentences)
    assert any(tag != "O" for t in tags for tag in t)


@needs_model
def test_tags_of_an_article_do_not_depend_on_what_came_before():
    """What the caches hold (other articles tagged before) never changes an article's mentions."""
    texts = ["التقى لافروف في موسكو نظيره جون كيري.\nوقال بوتين إن روسيا مستعدة.",
             "أعلنت وكالة الأنباء السعودية أن الملك سلمان بن عبد العزيز استقبل وزير الخارجية الأمريكي في الرياض.",
             "زار الرئيس حلب."]
    extractor = neural.EnsembleExtractor().load()

    def clear() -> None:
        extractor.features._cache.clear()
        extractor._ensemble._scorer.clear_cache()
        for model in extractor._ensemble.neural:
            model.clear_cache()

    cold = []
    for text in texts:
        clear()
        cold.append(extractor.extract(text))
    clear()
    assert [extractor.extract(t) for t in texts] == cold
    assert [extractor.extract(t) for t in reversed(texts)] == cold[::-1]
    assert any(cold)


def test_viterbi_many_matches_one_at_a_time():
    """Sentences of different lengths decoded in one batch (the vectorized backtrace) as each on its own."""
    rng = np.random.default_rng(1)
    lps = [np.log(rng.dirichlet(np.ones(len(chain.LABELS)), size=int(n))).astype(np.float32)
           for n in rng.integers(1, 30, size=60)]
    lps.insert(5, np.zeros((0, len(chain.LABELS)), np.float32))
    together = chain.viterbi_many(lps)
    assert together == [chain.viterbi_many([lp])[0] if len(lp) else [] for lp in lps]
    assert [len(t) for t in together] == [len(lp) for lp in lps]
    assert all(bio_valid(t) for t in together)


@needs_model
def test_crf_scorer_equals_crfsuite_marginals():
    """The NumPy CRF marginals (cached per-type state scores, bigram and gazetteer features) are
    pycrfsuite's."""
    from arshif.entities.crf import CrfExtractor

    crf = CrfExtractor().load()
    sentences = [s for s in _fixture_sentences()[:200] if s]
    fast = neural.EnsembleTagger([], crf, crf_weight=1.0)
    slow = neural.EnsembleTagger([], crf, crf_weight=1.0)
    slow.fast_crf = False
    for p, q in zip(fast.crf_marginals(sentences), slow.crf_marginals(sentences)):
        assert p.shape == q.shape and np.allclose(p, q, atol=1e-4)


# ----------------------------------------------------------------------------------------------------------
# The contextual character-LM features (arshif.entities.charlm; trained by tools/ner/pretrain_charlm.py)

def _tools():
    tools = Path(__file__).resolve().parents[1] / "tools" / "ner"
    if str(tools) not in sys.path:
        sys.path.insert(0, str(tools))


def _random_lms(torch, chars: str, dim: int = 6, hidden: int = 8):
    _tools()
    import pretrain_charlm

    torch.manual_seed(3)
    fwd, bwd = pretrain_charlm.build(torch, len(chars) + 2, dim, hidden)
    for net in (fwd, bwd):  # weights as float16 stores them, so both sides read the same numbers
        with torch.no_grad():
            for p in net.parameters():
                p.mul_(3.0).copy_(p.half().float())
    return fwd, bwd, pretrain_charlm.export_arrays(fwd, bwd, list(chars))


def test_charlm_numpy_equals_torch():
    """The NumPy forward pass of both LMs (batched, padded) equals PyTorch's LSTMs, token by token: forward state
    on the delimiter after the token, backward state on the delimiter before it."""
    torch = pytest.importorskip("torch")
    from arshif.entities import charlm

    sentences = [w[:12] for w in SENTENCES if w] + [["x"], ["قال", "ﷺ", "abc"]]
    chars = "".join(sorted({c for s in sentences for c in charlm.sentence_text(s)}))[:-3]  # some unknown
    fwd, bwd, arrays = _random_lms(torch, chars)
    index = {c: i + 2 for i, c in enumerate(chars)}
    lm = charlm.CharLM(arrays)
    got = lm.embed(sentences)
    h = lm.hidden
    assert got.shape == (len(sentences), max(map(len, sentences)), 2 * h)
    for s, sentence in enumerate(sentences):
        text = charlm.sentence_text(sentence)
        ids = torch.tensor([[index.get(c, 1) for c in text]])
        with torch.no_grad():
            hf = fwd.states(ids)[0].numpy()
            hb = bwd.states(ids.flip(1))[0].numpy()[::-1]
        pos = 1
        for k, token in enumerate(sentence):
            end = pos + len(charlm.token_form(token))
            assert np.allclose(got[s, k, :h], hf[end], atol=2e-3), (s, k)
            assert np.allclose(got[s, k, h:], hb[pos - 1], atol=2e-3), (s, k)
            pos = end + 1
        assert not got[s, len(sentence):].any()
    one = charlm.CharLM({k: v for k, v in arrays.items() if not k.endswith("_b")})  # the forward LM alone
    assert np.array_equal(one.embed(sentences[:1])[0], lm.embed(sentences[:1])[0, :, :h])


def test_tagger_with_charlm_equals_torch():
    """A (random) tagger trained with the character-LM block: NumPy probabilities equal PyTorch's, and a
    sentence's probabilities do not depend on the sentences batched with it (up to float rounding)."""
    torch = pytest.importorskip("torch")
    if not neural.DEFAULT_VECTORS.exists():
        pytest.skip("no shipped vectors")
    from arshif.entities import charlm

    _tools()
    import train_neural

    sentences = [s for s in SENTENCES if s]
    chars = "".join(sorted({c for s in sentences for c in charlm.sentence_text(s)}))
    _, _, arrays = _random_lms(torch, chars)
    vocab, table = train_neural.load_vectors(neural.DEFAULT_VECTORS)
    lm = charlm.CharLM(arrays)
    cluster_sizes = tuple(int(max(int(e[i]) for e in neural.clusters().values())) + 2 for i in range(1, 4))
    torch.manual_seed(4)
    net = train_neural.build_net(torch, table, 1, 8, cluster_sizes, set(), lm_dim=lm.dim)
    net.eval()
    enc = train_neural.Encoded(neural.TokenFeaturizer(vocab))
    items = [enc.sentence(s) for s in sentences]
    train_neural.add_charlm_features(lm, items, sentences)
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.npz"
        with torch.no_grad():  # weights as float16 stores them
            for p in net.parameters():
                if p.requires_grad:
                    p.copy_(p.half().float())
        train_neural.export(net, path, ["anercorp"], set(), arrays)
        tagger = neural.NeuralTagger(path, neural.DEFAULT_VECTORS)
        assert tagger.charlm is not None and tagger.charlm.dim == lm.dim
        got = tagger.probabilities(sentences)
        alone = [tagger.probabilities([s])[0] for s in sentences]
    with torch.no_grad():
        logits = net(train_neural.collate(torch, items))[:, :, 0]
        expected = torch.softmax(logits, dim=-1).numpy()
    for k, sentence in enumerate(sentences):
        assert np.allclose(got[k], expected[k, :len(sentence)], atol=2e-3), k
        assert np.allclose(got[k], alone[k], atol=1e-5), k
