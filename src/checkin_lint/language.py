"""Which messages are in English: the rules are English, so other languages are skipped
with a notice instead of getting a meaningless "no value signal" warning.

The language is identified by `py3langid <https://github.com/adbar/py3langid>`_ (a
maintained fork of langid.py, Lui & Baldwin 2012: a naive Bayes model over byte n-grams,
97 languages; numpy is its only dependency and spaCy already needs it). Loading its model
takes a second or two, so it is loaded only for a message that does not already read as
English: one where at least :data:`ENGLISH_SHARE` of the words are common English function
words (:func:`english_words`, from spaCy's stop-word lists) is linted without asking the model. A message with fewer
than :data:`MIN_LETTERS` letters is too short to tell and is linted. Otherwise a message is
skipped when the model names another language with probability at least
:data:`MIN_CONFIDENCE`.

``language = "en"`` (``--language en``) lints every message as English.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from checkin_lint.document import Message

LANGUAGES = ("auto", "en")
"""``auto``: skip messages identified as another language; ``en``: lint every message."""
MIN_LETTERS = 40
"""Fewer letters than this and the language is not asked: short texts are often misjudged."""
MIN_CONFIDENCE = 0.9
"""Probability (py3langid's normalised score) from which a non-English verdict is believed."""
MAX_SAMPLE = 2000
"""Characters of a message the model reads (its cost grows with the text)."""
ENGLISH_SHARE = 0.15
"""Share of common English function words from which a message reads as English."""
ENGLISH_WORDS = frozenset(
    "the and or but to of at for from with by about as is are were be been "
    "we you she it they us him her them my our your its their this that these those "
    "not any some all if does did have has had would can could should just there "
    "what when where which who how why".split()
)
"""Function words that make up a large share of any English text, leaving out those that are
words of other European languages too (a, an, am, die, i, in, me, no, on, so, was, will).
spaCy's English stop words that no other language's stop-word list in spaCy holds are added
(:func:`english_words`)."""
OTHER_STOP_WORDS = ("de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "pl", "ro", "ca")
"""spaCy languages whose stop words are not taken as a sign of English."""
_WORD = re.compile(r"[^\W\d_]+")
_NOISE = re.compile(r"\{\{(?:[^{}]|\{(?!\{)|\}(?!\}))*\}\}|\{%(?:[^%{]|%(?!\})|\{(?!%))*%\}|\[[^\]\n]{0,50}\]"
                    r"|https?://\S+|www\.\S+|(?<!\S)[^\s@]+@\S+|\*\|(?:[^|*]|\|(?!\*)|\*(?!\|))*\|\*|%[A-Z_]+%")
"""Merge fields, URLs and addresses left out of language detection. Linear: a field stops at
the next opening of its kind, and an address is tried once per run of non-space characters."""
"""Merge fields, URLs and addresses say nothing about the language."""


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """:data:`ENGLISH_WORDS` plus spaCy's English stop words that are not stop words of the
    languages in :data:`OTHER_STOP_WORDS`."""
    from spacy.lang.en.stop_words import STOP_WORDS

    others: set[str] = set()
    for code in OTHER_STOP_WORDS:
        others |= _stop_words(code)
    return ENGLISH_WORDS | frozenset(w for w in STOP_WORDS if w not in others and w.isalpha())


def _stop_words(code: str) -> set[str]:
    """The ``STOP_WORDS`` of ``spacy/lang/<code>/stop_words.py``, executed on its own: importing
    it as ``spacy.lang.<code>.stop_words`` would first run the language package's
    ``__init__``, and French's compiles its tokenizer exceptions (several seconds)."""
    import importlib.util

    import spacy.lang

    path = Path(spacy.lang.__file__).parent / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_checkin_lint_stop_words_{code}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.STOP_WORDS)


@lru_cache(maxsize=1)
def _identifier() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in when it is confidently not
    English, else ``None`` (English, or too short or too mixed to tell)."""
    clean = _NOISE.sub(" ", text)
    words = _WORD.findall(clean.lower())
    if sum(len(w) for w in words) < MIN_LETTERS:
        return None
    enough = ENGLISH_SHARE * len(words)
    # ENGLISH_WORDS alone settles most English messages; english_words() adds to it, so only
    # the others need it (reading spaCy's stop-word lists takes tens of milliseconds).
    if sum(1 for w in words if w in ENGLISH_WORDS) >= enough:
        return None
    english = english_words()
    if sum(1 for w in words if w in english) >= enough:
        return None
    language, confidence = _identifier().classify(clean[:MAX_SAMPLE])  # type: ignore[attr-defined]
    return str(language) if language != "en" and confidence >= MIN_CONFIDENCE else None


def split_languages(messages: Iterable[Message], language: str = "auto") -> tuple[list[Message], list[tuple[Message, str]]]:
    """(messages to lint, messages skipped with their language). ``language="en"`` keeps all."""
    kept: list[Message] = []
    skipped: list[tuple[Message, str]] = []
    for message in messages:
        found = detect(message.text) if language == "auto" else None
        if found:
            skipped.append((message, found))
        else:
            kept.append(message)
    return kept, skipped
