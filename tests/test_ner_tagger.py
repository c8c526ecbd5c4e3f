"""The CRF tagger on original text: offsets into the text, clitics outside spans, well-known names found."""

from __future__ import annotations

from pathlib import Path

import pytest

from arshif.entities.crf import DEFAULT_MODEL, CrfExtractor, split_sentences
from arshif.entities.evaluate import read_conll
from arshif.entities.features import WordFeatures, segment
from arshif.text.normalize import normalize

TEXT = (
    "التقى وزير الخارجية الروسي سيرغي لافروف نظيره الأمريكي جون كيري في موسكو يوم الاثنين، "
    "وبحث الوزيران الأزمة في سوريا.\n"
    "وقال لافروف للصحفيين إن روسيا والولايات المتحدة تعملان مع الأمم المتحدة على حل سياسي، "
    "وأضاف أن وفدا سيتوجه إلى جنيف ثم يعود لموسكو الأسبوع المقبل.\n"
    "وكان الرئيس فلاديمير بوتين قد استقبل في وموسكو وفدا من المملكة العربية السعودية برئاسة وزير الدفاع."
)

FIXTURES = Path(__file__).parent / "fixtures"


def anercorp_train() -> Path:
    return Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ner" / "anercorp-camellab" / "train.conll"


needs_model = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason=f"no trained model at {DEFAULT_MODEL}")


def test_segment_keeps_names_whole_and_splits_clitics():
    if not segment(normalize("وموسكو"))[0]:
        pytest.skip("no word counts (arshif/entities/data/clusters.tsv missing)")
    assert segment(normalize("وموسكو")) == ("و", "موسكو")
    assert segment(normalize("لموسكو")) == ("ل", "موسكو")
    assert segment(normalize("والرياض")) == ("و", "الرياض")
    for name in ("واشنطن", "بغداد", "لبنان", "فرنسا"):
        assert segment(normalize(name)) == ("", normalize(name))


def test_split_sentences_offsets():
    text = "قال لافروف: نعم.\nوموسكو (روسيا)"
    sentences = split_sentences(text)
    assert len(sentences) == 2
    for sentence in sentences:
        for token, start, end, _ in sentence:
            assert text[start:end] == token
    assert [t[0] for t in sentences[1]] == ["وموسكو", "(", "روسيا", ")"]


def test_features_are_cached_per_type():
    featurizer = WordFeatures()
    rows = featurizer.sentence(["قال", "لافروف", "في", "وموسكو"])
    assert len(rows) == 4 and all(isinstance(f, str) for row in rows for f in row)
    assert featurizer.get("وموسكو") is featurizer.get("وموسكو")


@needs_model
def test_extract_offsets_clitics_and_names():
    mentions = CrfExtractor().extract(TEXT)
    assert mentions, "no mentions found"
    for m in mentions:
        assert TEXT[m.start:m.end] == m.surface
        assert m.type in {"PER", "LOC", "ORG", "MISC"}
        assert m.surface == m.surface.strip()
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    by_surface = {}
    for m in mentions:
        by_surface.setdefault(m.surface, set()).add(m.type)
    assert "PER" in by_surface.get("لافروف", set()) or "PER" in by_surface.get("سيرغي لافروف", set())
    assert by_surface.get("موسكو") == {"LOC"}
    # proclitics stay outside: وموسكو and لموسكو give the span موسكو
    i = TEXT.index("وموسكو")
    assert any(m.start == i + 1 and m.surface == "موسكو" for m in mentions)
    j = TEXT.index("لموسكو")
    assert any(m.start == j + 1 and m.surface == "موسكو" for m in mentions)
    assert not any(m.surface.startswith(("وموسكو", "لموسكو")) for m in mentions)
    assert "LOC" in by_surface.get("سوريا", set())
    assert any("بوتين" in m.surface and m.type == "PER" for m in mentions)


@needs_model
def test_tag_sentences_shape():
    tags = CrfExtractor().tag_sentences([["زار", "لافروف", "موسكو"], []])
    assert len(tags) == 2 and len(tags[0]) == 3 and tags[1] == []


