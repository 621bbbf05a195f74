"""Inline suppression directives: turn rules off for a line, a block or a whole file.

A directive sits in the comment syntax of its format::

    <!-- checkin-lint: disable-next-line=checkin/checking-in -- quoting the customer -->   Markdown, HTML
    # checkin-lint: disable=nudge -- the break-up step is deliberate                       YAML playbooks
    # checkin-lint: disable-file=tone                                                      text, call scripts
    // checkin-lint: enable=nudge                                                          text, call scripts

Actions: ``disable-next-line`` (the next line that is not blank and not a directive),
``disable`` ... ``enable`` (a block; without ``enable`` it runs to the end of the file),
``disable-file`` (the whole file). Rules are ids or prefixes, comma-separated, or ``all``;
anything after `` -- `` is the reason. Directive text is never linted. JSON and CSV have no
comments, so no directives; use ``per-file-ignores`` in the configuration instead.

A directive that suppresses nothing is reported as ``suppression/unused``; one that cannot be
understood (unknown action, no rules, unknown rule) as ``suppression/invalid``. Both are
warnings: they raise the verdict of the message they sit in to at least ``warn``, so
``--fail-on warn`` fails on them, and neither changes a score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from checkin_lint.checks import INVALID, PLAYBOOK_IDS, SUPPRESSION_IDS, UNUSED, add_check_findings, check_finding
from checkin_lint.document import Message
from checkin_lint.rules.loader import RuleSet, matches_selector, selector_problem
from checkin_lint.scoring import score_findings

if TYPE_CHECKING:  # the linter imports spaCy; readers import this module and must not
    from checkin_lint.config import Config
    from checkin_lint.inputs import Document
    from checkin_lint.linter import MessageReport

CHECK_IDS = SUPPRESSION_IDS
"""Check ids reported by this module (described in :mod:`checkin_lint.checks`)."""

ACTIONS = ("disable", "enable", "disable-next-line", "disable-file")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Each pattern is linear: the body is taken greedily (and stripped afterwards), and an HTML
# comment body stops at the next "<!--", so no run of spaces or unclosed comment is rescanned.
DIRECTIVE_MARK = "checkin-lint:"
"""What every directive comment holds, whatever its syntax: a file without it has none."""
_BODY = re.escape(DIRECTIVE_MARK) + r"(?P<body>[^\n]*)"
SYNTAXES: dict[str, re.Pattern[str]] = {
    "html": re.compile(r"<!--[ \t]*" + re.escape(DIRECTIVE_MARK) + r"(?P<body>(?:[^<-]|-(?!->)|<(?!!--))*)-->"),
    "hash": re.compile(r"^[ \t]*#[ \t]*" + _BODY + r"\n?", re.M),
    "line": re.compile(r"^[ \t]*(?:#|//)[ \t]*" + _BODY + r"\n?", re.M),
}
"""Comment syntax name -> pattern of a directive comment (its ``body`` group, stripped, is the directive)."""

_DIRECTIVE = re.compile(r"^(?P<action>[\w-]+)(?:[ \t]*=[ \t]*(?P<rules>[^\s]+(?:[ \t]*,[ \t]*[^\s,]+)*))?[ \t]*(?:--[ \t]*(?P<reason>.*))?$")


@dataclass
class Directive:
    """One parsed directive. ``start``/``end`` are offsets of the whole comment in the source."""

    action: str
    rules: tuple[str, ...]
    reason: str
    line: int
    column: int
    start: int
    end: int
    problem: str = ""
    from_config: bool = False
    used: set[str] = field(default_factory=set)
    target: tuple[int, int] | None = None
    """Lines (first, last) a ``disable-next-line`` covers when its next line is more than one
    line (a YAML block scalar); ``None``: just the next line."""

    def covers(self, rule_id: str) -> str | None:
        """The selector of this directive that names ``rule_id``, or ``None``."""
        return next((s for s in self.rules if s == "all" or matches_selector(rule_id, s)), None)


def find_directives(message: Message, syntax: str) -> list[Directive]:
    """Every directive comment of ``syntax`` in the message text, located in the source."""
    found = []
    for m in SYNTAXES[syntax].finditer(message.text):
        start = message.source_offset(m.start())
        line, column = message.source.line_col(start)
        found.append(parse(m.group("body").strip(), line, column, start, message.source_offset(m.end())))
    return found


def parse(body: str, line: int, column: int, start: int = 0, end: int = 0) -> Directive:
    """Parse the text after ``checkin-lint:``."""
    m = _DIRECTIVE.match(body)
    if not m:
        return Directive("", (), "", line, column, start, end, problem=f"cannot read directive {body!r}; write e.g. 'disable=checkin -- reason'")
    action = m.group("action")
    rules = tuple(r.strip() for r in (m.group("rules") or "").split(",") if r.strip())
    directive = Directive(action, rules, (m.group("reason") or "").strip(), line, column, start, end)
    if action not in ACTIONS:
        directive.problem = f"unknown directive {action!r} (use {', '.join(ACTIONS)})"
    elif not rules:
        directive.problem = f"'{action}' needs the rules it applies to, e.g. '{action}=checkin/checking-in' (or '{action}=all')"
    return directive


def file_ignores(rules: Iterable[str]) -> Directive:
    """A ``disable-file`` directive that comes from the configuration (``per-file-ignores``)."""
    return Directive("disable-file", tuple(rules), "per-file-ignores", 0, 0, 0, 0, from_config=True)


@dataclass(frozen=True)
class _Span:
    directive: Directive
    first: int
    last: int  # inclusive line range


class Suppressor:
    """Decides which findings the directives of one file suppress, and remembers which
    directives did something."""

    def __init__(self, directives: list[Directive], known: Iterable[str], lines: Sequence[str]) -> None:
        """``known`` are the rule and check ids this run reports; ``lines`` the file's lines."""
        self.directives = directives
        self.known = set(known)
        self._spans = self._build(directives, lines)

    @staticmethod
    def _build(directives: list[Directive], lines: Sequence[str]) -> list[_Span]:
        directive_lines = {d.line for d in directives}
        total = max(len(lines), 1)
        spans: list[_Span] = []
        open_blocks: list[Directive] = []
        for d in sorted(directives, key=lambda d: (d.line, d.column)):
            if d.problem:
                continue
            if d.action == "disable-file":
                spans.append(_Span(d, 0, total + 1))
            elif d.action == "disable-next-line" and d.target:
                spans.append(_Span(d, *d.target))
            elif d.action == "disable-next-line":
                target = d.line + 1
                while target <= total and (target in directive_lines or not lines[target - 1].strip()):
                    target += 1
                spans.append(_Span(d, target, target))
            elif d.action == "disable":
                open_blocks.append(d)
            elif d.action == "enable":
                closed = False
                for block in list(open_blocks):
                    shared = [r for r in d.rules if r == "all" or r in block.rules or "all" in block.rules]
                    if shared:
                        spans.append(_Span(block, block.line, d.line))
                        open_blocks.remove(block)
                        closed = True
                if closed:
                    d.used.update(d.rules)
        spans.extend(_Span(block, block.line, total + 1) for block in open_blocks)
        return spans

    def suppressed(self, rule_id: str, line: int) -> bool:
        """True when a directive turns ``rule_id`` off at ``line`` (and marks it used)."""
        hit = False
        for span in self._spans:
            if span.first <= line <= span.last:
                selector = span.directive.covers(rule_id)
                if selector is not None:
                    span.directive.used.add(selector)
                    hit = True
        return hit

    def problems(self, enabled: Callable[[str], bool]) -> list[tuple[Directive, str, str]]:
        """``(directive, check id, message)`` for every directive that is invalid or did nothing.

        A selector is unknown when it names no loaded rule or check and is not switched off
        by the configuration (``enabled`` is false for ignored or unselected ids); a directive
        about rules that are switched off did nothing for a reason and is not reported.
        """
        out: list[tuple[Directive, str, str]] = []
        for d in self.directives:
            if d.from_config:
                continue
            if d.problem:
                out.append((d, INVALID, d.problem))
                continue
            unknown = [s for s in d.rules if s != "all" and not self._names_known(s) and enabled(s)]
            if unknown:
                out.append((d, INVALID, "; ".join(selector_problem(s, self.known) or s for s in unknown)))
                continue
            if d.action == "enable":
                if not d.used:
                    out.append((d, UNUSED, f"'enable={','.join(d.rules)}' closes no 'disable' block"))
                continue
            idle = [s for s in d.rules if s not in d.used and (s == "all" or self._names_known(s))]
            if idle:
                out.append((d, UNUSED, f"'{d.action}={','.join(idle)}' suppresses nothing; remove it"))
        return out

    def _names_known(self, selector: str) -> bool:
        return any(matches_selector(k, selector) for k in self.known)


