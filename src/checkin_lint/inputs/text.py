"""Plain text (and stdin): the whole file is one message, minus quoted replies, the
signature and ``#``/``//`` directive lines."""

from __future__ import annotations

from checkin_lint.document import Message, Source
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.textmap import cut_source_spans
from checkin_lint.quotes import new_words
from checkin_lint.directives import find_directives

SYNTAX = "line"
"""Directive comments in text files: a line starting with ``#`` or ``//``."""


def read(source: Source, options: ReadOptions) -> Document:
    """Read a plain-text draft as one message."""
    whole = Message.whole(source)
    directives = find_directives(whole, SYNTAX)
    message = new_words(cut_source_spans(whole, [(d.start, d.end) for d in directives]))
    messages = [message] if message.text.strip() else []
    return Document(source, "text", messages, directives)
