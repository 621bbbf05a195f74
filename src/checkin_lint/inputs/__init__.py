"""Input readers: turn a file (or stdin) into the messages it holds.

Each reader takes a :class:`~checkin_lint.document.Source` and returns the messages in it;
the reader is chosen by file extension unless ``--input-format`` names one.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem

Reader = Callable[[Source], list[Message]]

READERS: dict[str, str] = {
    "text": "checkin_lint.inputs.text:read",
}
"""Input format name -> ``module:function`` of its reader (imported on first use)."""

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
}
"""File suffix -> input format. Files with other suffixes are read as plain text."""

DEFAULT_FORMAT = "text"
MAX_BYTES = 5_000_000
"""Default size limit of one input file."""


def format_for(path: str, override: str | None = None) -> str:
    """The input format for ``path``: ``override`` if given, else by suffix, else text."""
    if override:
        return override
    return EXTENSIONS.get(Path(path).suffix.lower(), DEFAULT_FORMAT)


def get_reader(name: str) -> Reader:
    """Import and return the reader for input format ``name``."""
    module, _, func = READERS[name].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def decode(path: str, raw: bytes) -> str:
    """Decode file bytes as UTF-8 (a BOM is dropped). Raises :class:`InputError` for
    binary or undecodable input, with the file named."""
    if b"\x00" in raw[:8192]:
        raise InputError([Problem(path, "binary file, not text")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.start + 1]
        raise InputError([Problem(path, f"not valid UTF-8 (byte {bad!r} at offset {exc.start}); save it as UTF-8")]) from None


def read_messages(path: str, raw: bytes, *, input_format: str | None = None) -> list[Message]:
    """Decode ``raw`` (the bytes of ``path``) and return its messages."""
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(path, f"file is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte limit")])
    text = decode(path, raw)
    if not text.strip():
        raise InputError([Problem(path, "empty file: nothing to lint")])
    source = Source(path, text)
    return get_reader(format_for(path, input_format))(source)