def test_load_training_full_trains_on_the_dev_tail_too(tmp_path):
    """``arshif train-ner --full``: all of ANERcorp train (its last 10% included), no dev; the extra corpora are
    filtered against the dev tail's text as without --full (as ``tools/ner/train_neural.py --full`` does)."""
    from arshif.entities.train import load_training

    def write(name, sentences):
        (tmp_path / name).mkdir()
        (tmp_path / name / "train.conll").write_text(
            "\n\n".join("\n".join(f"{w}\tO" for w in s.split()) for s in sentences) + "\n", encoding="utf-8")

    core = [f"جملة رقم {i} من أخبار اليوم عن المدينة والناس" for i in range(20)]
    write("anercorp-camellab", core)
    write("newsfane-gold", ["نص آخر تماما لا يشبه شيئا من الأخبار", core[-1]])
    train, dev = load_training(["newsfane-gold"], root=tmp_path, log=lambda m: None)
    assert len(dev) == 2 and len(train) == 18 + 1  # the second newsfane sentence is the dev tail's text
    full, none = load_training(["newsfane-gold"], root=tmp_path, log=lambda m: None, full=True)
    assert none == [] and len(full) == 20 + 1
    assert [w for w, _ in full[:20]] == [s.split() for s in core]


@needs_model
def test_a_tagged_word_that_only_looks_like_a_clitic_keeps_its_letter():
    """The span of a tagged name starts after a proclitic only when arshif.text.clitics attests the split:
    فورد (Ford) is no ف + ورد, while وموسكو is و + موسكو."""
    text = 'تستمر "فورد" شركة صناعة السيارات العالمية في الكشف عن تقنياتها. وقال لافروف في وموسكو إن'
    extractor = CrfExtractor()
    starts = {m.start for m in extractor.extract(text)}
    assert text.index("ورد") not in starts
    from arshif.text.clitics import split_is_attested

    assert not split_is_attested("فورد", "ف", "ورد") and split_is_attested("وموسكو", "و", "موسكو")


@needs_model
def test_god_alone_is_no_entity_but_names_with_it_are():
    """الله alone, in formulas (الحمد لله, رحمه الله, صلى الله عليه وسلم), is no entity of the archive; names that
    hold it stay whole (حزب الله, رام الله, عبد الله)."""
    text = ("الحمد لله رب العالمين، وقال إن الأمر كله لله ولله الحمد وحده. وكان الأمير سعود الفيصل - رحمه الله - "
            "وزيرا، وقال رسول الله صلى الله عليه وسلم. وأعلن حزب الله اللبناني أن وفدا زار رام الله والتقى عبد الله "
            "الثاني.")
    from arshif.pipeline import find_mentions

    found = {m.surface for m in find_mentions(text, "default")}
    assert not found & {"الله", "لله"}
    assert {"حزب الله", "رام الله"} <= found and any("عبد الله" in name for name in found)


@needs_model
def test_numpy_viterbi_gives_the_tags_of_crfsuite():
    """``--ner crf`` decodes in NumPy from the model's weights (``chain.CrfScorer``): the same weights as
    ``pycrfsuite.Tagger.info()`` and the same tags as ``pycrfsuite.Tagger.tag``, sentence for sentence."""
    fast, slow = CrfExtractor().load(), CrfExtractor(numpy=False).load()
    info = slow._model.info()
    assert fast.weights.state_features == dict(info.state_features)
    assert fast.weights.transitions == dict(info.transitions)
    sentences = [[tok[0] for tok in sentence] for sentence in split_sentences(TEXT)]
    sentences += [tokens for tokens, _ in read_conll(FIXTURES / "ner_tiny.conll")]
    sentences += [[], ["لافروف"], ["،", "."]]
    assert fast.tag_sentences(sentences) == slow.tag_sentences(sentences)


@needs_model
def test_numpy_viterbi_agrees_on_a_real_corpus():
    path = anercorp_train()
    if not path.exists():
        pytest.skip(f"ANERcorp not found at {path} (../shared/data/ner)")
    sentences = [tokens for tokens, _ in read_conll(path)[:1500]]
    fast, slow = CrfExtractor().load(), CrfExtractor(numpy=False).load()
    assert fast.tag_sentences(sentences) == slow.tag_sentences(sentences)


def test_document_consistency_completes_a_name_tagged_in_part():
    """جيب [بوش] and [فاتن] حمامة, where the same document tags جيب بوش and فاتن حمامة whole."""
    sentences = [["أعلن", "جيب", "بوش"], ["وقال", "جيب", "بوش"], ["قالت", "فاتن", "حمامة"], ["الممثلة", "فاتن", "حمامة"],
                 ["زار", "بوش", "جيب"]]
    tags = [["O", "B-PER", "I-PER"], ["O", "O", "B-PER"], ["O", "B-PER", "I-PER"], ["O", "B-PER", "O"],
            ["O", "B-PER", "O"]]
    CrfExtractor()._make_consistent(sentences, tags)
    assert tags[1] == ["O", "B-PER", "I-PER"] and tags[3] == ["O", "B-PER", "I-PER"]
    assert tags[4] == ["O", "B-PER", "O"]  # بوش جيب is no repeat of جيب بوش
