"""Email files: ``.eml`` (one MIME message) and ``.mbox`` (every message in it).

Parsed with the standard library's :mod:`email` package (``policy.default``), which decodes
transfer encodings (base64, quoted-printable), charsets and RFC 2047 encoded headers. The
linted text is the Subject line (unless it is a reply's or forward's inherited ``Re:``/``Fwd:``
subject, in any of the languages mail clients write it), then the new words of the body: the ``text/plain`` part
when it has any word in it, else the visible text of the ``text/html`` part; quoted replies and the
signature are dropped (:mod:`checkin_lint.quotes`).

Positions: 7bit, 8bit and quoted-printable bodies map character by character into the
file; a base64 body cannot, so its findings point at the first line of the encoded part.
Directives sit in the body as ``#``/``//`` lines (plain text) or ``<!-- -->`` comments (HTML).

An mbox file is split at its ``From `` separator lines; each message is labelled
``message N: <subject>``.
"""

from __future__ import annotations

import email
import itertools
import re
from html import unescape
from email import policy
from email.message import EmailMessage
from typing import Iterator

from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.html import visible_text
from checkin_lint.inputs.stream import FEED_LINES, FileText, line_breaks
from checkin_lint.inputs.textmap import TextBuilder, align, cut_source_spans
from checkin_lint.quotes import inherited_subject, new_words
from checkin_lint.directives import Directive, find_directives

HEADER_NAMES = ("from", "to", "subject", "date", "message-id", "mime-version", "cc", "reply-to")
"""At least one of these headers makes a file an email."""
_SEPARATOR = re.compile(r"\r?\n\r?\n")
_SUBJECT = re.compile(r"^subject:[ \t]*", re.I | re.M)
_MBOX_FROM = re.compile(r"^From \S[^\n]*?\b\d{1,2}:\d{2}\b[^\n]*\n", re.M)
"""An mbox separator: ``From`` with a sender and a date holding a time (``From a@b.com Mon Jan  1
00:00:00 2024``), as mail tools check it, so a body line starting with "From " is not one."""


def _header_end(text: str, start: int, end: int) -> tuple[int, int]:
    """(end of the header block, start of the body) for the message at ``text[start:end]``."""
    m = _SEPARATOR.search(text, start, end)
    return (m.start(), m.end()) if m else (end, end)


def decode_subject(msg: EmailMessage) -> str:
    """The decoded Subject header. RFC 2047 words are decoded with :func:`email.header.decode_header`,
    which is linear in the header's length (the ``policy.default`` header parser is quadratic
    in the number of encoded words); an unknown charset is read as UTF-8, replacing the rest."""
    from email.header import decode_header

    raw = next((value for name, value in msg.raw_items() if name.lower() == "subject"), "")
    words = []
    for chunk, charset in decode_header(str(raw)):
        if isinstance(chunk, str):
            words.append(chunk)
            continue
        try:
            words.append(chunk.decode(charset or "raw-unicode-escape", "replace"))
        except (LookupError, UnicodeError):
            words.append(chunk.decode("utf-8", "replace"))
    text = "".join(words).encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # raw 8-bit bytes
    return " ".join(text.split())


def _subject(msg: EmailMessage, source: Source, start: int, header_end: int, end: int, builder: TextBuilder) -> str:
    """The decoded Subject; added to the linted text unless it is a reply's or forward's
    inherited subject (``Re: ...``), which is recorded as dropped instead."""
    subject = decode_subject(msg)
    if not subject:
        return ""
    m = _SUBJECT.search(source.text, start, header_end)
    if inherited_subject(subject):
        if m:
            line_end = source.text.find("\n", m.end(), header_end)
            builder.drop("subject", m.end(), line_end if line_end >= 0 else header_end)
    elif m:
        builder.add_mapped(subject, align(subject, source.text, m.end(), end=end))
    else:
        builder.add_text(subject, start)
    return subject


def _part_text(part: EmailMessage) -> str:
    try:
        return str(part.get_content())
    except (LookupError, ValueError, AssertionError):  # unknown charset or broken encoding: judged later
        return "x"


def _body_part(msg: EmailMessage) -> EmailMessage | None:
    """The body to lint: the ``text/plain`` part unless it has no letter or digit in it, HTML
    entities decoded (exporters and some senders leave it blank, or ``&nbsp;``, next to the
    real ``text/html`` body), else the HTML part."""
    try:
        plain = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
    except (KeyError, LookupError):  # pragma: no cover - malformed structure
        return None
    if plain is not None and (html is None or any(ch.isalnum() for ch in unescape(_part_text(plain)))):  # type: ignore[arg-type]
        return plain  # type: ignore[return-value]
    return html  # type: ignore[return-value]


def _locate_payload(part: EmailMessage, source: Source, body_start: int, end: int) -> int:
    """Offset in the source text where ``part``'s raw payload starts (before ``end``, where
    its message ends)."""
    raw = part.get_payload(decode=False)
    if isinstance(raw, str) and raw.strip():
        try:  # the parser keeps undecoded bytes as latin-1 characters or surrogates
            as_text = raw.encode("latin-1", "surrogateescape").decode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            as_text = raw
        probe = as_text.lstrip()[:200]
        at = source.text.find(probe, body_start, end)
        if at >= 0:
            return at
    return body_start


