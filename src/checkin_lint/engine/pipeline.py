"""Build the spaCy pipeline: ``spacy.blank("en")`` with rule-based sentence boundaries by
default, or a trained pipeline the user configured by package name or path."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from checkin_lint.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language as LanguageT

LINE_SENTENCES = "checkin_line_sentences"
MAX_WRAPPED_LINE = 60
"""A line shorter than this that ends without punctuation (a greeting, a bullet, a sign-off)
ends its sentence; longer lines are taken as hard-wrapped prose."""


MAX_TOKEN_CHARS = 40
"""Longest run of non-space characters the tokenizer is given in one piece (see :func:`tokenizer_text`)."""
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_TOKEN_CHARS + 1))


def _cut(match: re.Match[str]) -> str:
    chars = list(match.group())
    chars[MAX_TOKEN_CHARS::MAX_TOKEN_CHARS + 1] = " " * len(chars[MAX_TOKEN_CHARS::MAX_TOKEN_CHARS + 1])
    return "".join(chars)


def tokenizer_text(text: str) -> str:
    """``text`` as the tokenizer is given it: every run of more than :data:`MAX_TOKEN_CHARS`
    non-space characters has every 41st character replaced by a space, so offsets are
    unchanged. spaCy's tokenizer peels prefixes and suffixes off a run one at a time, copying
    the rest each time: a run of ``(``, ``=``, ``!``, emoji or ``'s`` costs time quadratic in
    its length (2,000 characters took 0.5 s, 8,000 took 9 s; spaCy issues #1765, #1768).
    Words are far shorter than the cut, and rule regexes still see the uncut text."""
    return _LONG_RUN.sub(_cut, text) if len(text) > MAX_TOKEN_CHARS else text


@Language.component(LINE_SENTENCES)
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after a blank line, and after a line break that ends a short line or
    follows end punctuation, so greetings, bullets and sign-offs stand alone.

    The starts are written in one :meth:`~spacy.tokens.Doc.from_array` call: setting
    ``Token.is_sent_start`` per line rescans the whole doc each time (quadratic in lines)."""
    starts = doc.to_array([SENT_START])
    changed = False
    line_len = 0
    for i, token in enumerate(doc):
        if "\n" not in token.text:
            line_len += len(token.text_with_ws)
            continue
        if i + 1 >= len(doc):
            break
        blank = token.text.count("\n") >= 2
        prev = doc[i - 1] if i > 0 else None
        ends_clause = prev is not None and (prev.is_punct or prev.like_url)
        if blank or ends_clause or line_len < MAX_WRAPPED_LINE:
            starts[i + 1] = 1
            changed = True
        line_len = 0
    if len(doc) > 1 and doc[0].is_space:
        starts[1] = 1
        changed = True
    if changed:
        doc.from_array([SENT_START], starts)
    return doc


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of each sentence of ``doc``: worked out once per message
    and shared by the matcher (``unless`` vetoes) and the report (rewrites, fixes)."""
    return [(sent.start_char, sent.end_char) for sent in doc.sents]


BLANK_MAX_LENGTH = 100_000_000
"""Longest text, in characters, the blank pipeline accepts. spaCy's default (1,000,000) guards
the memory of a parser and NER, which the blank pipeline does not have: without raising it, a
message longer than that crashed the run instead of being linted."""


def blank_pipeline() -> LanguageT:
    """The default pipeline: blank English, the rule-based sentencizer, line-aware sentences."""
    nlp = spacy.blank("en")
    nlp.max_length = BLANK_MAX_LENGTH
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(LINE_SENTENCES)
    return nlp


def load_model(name_or_path: str) -> LanguageT:
    """Load a trained pipeline by installed package name or by path. Raises :class:`ModelError`
    with a one-line reason when it is missing or was built for another spaCy version."""
    meta = _model_meta(name_or_path)
    wanted = meta.get("spacy_version", "")
    if wanted and not spacy.util.is_compatible_version(spacy.__version__, wanted):
        raise ModelError(f"model {name_or_path!r} needs spaCy {wanted}, but spaCy {spacy.__version__} is installed")
    try:
        nlp = spacy.load(name_or_path)
    except (OSError, ValueError, ImportError) as exc:
        raise ModelError(f"cannot load model {name_or_path!r}: {str(exc).splitlines()[0]}") from None
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("sentencizer")
    return nlp


def _model_meta(name_or_path: str) -> dict[str, object]:
    path = Path(name_or_path)
    if path.exists():
        meta_file = path / "meta.json"
        if not meta_file.is_file():
            raise ModelError(f"model path {name_or_path!r} is not a spaCy pipeline (no meta.json)")
    else:
        if not spacy.util.is_package(name_or_path):
            raise ModelError(f"model {name_or_path!r} is neither an installed package nor a path")
        meta_file = spacy.util.get_package_path(name_or_path) / "meta.json"
        if not meta_file.is_file():
            return {}
    try:
        return json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {meta_file}: {exc}") from None
