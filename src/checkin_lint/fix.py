"""Safe fixes: plan them from the findings, apply them to the file's own bytes.

A rule may carry ``fix: {action, safe, when}``. Only ``safe`` fixes are ever applied, and a
``when: value-present`` fix only to a message that carries a real value signal elsewhere (so
dropping the filler leaves a message worth sending). Everything else stays a suggestion.

``delete-match`` removes the matched words and one adjacent space. At the start of a sentence
it also removes a connecting word or colon that only tied the filler to the rest ("Just
checking in with the report: ..." becomes "The report: ...") and re-capitalises what is now
the first word. A sentence left with no words is removed whole; a sentence the deletion
would leave broken (empty quotes, stranded punctuation, a connecting word hanging after a
comma), or that would lose a phrase from its middle, is left as it was. ``delete-sentence``
removes the sentence holding the match, and its line when the sentence had the line to itself.

Edits are planned in message offsets and mapped to offsets of the decoded file through the
message's offset map. An edit is kept only when the text it covers maps one-to-one onto the
file (it does not reach into a merge field or quoted text the reader left out); if any edit of
a message does not, that message is left alone. Edits are then applied to the original bytes:
the file is re-encoded piece by piece in its own encoding (its BOM kept), so every byte outside
the fixed spans stays as it was, line endings included. A file whose decoded text does not
encode back to exactly its bytes is never written.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import file_encoding

if TYPE_CHECKING:
    from checkin_lint.document import Message
    from checkin_lint.linter import MessageReport
    from checkin_lint.report import FileReport
    from checkin_lint.report.record import Edit  # a type only: report.record reaches rewrite, which uses fix
    from checkin_lint.rules.loader import RuleSet

_TextEdit = tuple[int, int, str]
"""``(start, end, replacement)`` in message offsets, before mapping onto the file."""

MAX_PASSES = 4
"""Fix, re-lint and fix again up to this many times, so one ``--fix`` leaves nothing for a second."""

# After filler deleted at a sentence start: punctuation and a connecting word that only tied
# the filler to the rest. Stays on the line.
_CONNECTOR = re.compile(r"[ \t]*[,;:\u2013\u2014-]*[ \t]*(?:(?:with|about|on|regarding|re)\b[ \t]*[,;:\u2013\u2014-]?[ \t]*)?", re.I)
# Signs that a deletion left the sentence broken: empty quotes or brackets, doubled or
# stranded punctuation, a connecting word hanging after a comma. A fix that creates one more
# of these than the sentence had is not applied.
_DANGLING = re.compile(
    r"[\"'\u201c\u2018(\[]\s*[\"'\u201d\u2019)\]]|[,;:]\s*[,;:.!?]|\s[,;:.!?]|,\s+(?:with|about|on|regarding|re|to)\b",
    re.I,
)
# What may stand before the first word of a sentence: space, quotes, brackets, bullets.
_LEAD = " \t\r\n\"'([\u201c\u2018*\u2022>-"
_HSPACE = " \t"


class _Unsafe(Exception):
    """A planned deletion would leave the sentence broken: the sentence is left as it is."""


class FixError(InputError):
    """A file cannot be fixed safely (its text does not encode back to its bytes)."""


@dataclass(frozen=True)
class FixResult:
    """The outcome of fixing one file: its new bytes, how many findings went, the new report."""

    raw: bytes
    fixed: int
    report: FileReport

    @property
    def changed(self) -> bool:
        """True when at least one fix was applied."""
        return self.fixed > 0


def plan_fixes(report: MessageReport, ruleset: RuleSet) -> list[Edit]:
    """The safe-fix edits for one message, in offsets of the decoded source file."""
    message = report.message
    text = message.text
    value_present = report.result.has_value
    bounds = [(s, e) for s, e in report.sentences if text[s:e].strip()]
    if not bounds:
        return []
    starts = [s for s, _ in bounds]
    whole: set[int] = set()
    spans: dict[int, list[tuple[int, int]]] = {}
    for finding in report.findings:
        rule = ruleset.get(finding.rule_id) if finding.fixable else None
        fix = rule.fix if rule else None
        if fix is None or not fix.safe or (fix.when == "value-present" and not value_present):
            continue
        i = max(0, bisect.bisect_right(starts, finding.start) - 1)
        if fix.action == "delete-sentence":
            whole.add(i)
        else:
            spans.setdefault(i, []).append((finding.start, finding.end))
    edits: list[_TextEdit] = []
    for i in sorted(whole | set(spans)):
        start, end = bounds[i]
        if i in whole:
            edits.append(_delete_sentence(text, start, end))
            continue
        try:
            edits.extend(_delete_in_sentence(text, start, end, spans[i]))
        except _Unsafe:
            continue  # this sentence keeps its words; the finding stays a suggestion
    return _to_source(message, edits)


def _merge(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge those that overlap or are separated only by spaces."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1]:start].strip(_HSPACE)):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _delete_in_sentence(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> list[_TextEdit]:
    edits: list[_TextEdit] = []
    kept_before = s  # where the text still kept before the current span starts
    prefix_has_words = False
    for a, b in _merge(text, spans):
        prefix_has_words = prefix_has_words or bool(text[kept_before:a].strip(_LEAD))
        if not prefix_has_words:
            b = min(e, b + _CONNECTOR.match(text, b).end() - b)  # type: ignore[union-attr]
            edits.append((a, b, ""))
            following = text[b:b + 1]
            if text[a:a + 1].isupper() and following.islower():
                edits.append((b, b + 1, following.upper()))
        elif text[b:e].lstrip(_HSPACE)[:1] in ("", ".", "!", "?"):
            edits.append((_clause_end(text, s, a), b, ""))  # "Hi Dana, just checking in." -> "Hi Dana."
        elif any(ch.isspace() for ch in text[a:b]):
            # A phrase inside a sentence holds the sentence together ("calling to check in and
            # see ..."): deleting it strands its neighbours. Only a lone word ("just") goes.
            raise _Unsafe
        elif text[a - 1:a] == " ":
            edits.append((a - 1, b, ""))
        elif text[b:b + 1] == " ":
            edits.append((a, b + 1, ""))
        else:
            edits.append((a, b, ""))
        kept_before = b
    remaining = apply_edits(text[s:e], [(a - s, b - s, r) for a, b, r in edits])
    if not any(ch.isalnum() for ch in remaining):
        return [_delete_sentence(text, s, e)]
    if len(_DANGLING.findall(remaining)) > len(_DANGLING.findall(text[s:e])):
        raise _Unsafe
    return edits


def trim_sentence(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]] | None:
    """The edits that delete ``spans`` from the sentence ``text[start:end]`` the way a
    ``delete-match`` fix would (connecting word and spaces included, first word re-capitalised),
    or ``None`` when that would leave the sentence broken. Offsets are offsets of ``text``."""
    try:
        return _delete_in_sentence(text, start, end, spans)
    except _Unsafe:
        return None


def _delete_sentence(text: str, s: int, e: int) -> _TextEdit:
    """Remove a sentence; with its line when it had the line to itself."""
    chunk = text[s:e]
    a = s + len(chunk) - len(chunk.lstrip())
    b = e - (len(chunk) - len(chunk.rstrip()))
    line_start = max(text.rfind("\n", 0, a), text.rfind("\r", 0, a)) + 1
    after = b + len(text[b:]) - len(text[b:].lstrip(_HSPACE))
    at_line_end = after >= len(text) or text[after] in "\r\n"
    if not at_line_end:
        return (a, after, "")  # more text follows on the line: it moves up to where this began
    if text[line_start:a].strip(_HSPACE):
        return (_rstrip_to(text, a), after, "")  # it ends a line after other text: drop it and the space before
    end = _line_break_end(text, after)
    previous_blank = line_start == 0 or not text[_line_start(text, line_start - 1):line_start].strip()
    next_line_end = _line_break_end(text, end + len(text[end:]) - len(text[end:].lstrip(_HSPACE)))
    if previous_blank and end < len(text) and not text[end:next_line_end].strip():
        end = next_line_end  # the sentence sat between blank lines: keep just one blank line
    return (line_start, end, "")


def _clause_end(text: str, s: int, a: int) -> int:
    """Where the kept clause before ``a`` ends: before the spaces and the one comma, colon or
    dash that joined it to the deleted words (not before ``s``, the sentence start)."""
    a = max(s, _rstrip_to(text, a))
    if a > s and text[a - 1] in ",;:\u2013\u2014-":
        a = max(s, _rstrip_to(text, a - 1))
    return a


def _rstrip_to(text: str, a: int) -> int:
    """The offset before the spaces that precede ``a``."""
    while a > 0 and text[a - 1] in _HSPACE:
        a -= 1
    return a


def _line_start(text: str, offset: int) -> int:
    """Start of the line holding ``offset`` (line breaks ``\\r\\n``, ``\\r``, ``\\n``)."""
    while offset > 0 and text[offset - 1] not in "\r\n":
        offset -= 1
    return offset


def _line_break_end(text: str, offset: int) -> int:
    """The offset just past the line break at ``offset`` (``offset`` itself at the end of text)."""
    if text.startswith("\r\n", offset):
        return offset + 2
    if offset < len(text) and text[offset] in "\r\n":
        return offset + 1
    return offset


def _to_source(message: Message, edits: list[_TextEdit]) -> list[Edit]:
    """Map message edits onto the decoded file; none at all if any does not map one-to-one."""
    source = message.source.text
    mapped: list[Edit] = []
    for a, b, replacement in sorted(edits):
        sa, sb = message.source_offset(a), message.source_offset(b)
        if sb - sa != b - a or source[sa:sb] != message.text[a:b]:
            return []
        mapped.append((message.source.file_offset(sa), message.source.file_offset(sb), replacement, source[sa:sb]))
    return mapped


def apply_edits(text: str, edits: Iterable[_TextEdit]) -> str:
    """``text`` with every ``(start, end, replacement)`` edit applied (non-overlapping, any
    order), in one pass."""
    out: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(edits):
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def file_edits(report: FileReport) -> list[Edit]:
    """Every message's fix edits in one sorted list (an edit overlapping an earlier one is dropped)."""
    edits: list[Edit] = []
    for edit in sorted(e for m in report.messages for e in m.fixes):
        if edits and edit[0] < edits[-1][1]:
            continue
        edits.append(edit)
    return edits


