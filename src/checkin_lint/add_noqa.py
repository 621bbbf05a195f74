"""``--add-noqa``: write a suppression directive for every current finding, so a team can
adopt checkin-lint on an existing template library and fail only on new findings.

Each line holding anti-pattern or playbook findings gets one ``disable-next-line`` directive
naming their rule ids (sorted), with a reason after ``--``, in the comment syntax its reader
understands (:mod:`checkin_lint.directives`):

* plain text and ``.call.txt``/``.script.txt`` call scripts, YAML playbooks: a ``#`` comment
  line above the line, indented like it. Never inside a YAML block scalar (``body: |``): a
  ``#`` line there is part of the string every other YAML reader, a sending tool included,
  takes as the message. Findings in a block are covered by one directive above its key,
  which covers the whole block and names the rules of all its lines;
* Markdown, HTML and Markdown call scripts: ``<!-- -->`` on a line of its own above the line
  when that line starts a block (or the file), otherwise appended to the end of the line
  above, so a paragraph is not split; a finding inside a fenced template is covered by a
  ``disable`` comment above the fence and an ``enable`` comment below it (the fence's text is
  the template and takes no comment).

JSON playbooks, CSV files and e-mails (``.eml``, ``.mbox``) take no directive written here
(:data:`NO_DIRECTIVES` says why); they are skipped with a notice. Findings of
``suppression/*`` (directives that do nothing) are never suppressed: fix the directive.

The new file is checked before it is written: read again, its messages must hold exactly
the text they held before (directives are never linted) and linted again, no finding may be
left; otherwise the file is left unchanged with a notice. Only characters are inserted (every
byte of the file is kept, in its encoding, BOM and line endings; see
:func:`checkin_lint.fix.apply_to_bytes`), and the write goes through
:func:`checkin_lint.atomic.write_user_file`. A finding already suppressed is not reported,
so a second run adds nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from checkin_lint.document import Source
    from checkin_lint.inputs import Document
    from checkin_lint.linter import MessageReport
    from checkin_lint.report.record import Edit

DEFAULT_REASON = "added by --add-noqa on {date}"
"""The reason written when ``--add-noqa`` is given none; ``{date}`` is today's date (UTC,
ISO 8601), so a team can find (``git grep 'added by --add-noqa'``) and burn down what it
suppressed when it adopted."""

NO_DIRECTIVES = {
    "csv": "CSV has no comments",
    "eml": "an e-mail's body is MIME-encoded",
    "mbox": "an e-mail's body is MIME-encoded",
    "json": "JSON has no comments",
}
"""Formats ``--add-noqa`` skips, and why (use ``per-file-ignores`` or ``--baseline`` for them)."""

_HTML_FORMATS = ("markdown", "html")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_BLOCK_KEY = re.compile(r":[ \t]*[|>][+-]?\d*[+-]?[ \t]*(?:#.*)?$")
"""The end of a YAML line that opens a block scalar (``body: |``, ``script: >-``)."""

Lint = Callable[[bytes], "tuple[Document, list[MessageReport]]"]
"""Reads and lints the bytes of one file: its document and its finished message reports."""


class NotSuppressible(Exception):
    """A file that cannot take the directives; the message says why, in one line."""


def default_reason(today: datetime.date | None = None) -> str:
    """:data:`DEFAULT_REASON` with ``today``'s date (default: today in UTC)."""
    day = today or datetime.datetime.now(datetime.timezone.utc).date()
    return DEFAULT_REASON.format(date=day.isoformat())


def check_reason(reason: str) -> str | None:
    """What is wrong with ``reason`` as the text of a directive comment, or ``None``."""
    if any(c in reason for c in "\r\n"):
        return "the reason must stay on one line"
    if "-->" in reason or "<!--" in reason:
        return "the reason may not hold '<!--' or '-->' (it would end the comment)"
    return None


