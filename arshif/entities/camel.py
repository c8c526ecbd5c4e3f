"""CAMeL Tools' pretrained Arabic NER (BERT), as an optional extractor: ``./build --ner camel``.

Needs the extra (``pip install -e '.[camel]'``) and its model data (``camel_data -i ner-arabert``); without
either, building with it stops at once with an error that says which command to run.
"""

from __future__ import annotations

from ..text.tokenize import normalized_tokens, proclitic_offset
from .extractor import Mention

INSTALL = "pip install -e '.[camel]'"
DATA_COMMAND = "camel_data -i ner-arabert"
LABELS = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}
SENTENCE_TOKENS = 200


class CamelUnavailable(RuntimeError):
    """CAMeL Tools or its NER data is missing."""


def load_recognizer():
    """CAMeL Tools' pretrained NER model, or ``CamelUnavailable`` naming the command that installs what is missing."""
    try:
        from camel_tools.ner import NERecognizer
    except ImportError as error:
        raise CamelUnavailable(
            f"--ner camel needs CAMeL Tools, which is not installed ({error}). Install it with `{INSTALL}`,"
            f" then its NER data with `{DATA_COMMAND}`."
        ) from error
    try:
        return NERecognizer.pretrained()
    except Exception as error:  # camel_tools raises several kinds when its data is absent
        raise CamelUnavailable(
            f"--ner camel needs CAMeL Tools' NER data, which is not installed ({type(error).__name__}: {error})."
            f" Install it with `{DATA_COMMAND}`."
        ) from error


class CamelExtractor:
    """Mentions from CAMeL Tools' BERT tagger, with offsets into the original text (proclitics left out)."""

    name = "camel"

    def __init__(self, recognizer=None) -> None:
        self.recognizer = recognizer if recognizer is not None else load_recognizer()

    def extract(self, text: str) -> list[Mention]:
        toks, normalized = normalized_tokens(text)
        mentions: list[Mention] = []
        for first in range(0, len(toks), SENTENCE_TOKENS):
            chunk = toks[first : first + SENTENCE_TOKENS]
            labels = self.recognizer.predict_sentence([token.text for token in chunk])
            start = end = None
            kind = None
            for index, (token, label) in enumerate(zip(chunk, labels)):
                prefix, _, name = label.partition("-")
                entity = LABELS.get(name)
                if prefix == "I" and kind == entity and start is not None:
                    end = token.end
                    continue
                if start is not None:
                    mentions.append(Mention(start, end, text[start:end], kind))
                    start = None
                if prefix in ("B", "I") and entity:
                    start = token.start + proclitic_offset(token.text, normalized[first + index])
                    end, kind = token.end, entity
            if start is not None:
                mentions.append(Mention(start, end, text[start:end], kind))
        return mentions
