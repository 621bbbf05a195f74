"""Escaping what came from an input before it reaches a terminal or a CI log.

A decoded Subject, a playbook step name, a CSV cell, matched text or a file name can hold
a line break followed by ``::error ...`` (which GitHub Actions reads as a workflow command),
ANSI or OSC escape sequences (which a terminal obeys), bidirectional overrides (which make
text display in another order than it reads) or, for names that are not valid UTF-8, lone
surrogates (which a strict UTF-8 stream cannot write). Every text format (``text``,
``concise``, ``github``) and every error line on standard error passes such strings through
:func:`escape_text`, and file names through :func:`escape_path`.
"""

from __future__ import annotations

import re
from typing import Iterable, TextIO

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Control characters (tab excepted), C1 controls, line and paragraph separators, bidirectional
marks, embeddings, overrides and isolates, and lone surrogates."""
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What :data:`_UNSAFE` holds beyond the C0 controls, which JSON escapes itself."""
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_text(text: str) -> str:
    """``text`` with every control character, bidirectional control and lone surrogate
    written as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``); other text is unchanged."""
    return _UNSAFE.sub(_escape, text)


def escape_lines(text: str) -> str:
    """Multi-line ``text`` (a rewrite) escaped line by line; a line starting with ``::`` gets
    a leading space, so it cannot be read as a workflow command."""
    lines = (escape_text(line) for line in text.split("\n"))
    return "\n".join(" " + line if line.startswith("::") else line for line in lines)


def escape_beyond_c0(text: str) -> str:
    """``text`` with what :func:`escape_text` escapes, except C0 controls (line breaks, which
    a multi-line field keeps, and what the caller's format escapes itself), escaped."""
    return _JSON_UNSAFE.sub(_escape, text)


def dumps_json(data: object) -> str:
    """``data`` as indented JSON that keeps readable Unicode but writes every character
    :func:`escape_text` would escape as a ``\\uXXXX`` escape (JSON itself escapes only C0
    controls), so the document is safe to print and valid for any strict UTF-8 stream."""
    import json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class JsonList:
    """A JSON array whose items :func:`write_json` takes from ``items`` one at a time (an
    iterable read once, at writing time), so a document with many items is never in memory
    whole."""

    def __init__(self, items: Iterable[object]) -> None:
        self.items = items


def write_json(out: TextIO, data: object) -> None:
    """Write ``data`` to ``out`` exactly as :func:`dumps_json` would render it with every
    :class:`JsonList` in it replaced by a list of its items, writing each item as it comes."""
    _write_json(out, data, "")


def _write_json(out: TextIO, data: object, prefix: str) -> None:
    """Write ``data`` as :func:`dumps_json` does, with ``prefix`` after each line break
    (the indentation of the line it starts on)."""
    import json
    import uuid

    token = f"@@json-list-{uuid.uuid4().hex}-"
    lists: dict[str, JsonList] = {}

    def placeholder(value: object) -> str:
        if not isinstance(value, JsonList):
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        key = f"{token}{len(lists)}"
        lists[key] = value
        return key

    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}",
                            json.dumps(data, indent=2, ensure_ascii=False, default=placeholder))
    if prefix:
        text = text.replace("\n", "\n" + prefix)
    if not lists:
        out.write(text)
        return
    position = 0
    for match in re.finditer('"(' + re.escape(token) + r'\d+)"', text):
        out.write(text[position:match.start()])
        line_start = text.rfind("\n", 0, match.start()) + 1
        line = text[line_start:match.start()]
        indent = line[:len(line) - len(line.lstrip(" "))] if line_start else prefix
        first = True
        for item in lists[match.group(1)].items:
            out.write(("[\n" if first else ",\n") + indent + "  ")
            _write_json(out, item, indent + "  ")
            first = False
        out.write("[]" if first else "\n" + indent + "]")
        position = match.end()
    out.write(text[position:])


def escape_path(path: str) -> str:
    """A file name as reports show it: escaped like :func:`escape_text`, and given a ``./``
    prefix when it starts with ``::`` (a line starting with it is a workflow command)."""
    shown = escape_text(path)
    return "./" + shown if shown.startswith("::") else shown