def targets(reports: list[MessageReport]) -> dict[int, list[str]]:
    """Line (1-based, in the file) -> the sorted rule and check ids to suppress there: every
    anti-pattern or playbook finding; ``suppression/*`` findings are left to be fixed."""
    lines: dict[int, set[str]] = {}
    for report in reports:
        for finding in report.findings:
            if finding.kind == "anti-pattern" and not finding.rule_id.startswith("suppression/"):
                lines.setdefault(finding.line, set()).add(finding.rule_id)
    return {line: sorted(ids) for line, ids in sorted(lines.items())}


def syntax_of(document: Document) -> str:
    """``"hash"`` (``#`` lines) or ``"html"`` (``<!-- -->``): how directives are written in
    ``document``. Raises :class:`NotSuppressible` for a format that takes none."""
    kind = document.kind
    path = document.source.path.lower()
    if kind == "playbook" and (path.endswith(".json") or document.source.text.lstrip()[:1] in ("{", "[")):
        kind = "json"
    if kind in NO_DIRECTIVES:
        raise NotSuppressible(f"{NO_DIRECTIVES[kind]}; use per-file-ignores or --baseline for it")
    if kind in _HTML_FORMATS or (kind == "script" and path.endswith(".md")):
        return "html"
    return "hash"


def comment(syntax: str, action: str, rules: list[str], reason: str = "") -> str:
    """The text of one directive comment (no line break)."""
    body = f"checkin-lint: {action}={','.join(rules)}" + (f" -- {reason}" if reason else "")
    return f"<!-- {body} -->" if syntax == "html" else f"# {body}"


@dataclass(frozen=True)
class _Lines:
    """The lines of a source: where each starts, where its content ends, its line break."""

    source: Source

    def count(self) -> int:
        return self.source.line_col(len(self.source.text))[0]

    def start(self, line: int) -> int:
        return self.source.line_start(line)

    def text(self, line: int) -> str:
        start = self.start(line)
        end = self.start(line + 1) if line < self.count() else len(self.source.text)
        return self.source.text[start:end].rstrip("\r\n")

    def content_end(self, line: int) -> int:
        """Offset after the line's last character that is not a space (its start if blank)."""
        text = self.text(line)
        return self.start(line) + len(text.rstrip())

    def newline(self) -> str:
        m = re.search(r"\r\n|\r|\n", self.source.text)
        return m.group(0) if m else "\n"


def plan(document: Document, reports: list[MessageReport], reason: str) -> tuple[list[Edit], int]:
    """The insertions (``(start, end, text, original)`` edits with ``start == end``, offsets of
    the decoded file) that suppress every finding of ``reports``, and how many directives
    they write. Raises :class:`NotSuppressible`."""
    syntax = syntax_of(document)
    wanted = targets(reports)
    if not wanted:
        return [], 0
    lines = _Lines(document.source)
    newline = lines.newline()
    inserts: list[tuple[int, str]] = []
    count = 0
    fences = _fences(lines) if document.kind in ("markdown", "script") and syntax == "html" else []
    fenced: dict[tuple[int, int], set[str]] = {}
    if syntax == "hash" and document.kind == "playbook":
        wanted = _to_block_keys(lines, wanted)
    for line, rules in wanted.items():
        fence = next((f for f in fences if f[0] < line < f[1]), None)
        if fence is not None:
            fenced.setdefault(fence, set()).update(rules)
            continue
        text = lines.text(line)
        indent = text[:len(text) - len(text.lstrip(" \t"))]
        directive = comment(syntax, "disable-next-line", rules, reason)
        count += 1
        if syntax == "html" and line > 1 and lines.text(line - 1).strip() and not _starts_block(lines, line):
            inserts.append((lines.content_end(line - 1), directive))  # inside a paragraph: keep it whole
        else:
            inserts.append((lines.start(line), indent + directive + newline))
    for (opening, closing), rules in fenced.items():
        ordered = sorted(rules)
        count += 1
        inserts.append((lines.start(opening), comment(syntax, "disable", ordered, reason) + newline))
        after = lines.start(closing + 1) if closing < lines.count() else len(document.source.text)
        if closing >= lines.count():  # the file ends on the fence's last line, with no line break
            inserts.append((after, newline + comment(syntax, "enable", ordered)))
        else:
            inserts.append((after, comment(syntax, "enable", ordered) + newline))
    inserts.sort(key=lambda item: item[0])
    return [(at, at, text, "") for at, text in inserts], count


