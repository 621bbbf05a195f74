"""Input readers: turn a file (or stdin) into a :class:`Document`, the messages it holds.

Each reader is a module with ``read(source: Source, options: ReadOptions) -> Document``,
imported on first use. The reader is chosen by file name (:data:`EXTENSIONS`, longest
suffix first, so ``voicemail.script.md`` is a call script) unless ``--input-format`` or the
configuration's ``formats`` names one. Every reader keeps only the sender's words and maps
them back to the file, so findings point at the right line and column.

==========  ===========================================  ==========================
format      suffixes                                     directive comment syntax
==========  ===========================================  ==========================
text        .txt .text (and anything unknown), stdin     ``#`` or ``//`` line
markdown    .md .markdown                                ``<!-- -->``
html        .html .htm                                   ``<!-- -->``
eml         .eml                                         ``#`` or ``//`` line in the body, ``<!-- -->`` in HTML
mbox        .mbox                                        as eml
playbook    .yaml .yml .json                             ``#`` line (YAML only)
csv         .csv .tsv                                    none (use per-file-ignores)
script      .script.md .script.txt .call.md .call.txt    ``<!-- -->`` (Markdown) or ``#``/``//`` line
==========  ===========================================  ==========================
"""

from __future__ import annotations

import codecs
import importlib
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Callable, Iterator

from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem

if TYPE_CHECKING:
    from checkin_lint.directives import Directive
    from checkin_lint.inputs.stream import FileText

READERS: dict[str, str] = {
    "text": "checkin_lint.inputs.text:read",
    "markdown": "checkin_lint.inputs.markdown:read",
    "html": "checkin_lint.inputs.html:read",
    "eml": "checkin_lint.inputs.mime:read_eml",
    "mbox": "checkin_lint.inputs.mime:read_mbox",
    "playbook": "checkin_lint.inputs.playbook:read",
    "csv": "checkin_lint.inputs.csvfile:read",
    "script": "checkin_lint.inputs.script:read",
}
"""Input format name -> ``module:function`` of its reader (imported on first use)."""

STREAM_READERS: dict[str, str] = {
    "csv": "checkin_lint.inputs.csvfile:read_stream",
    "mbox": "checkin_lint.inputs.mime:read_mbox_stream",
}
"""Input formats of many messages whose files on disk are read a window at a time, never whole
(:mod:`checkin_lint.inputs.stream`): format name -> ``module:function`` of that reader,
``read_stream(text: FileText, options: ReadOptions) -> Document``."""

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".eml": "eml",
    ".mbox": "mbox",
    ".yaml": "playbook",
    ".yml": "playbook",
    ".json": "playbook",
    ".csv": "csv",
    ".tsv": "csv",
    ".script.md": "script",
    ".script.txt": "script",
    ".call.md": "script",
    ".call.txt": "script",
}
"""File suffix -> input format. Files with other suffixes are read as plain text."""
_LONGEST_SUFFIX_FIRST = sorted(EXTENSIONS, key=len, reverse=True)
"""The suffixes in the order :func:`format_for` tries them: ``.script.md`` before ``.md``."""

BYTE_FORMATS = frozenset({"eml", "mbox"})
"""Formats that declare their own charsets (MIME): the reader decodes, not :func:`decode`."""

DEFAULT_FORMAT = "text"
MAX_BYTES = 5_000_000
"""Default size limit of one input file (configurable as ``max-file-size``)."""

DEFAULT_SPEAKERS = ("rep", "me", "you", "sender", "caller", "agent", "sdr", "bdr", "ae", "am", "csm",
                    "sales", "seller", "salesperson", "sales rep", "account manager", "recruiter", "voicemail", "vm")
"""Speaker labels of the sender in call scripts (configurable as ``script-speakers``)."""

DEFAULT_FENCES = ("", "text", "email", "markdown", "md")
"""Markdown: languages of the fenced blocks that hold templates (``""``: no info string);
configurable as ``markdown-fences``."""


@dataclass(frozen=True)
class ReadOptions:
    """What readers need beyond the file: CSV columns, script speakers, the size limit, the
    Markdown fences that hold templates."""

    column: str | None = None
    subject_column: str | None = None
    id_column: str | None = None
    speakers: tuple[str, ...] = DEFAULT_SPEAKERS
    max_bytes: int = MAX_BYTES
    fences: tuple[str, ...] = DEFAULT_FENCES


