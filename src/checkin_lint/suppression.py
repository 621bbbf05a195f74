"""Finishing a file's reports: apply its suppression directives (and the configuration's
per-file ignores), add a playbook's cross-step findings, and report directives that did nothing.

The directives themselves are read by :mod:`checkin_lint.directives`. A directive that
suppresses nothing is reported as ``suppression/unused``; one that cannot be understood
(unknown action, no rules, unknown rule) as ``suppression/invalid``. Both are warnings: they
raise the verdict of the message they sit in to at least ``warn``, so ``--fail-on warn``
fails on them, and neither changes a score.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from checkin_lint.checks import INVALID, PLAYBOOK_IDS, SUPPRESSION_IDS, UNUSED, add_check_findings, check_finding
from checkin_lint.directives import DIRECTIVE_MARK, Directive, file_ignores
from checkin_lint.rules.loader import selector_problem
from checkin_lint.rules.ruleset import RuleSet, matches_selector
from checkin_lint.scoring import score_findings

if TYPE_CHECKING:  # the linter imports spaCy; readers import this module and must not
    from checkin_lint.config import Config
    from checkin_lint.inputs import Document
    from checkin_lint.linter import MessageReport

CHECK_IDS = SUPPRESSION_IDS
"""Check ids reported by this module (described in :mod:`checkin_lint.checks`)."""


def _directive_lines(directives: list[Directive], lines: Sequence[str]) -> set[int]:
    """The lines that hold nothing but directive comments. A line with text besides a
    directive (a Markdown paragraph line ending in ``<!-- ... -->``) is still a line a
    ``disable-next-line`` above it can target."""
    residue: dict[int, str] = {}
    for d in directives:
        if d.from_config or not 0 < d.line <= len(lines):
            continue
        text = residue.get(d.line, lines[d.line - 1])
        start = d.column - 1
        end = min(len(text), start + d.end - d.start)
        residue[d.line] = text[:start] + " " * max(0, end - start) + text[end:]
    return {line for line, text in residue.items() if not text.strip()}


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
        directive_lines = _directive_lines(directives, lines)
        total = max(len(lines), 1)
        spans: list[_Span] = []
        open_blocks: list[Directive] = []
        for d in sorted(directives, key=lambda d: (d.line, d.column)):
            if d.problem:
                continue
            if d.action == "disable-file":
                spans.append(_Span(d, 0, sys.maxsize))  # every line, however long the file
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
    suppressor = Suppressor([file_ignores(ignored)], [r.id for r in ruleset.rules] + checks, ())  # needs no lines
    for report in reports:
        yield filter_report(report, suppressor, ruleset, min_score)


def _nearest(reports: list[MessageReport], offset: int) -> int:
    """The message that holds ``offset`` or comes right after it (else the last one)."""
    for i, report in enumerate(reports):
        message = report.message
        if offset <= message.source_offset(len(message.text)):
            return i
    return len(reports) - 1
