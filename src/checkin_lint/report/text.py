"""Text output for people: ``path:line:col: rule message`` per finding, the suggestion
under it, then each message's score (with a small bar) and verdict, every contribution to
the score of a rejected or warned message, and a final summary line. ``quiet`` keeps only
the findings and verdicts of rejected and warned messages; ``statistics`` replaces the
findings with a count per rule. Colour only when asked (a terminal without ``NO_COLOR``).
Input errors are not part of this output: the CLI writes them to standard error."""

from __future__ import annotations

from typing import TextIO

import click

from checkin_lint.escape import escape_path, escape_text
from checkin_lint.report import RunReport
from checkin_lint.report.record import MessageRecord

VERDICT_COLOR = {"reject": "red", "warn": "yellow", "pass": "green"}
BAR_WIDTH = 10


def score_bar(score: int) -> str:
    """A ten-cell bar for a 0-100 score, e.g. ``[###-------]``."""
    filled = round(score / 100 * BAR_WIDTH)
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]"


def _style(text: str, color: bool, **kwargs: object) -> str:
    return click.style(text, **kwargs) if color else text  # type: ignore[arg-type]


def render_message(path: str, index: int, report: MessageRecord, out: TextIO, *, color: bool, breakdown: bool = True,
                   show_dropped: bool = False) -> None:
    """Write one message: its findings, then its score and verdict, with ``breakdown`` every
    contribution to the score, and with ``show_dropped`` what was left out of it as not the
    sender's words.

    An empty ``path`` (grouped output, under a heading naming the file) indents the locations.
    """
    at = f"{escape_path(path)}:" if path else "  "
    for f in report.findings:
        if f.kind != "anti-pattern":
            continue
        where = _style(f"{at}{f.line}:{f.column}:", color, bold=True)
        rule = _style(f.rule_id, color, fg="red" if f.severity == "error" else "yellow")
        out.write(f"{where} {rule} {escape_text(f.message)}\n")
        out.write(f"    {_style('suggestion:', color, fg='cyan')} {escape_text(f.suggestion)}\n")
    label = escape_text(report.label or f"message {index}")
    verdict = _style(report.verdict.upper(), color, fg=VERDICT_COLOR[report.verdict], bold=True)
    reasons = f": {escape_text('; '.join(report.reasons))}" if report.reasons else ""
    out.write(f"{at}{report.line}: {label}: score {report.score:>3}/100 {score_bar(report.score)} {verdict}{reasons}\n")
    for c in report.contributions if breakdown else ():
        sign = f"{c.points:+d}"
        styled = _style(sign.rjust(4), color, fg="green" if c.points > 0 and c.source == "signal" else "red" if c.points < 0 else None)
        out.write(f"    {styled}  {c.reason}\n")
    if show_dropped:
        for part in report.dropped_parts:
            lines = f"line {part['line']}" if part["line"] == part["end_line"] else f"lines {part['line']}-{part['end_line']}"
            out.write(f"    {_style('dropped', color, dim=True)} {part['kind']}, {lines}: {escape_text(part['excerpt'])}\n")


def render_summary(run: RunReport, out: TextIO, *, color: bool) -> None:
    """The closing line: files, messages, rejected, warned, passed (and errors)."""
    n = run.counts()
    parts = [
        f"{n['files']} file{'s' * (n['files'] != 1)}",
        f"{n['messages']} message{'s' * (n['messages'] != 1)}",
        _style(f"{n['rejected']} rejected", color, fg="red" if n["rejected"] else None),
        _style(f"{n['warned']} warned", color, fg="yellow" if n["warned"] else None),
        _style(f"{n['passed']} passed", color, fg="green" if n["passed"] else None),
    ]
    if n["errors"]:
        parts.append(_style(f"{n['errors']} error{'s' * (n['errors'] != 1)}", color, fg="red", bold=True))
    out.write("Summary: " + ", ".join(parts) + "\n")


def render_statistics(run: RunReport, out: TextIO, *, color: bool) -> None:
    """One line per rule or check that reported something: count, id and name, most first."""
    from checkin_lint.checks import CHECKS

    counts: dict[str, int] = {}
    for message in run.iter_messages():
        for f in message.anti_patterns:
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
    width = max((len(rule_id) for rule_id in counts), default=0)
    for rule_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = run.ruleset.get(rule_id)
        name = rule.name if rule else CHECKS[rule_id].name if rule_id in CHECKS else ""
        out.write(f"{count:>6}  {_style(rule_id.ljust(width), color, bold=True)}  {name}\n")


def render(run: RunReport, out: TextIO, *, color: bool = False, group: bool = False, quiet: bool = False,
           statistics: bool = False) -> None:
    """Write the whole run as text. With ``group`` (for a terminal) each file's path is a
    heading and the lines under it start at the line number. ``quiet``: only rejected and
    warned messages, without contributions, notices or summary. ``statistics``: a count per
    rule instead of the messages."""
    if not quiet:
        for notice in run.notices:
            out.write(f"notice: {escape_text(notice)}\n")
    if statistics:
        render_statistics(run, out, color=color)
    else:
        for file in run.files:
            shown = False
            for i, report in enumerate(file.messages, 1):
                if quiet and report.verdict == "pass":
                    continue
                if group and not shown:
                    out.write(_style(escape_path(file.path), color, bold=True, underline=True) + "\n")
                shown = True
                render_message("" if group else file.path, i, report, out, color=color,
                               breakdown=not quiet and report.verdict != "pass", show_dropped=run.show_dropped)
            if group and shown:
                out.write("\n")
    if not quiet:
        render_summary(run, out, color=color)