def filter_report(report: MessageReport, suppressor: Suppressor, ruleset: RuleSet, min_score: int | None) -> MessageReport:
    """The report without the findings the directives suppress, scored again without them."""
    kept = [f for f in report.findings if not suppressor.suppressed(f.rule_id, f.line)]
    if len(kept) == len(report.findings):
        return report
    result = score_findings(report.message, kept, ruleset, min_score=min_score)
    return type(report)(report.message, kept, result, report.sentences, report.families)


def finish(document: Document, reports: list[MessageReport], *, ruleset: RuleSet, config: Config, min_score: int | None) -> list[MessageReport]:
    """Apply a file's directives (and the configuration's per-file ignores) to its linted
    messages, add the playbook's cross-step findings, and report directives that did nothing."""
    from checkin_lint.playbook import CHECK_IDS as PLAYBOOK_IDS, check

    source = document.source
    directives = list(document.directives)
    ignored = config.file_ignores(source.path)
    if ignored:
        directives.append(file_ignores(ignored))
    checks = [c for c in PLAYBOOK_IDS + CHECK_IDS if config.enabled(c)]
    suppressor = Suppressor(directives, [r.id for r in ruleset.rules] + checks, source.lines)
    reports = [filter_report(r, suppressor, ruleset, min_score) for r in reports]
    if document.kind == "playbook":
        reports = check(reports, config.cadence, enabled=config.enabled, suppressed=suppressor.suppressed)
    for directive, check_id, text in suppressor.problems(config.enabled):
        if not reports or not config.enabled(check_id) or suppressor.suppressed(check_id, directive.line):
            continue
        finding = check_finding(check_id, source, directive.start, text,
                                "Remove the directive, or name the rule it should silence.")
        i = _nearest(reports, directive.start)
        reports[i] = add_check_findings(reports[i], [finding], "warn", "suppression directive that does nothing")
    return reports


