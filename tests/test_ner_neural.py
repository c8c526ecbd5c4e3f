"""The neural NER tagger: NumPy-only inference of the shipped model, valid BIO, names found, the ensemble extractor."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from arshif.entities import neural
from arshif.entities.evaluate import chunks

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
        lp = np.log(rng.dirichlet(np.ones(len(neural.LABELS)), size=n)).astype(np.float32)
        best, best_score = None, -np.inf
        for seq in itertools.product(range(len(neural.LABELS)), repeat=n):
            tags = [neural.LABELS[j] for j in seq]
            if bio_valid(tags):
                s = sum(lp[t, j] for t, j in enumerate(seq))
                if s > best_score:
                    best, best_score = tags, s
        assert neural.viterbi_many([lp])[0] == best


def test_ngram_ids_are_stable():
    assert neural.ngram_ids("موسكو") == neural.ngram_ids("موسكو")
    assert all(0 <= i < neural.NGRAM_BUCKETS for i in neural.ngram_ids("موسكو"))
    assert neural.ngram_ids("موسكو") != neural.ngram_ids("لافروف")


@needs_model
def test_probabilities_shapes_and_bio():
    tagger = neural.NeuralTagger.shared()
    probs = tagger.probabilities(SENTENCES)
    assert [p.shape for p in probs] == [(len(s), len(neural.LABELS)) for s in SENTENCES]
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
def test_extract_many_equals_extract():
    texts = ["التقى لافروف في موسكو نظيره جون كيري.\nوقال بوتين إن روسيا مستعدة.", "", "زار الرئيس حلب."]
    extractor = neural.EnsembleExtractor()
    assert extractor.extract_many(texts) == [extractor.extract(t) for t in texts]


@needs_model
def test_type_cache_bound(monkeypatch):
    tagger = neural.NeuralTagger.shared()
    expected = tagger.tag_sentences(SENTENCES)
    monkeypatch.setattr(neural, "TYPE_CACHE", 5)
    tagger._type_cache.clear()
    assert tagger.tag_sentences(SENTENCES) == expected
    assert tagger.tag_sentences(SENTENCES[:1]) == expected[:1]
