"""Documents and messages: the text we lint and where each character came from.

An input reader turns a file into a :class:`Source` (the decoded file text) and one or more
:class:`Message` objects. A message's ``text`` is what the sender is about to send, with
everything that is not theirs (quoted replies, signatures, merge-field names, markup)
blanked out or left out. ``pieces`` map message offsets back to offsets in the source text,
so every finding can point at the right line and column of the original file.

Line breaks are ``\\r\\n``, ``\\r`` and ``\\n``; lines and columns are 1-based and columns
count characters (code points), not bytes.
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass, field
from typing import Sequence

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
SIGNATURE = "signature"
"""Key of :attr:`Message.meta` holding, verbatim, the signature the reader left out of the
message (the sender's name and details under the closing), for rewrites."""

DROPPED = "dropped"
"""Key of ``Message.meta`` listing what a reader left out of the message as not the sender's
words: ``[(kind, source_start, source_end), ...]`` (kinds: ``quote``, ``thread``,
``signature``, ``footer``, ``subject``)."""


@dataclass
class Source:
    """The decoded text of one input file (or stdin, or a string), or a window of it.

    A window is the text of one record or message of a long file read a window at a time
    (:mod:`checkin_lint.inputs.stream`): it starts at a line start, ``offset`` characters and
    ``first_line`` line breaks into the file. Offsets into a source (message pieces, the
    ``source_start`` of a finding before :meth:`file_offset`) are offsets into ``text``;
    :meth:`line_col` and :meth:`file_offset` give the file's lines and offsets.
    """

    path: str
    text: str
    offset: int = 0
    first_line: int = 0
    _line_starts: array[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # 8 bytes per line (a list of ints would take about 40): a 100 MB export has millions of lines.
        self._line_starts = array("q", [0])
        self._line_starts.extend(m.end() for m in _LINE_BREAK.finditer(self.text))

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) in the file of a character offset in the source text."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return self.first_line + index + 1, offset - self._line_starts[index] + 1

    def line_start(self, line: int) -> int:
        """Return the offset in the source text at which 1-based file ``line`` starts."""
        return self._line_starts[max(0, min(line - self.first_line - 1, len(self._line_starts) - 1))]

    def file_offset(self, offset: int) -> int:
        """The character offset in the decoded file of an offset in the source text."""
        return self.offset + offset

    @property
    def lines(self) -> Sequence[str]:
        """The lines of the text without their line breaks (as ``re.split`` on line breaks
        gives them), each sliced from the text when asked for, not copied up front."""
        return SourceLines(self)


class SourceLines(Sequence[str]):
    """The lines of a :class:`Source`, read on demand (see :attr:`Source.lines`)."""

    def __init__(self, source: Source) -> None:
        self._source = source

    def __len__(self) -> int:
        return len(self._source._line_starts)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        starts = self._source._line_starts
        if index < 0:
            index += len(starts)
        if not 0 <= index < len(starts):
            raise IndexError("line index out of range")
        end = starts[index + 1] if index + 1 < len(starts) else len(self._source.text)
        return self._source.text[starts[index]:end].rstrip("\r\n")


@dataclass(frozen=True)
class Piece:
    """A run of message text that maps one-to-one onto source text from ``source_start``."""

    start: int
    end: int
    source_start: int


@dataclass
class Message:
    """One message to lint: the sender's words plus the map back into the source.

    ``pieces`` must be sorted and cover the message text; an offset that falls between
    pieces maps to the end of the preceding piece. ``signals`` holds value evidence found
    outside the text itself (for example a merge field named ``{{case_study_link}}``).
    """

    text: str
    source: Source
    pieces: list[Piece] = field(default_factory=list)
    label: str = ""
    channel: str = ""
    meta: dict[str, object] = field(default_factory=dict)
    slots: list["Slot"] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.pieces:
            self.pieces = [Piece(0, len(self.text), 0)]
        self._starts = [p.start for p in self.pieces]

    @classmethod
    def whole(cls, source: Source, **kwargs: object) -> Message:
        """A message that is the entire source text, offsets identical."""
        return cls(text=source.text, source=source, **kwargs)  # type: ignore[arg-type]

    def source_offset(self, offset: int) -> int:
        """Map a message offset to a source offset (always inside the source text: a
        replacement longer than what it replaced must not point past the end of the file)."""
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        piece = self.pieces[index]
        return min(piece.source_start + min(max(offset - piece.start, 0), piece.end - piece.start), len(self.source.text))

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) in the source file of a message offset."""
        return self.source.line_col(self.source_offset(offset))

    def edited(self, edits: list[tuple[int, int, str]]) -> Message:
        """A copy with each ``(start, end, replacement)`` applied (sorted, non-overlapping).

        Kept text still maps to its source characters; a replacement maps to where the
        replaced text started. Used to drop merge-field markup and other non-sender text.
        """
        parts: list[str] = []
        pieces: list[Piece] = []
        cursor = 0
        out = 0

        def keep(start: int, end: int) -> None:
            nonlocal out
            # Only the pieces that overlap [start, end): a message with many pieces and many
            # edits stays linear instead of visiting every piece for every kept run.
            i = max(0, bisect.bisect_right(self._starts, start) - 1)
            while i < len(self.pieces) and self.pieces[i].start < end:
                piece = self.pieces[i]
                a, b = max(start, piece.start), min(end, piece.end)
                if a < b:
                    pieces.append(Piece(out + a - start, out + b - start, piece.source_start + a - piece.start))
                i += 1
            parts.append(self.text[start:end])
            out += end - start

        for start, end, replacement in sorted(edits):
            if start < cursor:
                continue
            keep(cursor, start)
            if replacement:
                pieces.append(Piece(out, out + len(replacement), self.source_offset(start)))
                parts.append(replacement)
                out += len(replacement)
            cursor = end
        keep(cursor, len(self.text))
        if not pieces:
            pieces = [Piece(0, 0, self.source_offset(0))]
        return Message(
            text="".join(parts), source=self.source, pieces=pieces, label=self.label,
            channel=self.channel, meta=dict(self.meta), slots=list(self.slots),
        )


@dataclass(frozen=True)
class Slot:
    """A template merge field whose name says what value it will hold.

    ``family`` is a value-signal family (``link``, ``insight`` ...) or ``""`` for a
    name-only field such as ``{{first_name}}``. Offsets are message offsets.
    """

    start: int
    end: int
    name: str
    family: str
