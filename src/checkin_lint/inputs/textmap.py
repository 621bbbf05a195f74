"""Build message text piece by piece while remembering where every character came from.

Readers rarely lint a file verbatim: an email has a decoded subject and body, a playbook
step is a YAML string, an HTML page is its visible text. :class:`TextBuilder` assembles
such text from source ranges (copied one-to-one), per-character offsets (for decoded or
unescaped text) and separators the reader adds itself, and turns the result into a
:class:`~checkin_lint.document.Message` whose offset map points back into the file.

:func:`align` recovers per-character offsets for a decoded value (a YAML or JSON string,
a quoted-printable body) by walking the value and the raw text side by side.
"""

from __future__ import annotations

from typing import Sequence

from checkin_lint.document import DROPPED, SIGNATURE, Message, Piece, Source

TAIL = 8
"""Characters the builder remembers from the end of its text (for separator decisions)."""
LOOKAHEAD = 16
"""How far :func:`align` looks ahead in the raw text for a character of the value; long
enough for ``\\u00e9`` or ``=E2=80=99``, short enough not to jump to an unrelated word."""


class TextBuilder:
    """Accumulates message text and the pieces that map it back to the source text."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._parts: list[str] = []
        self._pieces: list[Piece] = []
        self._length = 0
        self._last_source = 0
        self._tail = ""
        self._dropped: list[tuple[str, int, int]] = []
        self._signature: object = None

    @property
    def text(self) -> str:
        """The text built so far."""
        return "".join(self._parts)

    def __len__(self) -> int:
        return self._length

    def ends_with(self, suffix: str) -> bool:
        """True when the text built so far ends with ``suffix`` (at most :data:`TAIL` characters)."""
        return self._tail.endswith(suffix)

    def trailing(self, chars: str) -> int:
        """How many of the last characters (up to :data:`TAIL`) are in ``chars``."""
        return len(self._tail) - len(self._tail.rstrip(chars))

    def add_range(self, start: int, end: int) -> None:
        """Append ``source.text[start:end]`` verbatim."""
        if end <= start:
            return
        self._append(self.source.text[start:end], start)

    def add_text(self, text: str, source_start: int) -> None:
        """Append ``text`` that sits verbatim at ``source_start`` in the source."""
        if text:
            self._append(text, source_start)

    def add_mapped(self, text: str, offsets: Sequence[int]) -> None:
        """Append ``text`` whose character ``i`` came from source offset ``offsets[i]``."""
        if not text:
            return
        run_start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or offsets[i] != offsets[i - 1] + 1:
                self._append(text[run_start:i], offsets[run_start])
                run_start = i

    def add_gap(self, text: str) -> None:
        """Append text the reader made up (a separator): it maps to the last source position."""
        if text:
            last = self._last_source
            self._append(text, last)
            self._last_source = last

    def drop(self, kind: str, source_start: int, source_end: int) -> None:
        """Record that ``source.text[source_start:source_end]`` was left out (see :data:`DROPPED`)."""
        self._dropped.append((kind, source_start, source_end))

    def extend(self, message: Message) -> None:
        """Append a message built over the same source, keeping its offset map, its record
        of what was left out and its signature."""
        self._dropped.extend(message.meta.get(DROPPED, []))  # type: ignore[arg-type]
        self._signature = message.meta.get(SIGNATURE, self._signature)
        if not message.text:
            return
        for piece in message.pieces:
            if piece.end > piece.start:
                self._append(message.text[piece.start:piece.end], piece.source_start)

    def _append(self, text: str, source_start: int) -> None:
        self._pieces.append(Piece(self._length, self._length + len(text), source_start))
        self._parts.append(text)
        self._length += len(text)
        self._tail = (self._tail + text)[-TAIL:]
        self._last_source = source_start + len(text)

    def message(self, **kwargs: object) -> Message:
        """The message built so far (``kwargs`` go to :class:`Message`: label, channel, meta)."""
        pieces = self._pieces or [Piece(0, 0, self._last_source)]
        if self._dropped or self._signature is not None:
            meta = dict(kwargs.pop("meta", None) or {})  # type: ignore[call-overload]
            if self._dropped:
                meta[DROPPED] = [*meta.get(DROPPED, []), *self._dropped]
            if self._signature is not None:
                meta.setdefault(SIGNATURE, self._signature)
            kwargs["meta"] = meta
        return Message(text=self.text, source=self.source, pieces=list(pieces), **kwargs)  # type: ignore[arg-type]


_ESCAPED_SPACE = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def align(value: str, raw: str, start: int = 0, *, end: int | None = None, lookahead: int = LOOKAHEAD) -> list[int]:
    """Offsets into ``raw`` for each character of ``value``, a decoded form of the text at
    ``raw[start:end]`` (a quoted or block YAML scalar, a JSON string, a quoted-printable body,
    a CSV cell; ``end`` bounds the search to the record or message that holds it).

    Equal characters are matched in order; whitespace in the value may stand for any run of
    whitespace in the raw text (folding, indentation); a character that cannot be found
    within ``lookahead`` characters (an escape such as ``\\n``) maps to the current position
    without consuming anything, so one escape never shifts the rest of the text.
    """
    offsets: list[int] = []
    pos = start
    n = len(raw) if end is None else end
    for ch in value:
        if ch.isspace():
            if pos < n and raw[pos].isspace():
                offsets.append(pos)
                pos += 1
            elif raw.startswith(_ESCAPED_SPACE.get(ch, "\\ "), pos, n):
                offsets.append(pos)
                pos += 2
            else:
                offsets.append(min(pos, n))
            continue
        while pos < n and raw[pos].isspace() and raw[pos] != ch:
            pos += 1
        found = raw.find(ch, pos, min(n, pos + lookahead))
        if found < 0:
            offsets.append(min(pos, n))
            continue
        offsets.append(found)
        pos = found + 1
    return offsets


def slice_message(message: Message, start: int, end: int) -> Message:
    """The part ``message.text[start:end]`` as a message with its offset map."""
    edits = []
    if end < len(message.text):
        edits.append((end, len(message.text), ""))
    if start > 0:
        edits.append((0, start, ""))
    return message.edited(edits) if edits else message


def message_offset(message: Message, source_offset: int) -> int | None:
    """The message offset of ``source_offset``, or ``None`` when that text is not in the message."""
    for piece in message.pieces:
        if piece.source_start <= source_offset <= piece.source_start + (piece.end - piece.start):
            return piece.start + source_offset - piece.source_start
    return None


def cut_source_spans(message: Message, spans: Sequence[tuple[int, int]]) -> Message:
    """The message without the text of the given source ranges (comments, directives)."""
    edits = []
    for start, end in spans:
        a, b = message_offset(message, start), message_offset(message, end)
        if a is not None and b is not None and b > a:
            edits.append((a, b, ""))
    return message.edited(edits) if edits else message