def can_stream(document: Document) -> bool:
    """True when :func:`finish_stream` gives the same reports as :func:`finish`: the file is
    not a playbook (cross-step checks need every step) and holds no directive comment (whose
    scope, and whether it did anything, is known only at the end of the file)."""
    return document.kind != "playbook" and DIRECTIVE_MARK not in document.source.text


def finish_stream(document: Document, reports: Iterable[MessageReport], *, ruleset: RuleSet, config: Config,
                  min_score: int | None) -> Iterator[MessageReport]:
    """:func:`finish` one report at a time, for a document :func:`can_stream` accepts: only
    the configuration's per-file ignores apply."""
    ignored = config.file_ignores(document.source.path)
    if not ignored:
        yield from reports
        return
    checks = [c for c in PLAYBOOK_IDS + CHECK_IDS if config.enabled(c)]
    suppressor = Suppressor([file_ignores(ignored)], [r.id for r in ruleset.rules] + checks, document.source.lines)
    for report in reports:
        yield filter_report(report, suppressor, ruleset, min_score)


def _nearest(reports: list[MessageReport], offset: int) -> int:
    """The message that holds ``offset`` or comes right after it (else the last one)."""
    for i, report in enumerate(reports):
        message = report.message
        if offset <= message.source_offset(len(message.text)):
            return i
    return len(reports) - 1