def _body_message(part: EmailMessage, source: Source, payload_start: int, end: int) -> Message:
    """The decoded body of ``part`` as a message mapped into the source."""
    try:
        content = part.get_content()
    except LookupError:  # a charset Python does not know: read the bytes as UTF-8, replacing the rest
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    except UnicodeError:  # a codec that is not a text charset (idna) or refuses the bytes
        charset = part.get_content_charset() or "?"
        raise InputError([Problem(source.path, f"cannot decode the body as charset {charset!r}",
                                  source.line_col(payload_start)[0])]) from None
    builder = TextBuilder(source)
    if part.get("content-transfer-encoding", "").lower().strip() == "base64":
        builder.add_mapped(content, [payload_start] * len(content))
    else:
        builder.add_mapped(content, align(content, source.text, payload_start, end=end))
    return builder.message()


def read_message(source: Source, start: int, end: int, label: str, *, mbox: bool = False) -> tuple[Message | None, list[Directive]]:
    """Read the MIME message at ``source.text[start:end]`` (``mbox``: one message of an mbox
    file, whose ``>From `` lines are escapes, not quotes). A structure nested too deeply for
    the standard library's parser (multipart, ``message/rfc822``, header comments) is an
    :class:`InputError`."""
    try:
        return _read_message(source, start, end, label, mbox=mbox)
    except RecursionError:
        raise InputError([Problem(source.path, "malformed MIME: nested too deeply", source.line_col(start)[0])]) from None


def _read_message(source: Source, start: int, end: int, label: str, *, mbox: bool) -> tuple[Message | None, list[Directive]]:
    chunk = source.text[start:end]
    msg = email.message_from_bytes(chunk.encode("utf-8", "surrogateescape"), policy=policy.default)
    if not any(name in msg for name in HEADER_NAMES):
        raise InputError([Problem(source.path, "not an email: no From, To, Subject or Date header", source.line_col(start)[0])])
    for defect in msg.defects:
        if type(defect).__name__ in ("NoBoundaryInMultipartDefect", "StartBoundaryNotFoundDefect"):
            raise InputError([Problem(source.path, f"malformed MIME: {defect.__doc__ or type(defect).__name__}".strip(), source.line_col(start)[0])])
    header_end, body_start = _header_end(source.text, start, end)
    part = _body_part(msg)  # type: ignore[arg-type]
    builder = TextBuilder(source)
    subject = _subject(msg, source, start, header_end, end, builder)  # type: ignore[arg-type]
    directives: list[Directive] = []
    if part is not None:
        body = _body_message(part, source, _locate_payload(part, source, body_start, end), end)
        if part.get_content_subtype() == "html":
            body, directives = visible_text(body)
        else:
            directives = find_directives(body, "line")
            body = cut_source_spans(body, [(d.start, d.end) for d in directives])
        body = new_words(body, mbox=mbox)
        if body.text.strip() and len(builder):
            builder.add_gap("\n\n")
        builder.extend(body)
    elif msg.is_multipart() or msg.get_content_maintype() != "text":
        raise InputError([Problem(source.path, "no text/plain or text/html part to lint", source.line_col(start)[0])])
    full_label = f"{label}: {subject}" if label and subject else label or subject
    message = builder.message(label=full_label, channel="email", meta={"subject": subject})
    return (message if message.text.strip() else None), directives


def read_eml(source: Source, options: ReadOptions) -> Document:
    """Read one ``.eml`` file."""
    message, directives = read_message(source, 0, len(source.text), "")
    return Document(source, "eml", [message] if message else [], directives)


def read_mbox(source: Source, options: ReadOptions) -> Document:
    """Read every message of an ``.mbox`` file, each when the document's
    :meth:`~checkin_lint.inputs.Document.iter_messages` comes to it (its directives are added
    to the document as it is read)."""
    if not source.text.startswith("From "):
        raise InputError([Problem(source.path, "not an mbox file: it must start with a 'From ' line", 1)])
    document = Document(source, "mbox")

    def messages() -> Iterator[Message]:
        separators = _MBOX_FROM.finditer(source.text)
        current = next(separators, None)
        n = 0
        while current is not None:
            following = next(separators, None)
            n += 1
            end = following.start() if following is not None else len(source.text)
            message, directives = read_message(source, current.end(), end, f"message {n}", mbox=True)
            document.directives.extend(directives)
            if message:
                yield message
            current = following

    document.pending = messages()
    return document


def read_mbox_stream(text: FileText, options: ReadOptions) -> Document:
    """:func:`read_mbox` for a file read a window at a time: each message has a source of its
    own, the text between its separator line and the next (see :mod:`~checkin_lint.inputs.stream`)."""
    lines = text.lines(FEED_LINES)
    first = next(lines, "")
    if not first.startswith("From "):
        raise InputError([Problem(text.display, "not an mbox file: it must start with a 'From ' line", 1)])
    document = Document(Source(text.display, ""), "mbox")

    def windows() -> Iterator[tuple[int, int, str]]:
        """``(offset, first line, text)`` of each message: the lines after a separator line."""
        offset = breaks = 0  # where the lines gathered in ``gathered`` start in the file
        gathered: list[str] = []
        inside = False  # False before the first separator (that text is no message)
        for line in itertools.chain((first,), lines):
            if line.startswith("From ") and _MBOX_FROM.match(line):
                window = "".join(gathered)
                if inside:
                    yield offset, breaks, window
                offset += len(window) + len(line)
                breaks += line_breaks(window) + line_breaks(line)
                gathered = []
                inside = True
            else:
                gathered.append(line)
        if inside:
            yield offset, breaks, "".join(gathered)

    def messages() -> Iterator[Message]:
        for n, (offset, first_line, window) in enumerate(windows(), 1):
            source = Source(text.display, window, offset, first_line)
            message, directives = read_message(source, 0, len(window), f"message {n}", mbox=True)
            document.directives.extend(directives)
            if message:
                yield message

    document.pending = messages()
    return document