def apply_to_bytes(path: str, raw: bytes, text: str, edits: Iterable[Edit], *, encoding: str | None = None) -> bytes:
    """Apply ``edits`` (offsets into ``text``, the decoded ``raw``) to the bytes themselves.

    ``encoding`` is the file's encoding when the reader knows it (otherwise it is taken from
    the BOM, or UTF-8). Bytes outside the edited spans are copied unchanged. Raises
    :class:`FixError` when ``text`` does not encode back to exactly ``raw``, or an edit does
    not find the text it expects.
    """
    bom, codec = file_encoding(raw)
    if encoding:
        codec = encoding
    if not raw.startswith(bom) or text.encode(codec, errors="strict") != raw[len(bom):]:
        raise FixError([Problem(path, f"cannot fix: the text does not encode back to the same bytes in {codec}; left unchanged")])
    out = [bom]
    char_at, byte_at = 0, len(bom)
    for start, end, replacement, original in sorted(edits):
        if text[start:end] != original:
            raise FixError([Problem(path, "cannot fix: the file does not hold the text that was linted; left unchanged")])
        byte_start = byte_at + len(text[char_at:start].encode(codec))
        byte_end = byte_start + len(text[start:end].encode(codec))
        out.append(raw[byte_at:byte_start])
        out.append(replacement.encode(codec))
        char_at, byte_at = end, byte_end
    out.append(raw[byte_at:])
    return b"".join(out)


