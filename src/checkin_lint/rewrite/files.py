"""Rewrites against files: unified diffs of a message and its rewrite, and writing rewrites
back into the file (``checkin-lint rewrite --diff`` / ``--write``).

A rewrite is written back only where a message is one contiguous span of its file, so the
rewrite can replace that span and nothing else: plain text and Markdown whose message text
is the file's own text (no markup inside it), and a playbook step whose body is a YAML block
(``|``, each line indented alike) or a JSON string. Every other message (HTML, e-mail,
CSV, call scripts, Markdown with inline markup, a folded or quoted YAML string) is refused
with a one-line reason, and so is a rewrite that would lose a merge field. The subject and
the signature are never part of the span. Writes go through
:func:`checkin_lint.fix.apply_to_bytes` (bytes outside the span unchanged, the file's
encoding and BOM kept) and :func:`checkin_lint.atomic.write_user_file`.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from typing import TYPE_CHECKING

from checkin_lint.report.record import Edit
from checkin_lint.templates import field_spans, template_of

if TYPE_CHECKING:
    from checkin_lint.inputs import Document
    from checkin_lint.linter import MessageReport

_BLOCK = re.compile(r":\s*\|[+-]?\d*[+-]?\s*(?:#.*)?$")
"""The end of the line that opens a YAML literal block (``body: |``, ``script: |-``)."""
WRITABLE_FORMATS = ("text", "markdown", "playbook")
"""Input formats whose messages can be contiguous spans of the file (see the module docstring)."""


class NotWritable(Exception):
    """A rewrite that cannot be written into its file; the message says why, in one line."""


def missing_fields(original: str, rewrite: str) -> Counter[str]:
    """The merge fields of ``original``, exactly as written and counted with repeats, that
    ``rewrite`` does not hold (an empty counter when every field survived)."""
    wanted = Counter(original[a:b] for a, b in field_spans(original))
    held = Counter(rewrite[a:b] for a, b in field_spans(rewrite))
    return wanted - held


def message_diff(path: str, label: str, report: MessageReport) -> str:
    """A unified diff from the message as written to its rewrite (``""`` when they are equal).
    The headers name the file and the message: ``a/PATH (step 2)``."""
    rewrite = report.rewrite
    if rewrite.text == rewrite.original:
        return ""
    name = f"{path} ({label})" if label else path
    lines = difflib.unified_diff((rewrite.original + "\n").splitlines(keepends=True),
                                 (rewrite.text + "\n").splitlines(keepends=True), f"a/{name}", f"b/{name}")
    return "".join(lines)


def file_diff(path: str, document: Document, reports: list[MessageReport]) -> str:
    """A unified diff of the whole file, from the file as written to the file with every
    message's rewrite in place (what ``--write`` would write), as ``lint --diff`` prints a fix
    (:func:`checkin_lint.fix.unified_diff`: file line numbers, ``a/PATH`` / ``b/PATH`` headers
    for a relative path), so ``git apply`` and ``patch -p1`` take it. ``""`` when nothing
    would change. Raises :class:`NotWritable` when a message cannot be written in place (its
    rewrite is then only shown per message, :func:`message_diff`)."""
    from checkin_lint.fix import apply_edits, unified_diff

    edits = [(start, end, replacement) for start, end, replacement, _ in
             (e for e in (write_edit(r, document.kind) for r in reports) if e is not None)]
    if not edits:
        return ""
    before = document.source.text
    return unified_diff(path, before, apply_edits(before, edits))


def write_edit(report: MessageReport, input_format: str) -> Edit | None:
    """The edit that writes the message's rewrite into its file (offsets of the decoded
    file), ``None`` when the rewrite changes nothing. Raises :class:`NotWritable`."""
    rewrite = report.rewrite
    if rewrite.text == rewrite.original:
        return None
    if input_format not in WRITABLE_FORMATS:
        raise NotWritable(f"{input_format} files cannot be rewritten in place (a message is not one span of the "
                          f"file); use --diff or copy the printed rewrite")
    lost = missing_fields(rewrite.original, rewrite.text)
    if lost:
        raise NotWritable(f"the rewrite would lose the merge field {sorted(lost)[0]!r}; left unchanged")
    template = template_of(report.message)
    a, b = rewrite.span
    source = template.source.text
    start, end = template.source_offset(a), template.source_offset(b)
    written, replacement = source[start:end], rewrite.replacement
    wanted = template.text[a:b]
    if input_format == "playbook":
        return (start, end, _playbook_value(source, start, written, wanted, replacement, report.message.label), written)
    if written == wanted:
        return (start, end, _newlines(replacement, written), written)
    raise NotWritable(f"{report.message.label or 'the message'} has markup inside it, so it is not one span of the file; "
                      f"use --diff or copy the printed rewrite")


def _playbook_value(source: str, start: int, written: str, wanted: str, replacement: str, label: str) -> str:
    """``replacement`` written the way the step's value is written: a JSON string, a YAML
    block, or a YAML quoted string when it stays on one line. Raises :class:`NotWritable`."""
    before = source[start - 1:start]
    if source.lstrip()[:1] in ("{", "["):
        if before == '"' and _json_string(written) == wanted:
            return json.dumps(replacement, ensure_ascii=False)[1:-1]
    else:
        line_start = source.rfind("\n", 0, start) + 1
        indent = source[line_start:start]
        previous = source[source.rfind("\n", 0, max(line_start - 1, 0)) + 1:line_start].rstrip()
        if not indent.strip() and _BLOCK.search(previous) and _lines(_indented(wanted, indent)) == _lines(written):
            return _newlines(_indented(replacement, indent), written)
        if written == wanted and "\n" not in replacement and before in ('"', "'") and before not in replacement \
                and "\\" not in replacement:
            return replacement
    raise NotWritable(f"{label or 'a step'} is not a YAML block (|) or a JSON string, and the rewrite does not fit "
                      f"where it is; use --diff or copy the printed rewrite")


def _indented(text: str, indent: str) -> str:
    """``text`` as the lines of a YAML block whose first line is already indented."""
    lines = text.split("\n")
    return "\n".join([lines[0]] + [indent + line if line.strip() else "" for line in lines[1:]])


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]


def _newlines(text: str, like: str) -> str:
    """``text`` with the line breaks of ``like`` (``\\r\\n`` when it has them)."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n") if "\r\n" in like else text


def _json_string(raw: str) -> str | None:
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def write_rewrites(path: str, raw: bytes, document: Document, reports: list[MessageReport]) -> int:
    """Write every message's rewrite into ``path`` (whose bytes are ``raw``), atomically, and
    return how many messages changed. Nothing is written when one of them cannot be: raises
    :class:`NotWritable` naming that message."""
    from checkin_lint.atomic import write_user_file
    from checkin_lint.errors import InputError
    from checkin_lint.fix import apply_to_bytes

    edits = []
    for report in reports:
        edit = write_edit(report, document.kind)
        if edit is not None:
            edits.append(edit)
    if not edits:
        return 0
    try:
        data = apply_to_bytes(path, raw, document.source.text, edits)
    except InputError as exc:
        raise NotWritable("; ".join(p.message.replace("cannot fix: ", "") for p in exc.problems)) from None
    write_user_file(path, data)  # links, modes and read-only files as for --fix
    return len(edits)