def _to_block_keys(lines: _Lines, wanted: dict[int, list[str]]) -> dict[int, list[str]]:
    """``wanted`` with every line inside a YAML block scalar moved to the line of its key
    (``body: |``), the rules of a block's lines merged."""
    key_of: dict[int, int] = {}
    total = lines.count()
    n = 1
    while n <= total:
        text = lines.text(n)
        if _BLOCK_KEY.search(text) and not text.lstrip().startswith("#"):
            indent = len(text) - len(text.lstrip(" "))
            m = n + 1
            while m <= total and (not lines.text(m).strip() or len(lines.text(m)) - len(lines.text(m).lstrip(" ")) > indent):
                key_of[m] = n
                m += 1
            n = m
        else:
            n += 1
    merged: dict[int, set[str]] = {}
    for line, rules in wanted.items():
        merged.setdefault(key_of.get(line, line), set()).update(rules)
    return {line: sorted(rules) for line, rules in sorted(merged.items())}


def _fences(lines: _Lines) -> list[tuple[int, int]]:
    """``(opening, closing)`` 1-based lines of each fenced code block (closing: its last line)."""
    found: list[tuple[int, int]] = []
    opening: tuple[int, str] | None = None
    total = lines.count()
    for n in range(1, total + 1):
        m = _FENCE.match(lines.text(n))
        if opening is None:
            if m:
                opening = (n, m.group(1))
        elif m and m.group(1)[0] == opening[1][0] and len(m.group(1)) >= len(opening[1]) \
                and not lines.text(n)[m.end():].strip():
            found.append((opening[0], n))
            opening = None
    if opening is not None:
        found.append((opening[0], total))
    return found


def _starts_block(lines: _Lines, line: int) -> bool:
    """True when ``line`` cannot continue the block of the line above it: it follows a
    heading, a fence or an HTML comment line, or is a list item or a heading itself."""
    above = lines.text(line - 1)
    here = lines.text(line).lstrip(" \t")
    return bool(_HEADING.match(above) or _FENCE.match(above) or above.rstrip().endswith("-->")
                or _HEADING.match(here) or re.match(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", here))


@dataclass(frozen=True)
class Outcome:
    """What ``--add-noqa`` did to one file: its new bytes and how many directives it added."""

    raw: bytes
    added: int


def add_directives(path: str, raw: bytes, lint: Lint, reason: str) -> Outcome:
    """The bytes of ``path`` (``raw``) with a directive for each of its findings (see the
    module). Raises :class:`NotSuppressible` when the file takes no directive or the new
    file would not lint as intended (nothing is written then)."""
    from checkin_lint.errors import InputError
    from checkin_lint.fix import apply_to_bytes

    document, reports = lint(raw)
    edits, added = plan(document, reports, reason)
    if not edits:
        return Outcome(raw, 0)
    try:
        new = apply_to_bytes(path, raw, document.source.text, edits)
    except InputError as exc:
        raise NotSuppressible("; ".join(p.message.replace("cannot fix: ", "") for p in exc.problems)) from None
    after, new_reports = lint(new)
    if [m.text for m in after.messages] != [m.text for m in document.messages]:
        raise NotSuppressible("a directive here would change the text that is linted; suppress by hand")
    def checks(found: list[MessageReport]) -> list[tuple[str, str]]:
        return sorted((f.rule_id, f.message) for r in found for f in r.findings if f.rule_id.startswith("suppression/"))

    left = [f for r in new_reports for f in r.findings if f.kind == "anti-pattern" and not f.rule_id.startswith("suppression/")]
    if not left and len(checks(new_reports)) > len(checks(reports)):
        raise NotSuppressible("a directive written here would suppress nothing; suppress by hand")
    if left:
        first = left[0]
        raise NotSuppressible(f"the directives would not suppress {first.rule_id} at line {first.line}; suppress by hand")
    return Outcome(new, added)