def fix_bytes(
    path: str,
    raw: bytes,
    lint: Callable[[bytes], FileReport],
    decode: Callable[[str, bytes], str],
    *,
    max_passes: int = MAX_PASSES,
) -> FixResult:
    """Fix ``raw`` (the bytes of ``path``) until no safe fix is left or ``max_passes`` is reached.

    ``lint`` turns bytes into a file report whose messages carry their planned fixes;
    ``decode`` is the input decoder the readers use, so offsets agree.
    """
    report = lint(raw)
    before = _anti_patterns(report)
    changed = False
    for _ in range(max_passes):
        edits = file_edits(report)
        if not edits:
            break
        try:
            text = decode(path, raw)
        except InputError as exc:  # read by a reader with its own decoding (e-mail): not ours to rewrite
            raise FixError([Problem(path, f"cannot fix: {p.message}", p.line, p.column) for p in exc.problems]) from None
        raw = apply_to_bytes(path, raw, text, edits)
        changed = True
        report = lint(raw)
    fixed = max(1, before - _anti_patterns(report)) if changed else 0
    return FixResult(raw, fixed, report)


def _anti_patterns(report: FileReport) -> int:
    return sum(1 for m in report.messages for f in m.findings if f.kind == "anti-pattern")


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of one file's fix; a relative path gets ``a/`` and ``b/`` prefixes like
    ``git diff``, so the diff applies with ``git apply`` or ``patch -p1``. Lines are split at
    line feeds only, as those tools split them: a carriage return, form feed or Unicode line
    separator stays inside its line."""
    old, new = (path, path) if os.path.isabs(path) else (f"a/{path}", f"b/{path}")
    lines = difflib.unified_diff(_lines(before), _lines(after), old, new)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _lines(text: str) -> list[str]:
    """``text`` split after each line feed, keeping it (``str.splitlines`` also splits at
    ``\\r``, ``\\f``, U+2028 and more, which ``patch`` does not)."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])