@dataclass
class Document:
    """What a reader found in one input: its messages and its suppression directives.

    ``kind`` is the input format that read it (``playbook`` documents get cross-step checks).
    ``notices`` say what the reader left out on purpose (for example a YAML file that is not
    a playbook); they are reported, never errors. A reader of a format that holds many
    messages (CSV, mbox) leaves them in ``pending``, read one at a time by
    :meth:`iter_messages`; :func:`read_document` reads them into ``messages`` unless asked
    not to.
    """

    source: Source
    kind: str
    messages: list[Message] = field(default_factory=list)
    directives: list["Directive"] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    pending: Iterator[Message] | None = None

    def iter_messages(self) -> Iterator[Message]:
        """Every message in file order: those in ``messages``, then the ``pending`` ones, each
        read when asked for and not kept. Raises :class:`InputError` on the first one that
        cannot be read."""
        yield from self.messages
        if self.pending is not None:
            pending, self.pending = self.pending, None
            yield from pending

    def read_all(self) -> None:
        """Read the ``pending`` messages into ``messages``."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self.messages.extend(pending)


Reader = Callable[[Source, ReadOptions], Document]


def format_for(path: str, override: str | None = None) -> str:
    """The input format for ``path``: ``override`` if given, else by suffix, else text."""
    if override:
        if override not in READERS:
            raise InputError([Problem(path, f"unknown input format {override!r} (known: {', '.join(READERS)})")])
        return override
    name = PurePath(path).name.lower()
    for suffix in _LONGEST_SUFFIX_FIRST:
        if name.endswith(suffix) and name != suffix:
            return EXTENSIONS[suffix]
    return DEFAULT_FORMAT


def get_reader(name: str) -> Reader:
    """Import and return the reader for input format ``name``."""
    module, _, func = READERS[name].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


def get_stream_reader(name: str) -> Callable[[FileText, ReadOptions], Document]:
    """Import and return the reader of a file of format ``name`` read a window at a time
    (``name`` is one of :data:`STREAM_READERS`)."""
    module, _, func = STREAM_READERS[name].partition(":")
    return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]


BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
"""Byte-order marks and the Unicode encodings they announce (Unicode Standard, section 23.8).
Windows PowerShell 5.1 (``>``, ``Out-File``) and Notepad's "Unicode" save write UTF-16 LE
with a BOM."""


def file_encoding(raw: bytes) -> tuple[bytes, str]:
    """The BOM of ``raw`` (``b""`` when none) and the codec it implies (UTF-8 without one)."""
    for bom, codec in BOMS:
        if raw.startswith(bom):
            return bom, codec
    return b"", "utf-8"


def _wide_without_bom(sample: bytes) -> str | None:
    """``"UTF-16 LE"``/``"UTF-16 BE"`` when ``sample`` looks like UTF-16 text without a BOM:
    most even (BE) or odd (LE) bytes are NUL and the others are not."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.6 and zeros_even < 0.1:
        return "UTF-16 LE"
    if zeros_even > 0.6 and zeros_odd < 0.1:
        return "UTF-16 BE"
    return None


NUL_SAMPLE = 8192
"""Bytes at the start of a file in which a NUL byte means binary (or BOM-less UTF-16) input."""


def nul_problem(path: str, sample: bytes) -> Problem:
    """The error for a file whose first :data:`NUL_SAMPLE` bytes (``sample``) hold a NUL byte."""
    wide = _wide_without_bom(sample)
    if wide:
        return Problem(path, f"looks like {wide} text without a byte-order mark; save it as UTF-8 (or as UTF-16 with a BOM)")
    return Problem(path, "binary file, not text")


def bad_bom_text(path: str, codec: str, offset: int) -> Problem:
    """The error for a file its byte-order mark's ``codec`` cannot decode at byte ``offset``."""
    name = codec.upper().replace("-LE", " LE").replace("-BE", " BE")
    return Problem(path, f"not valid {name} despite its byte-order mark (bad bytes at offset {offset}); save it as UTF-8")


def bad_utf8(path: str, bad: bytes, offset: int) -> Problem:
    """The error for a file that is not UTF-8: ``bad`` is the first byte that is not, at ``offset``."""
    return Problem(path, f"not valid UTF-8 (byte {bad!r} at offset {offset}); save it as UTF-8")


def empty_file(path: str) -> Problem:
    """The error for a file whose text is empty or only whitespace."""
    return Problem(path, "empty file: nothing to lint")


def decode(path: str, raw: bytes) -> str:
    """Decode file bytes: UTF-8, or the UTF-8/16/32 encoding its BOM announces (the BOM is
    dropped). Raises :class:`InputError` for binary or undecodable input, with the file
    named and what to do (the offset of a bad byte counts from the start of the file)."""
    bom, codec = file_encoding(raw)
    if bom and codec != "utf-8":
        try:
            return raw[len(bom):].decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError([bad_bom_text(path, codec, exc.start + len(bom))]) from None
    if b"\x00" in raw[:NUL_SAMPLE]:
        raise InputError([nul_problem(path, raw[:NUL_SAMPLE])])
    try:
        return raw[len(bom):].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + len(bom)
        raise InputError([bad_utf8(path, raw[offset:offset + 1], offset)]) from None


def read_document(path: str, raw: bytes, *, input_format: str | None = None, options: ReadOptions | None = None,
                  lazy: bool = False) -> Document:
    """Decode ``raw`` (the bytes of ``path``) and read it as a document.

    Raises :class:`InputError` naming the file for binary, undecodable, empty, oversized or
    malformed input. With ``lazy``, the messages of a CSV or mbox file are left
    ``pending`` (see :class:`Document`), and an error in one of them is raised while
    iterating.
    """
    options = options or ReadOptions()
    if len(raw) > options.max_bytes:
        raise InputError([Problem(path, f"file is {len(raw):,} bytes, over the {options.max_bytes:,}-byte limit")])
    kind = format_for(path, input_format)
    bom, codec = file_encoding(raw)
    if kind in BYTE_FORMATS and codec == "utf-8":
        if b"\x00" in raw[:NUL_SAMPLE]:
            raise InputError([nul_problem(path, raw[:NUL_SAMPLE])])
        text = raw[len(bom):].decode("utf-8", "surrogateescape")  # one character per undecodable byte: lines stay right
    else:
        text = decode(path, raw)
    if not text.strip():
        raise InputError([empty_file(path)])
    document = get_reader(kind)(Source(path, text), options)
    if not lazy:
        document.read_all()
    return document


def read_messages(path: str, raw: bytes, *, input_format: str | None = None, options: ReadOptions | None = None) -> list[Message]:
    """Decode ``raw`` (the bytes of ``path``) and return its messages."""
    return read_document(path, raw, input_format=input_format, options=options).messages
