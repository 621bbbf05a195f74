"""GitHub Actions output: workflow commands that become annotations on the pull request.

Each anti-pattern finding is an annotation at its span (``error``, ``warning`` or ``notice``
by rule severity), titled with the rule id and carrying the suggestion; each rejected or
warned message is one more annotation at its first line with its score and reasons; an input
that could not be read is an ``error`` annotation. A plain summary line closes the output.
See GitHub's "Workflow commands" documentation for the syntax and escaping.

GitHub shows at most :data:`MAX_PER_LEVEL` annotations of each level per step (the actions
toolkit's problem-matcher documentation: 10 errors, 10 warnings and 10 notices per step, 50
per job). So the worst of every file come first: each file's first annotation of a level (an
input error, then findings in the order of the file, then the message verdicts) before any
file's second, and so on. What does not fit is printed as a plain log line, and one notice
says how many were left out.
"""

from __future__ import annotations

from typing import TextIO

from checkin_lint.escape import escape_path, escape_text
from checkin_lint.report import RunReport
from checkin_lint.report.text import render_summary

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
"""Rule severity -> annotation level."""
VERDICT_LEVEL = {"reject": "error", "warn": "warning"}


def escape_data(text: str) -> str:
    """Escape an annotation message (``%``, carriage return and line feed); other control
    characters are written as visible escapes (:func:`~checkin_lint.escape.escape_text`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escape_text(text)


def escape_property(text: str) -> str:
    """Escape an annotation property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    """One workflow command line, e.g. ``::error file=a.txt,line=3::message``."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level} {props}::{escape_data(message)}\n"


MAX_PER_LEVEL = 10
"""Annotations of one level GitHub shows per step."""


def _candidates(run: RunReport) -> list[list[tuple[str, str, str]]]:
    """Per file, its annotations as ``(level, workflow command, plain log line)``, worst first."""
    files = []
    for file in run.files:
        found = []
        for problem in file.problems:
            found.append(("error", command("error", problem.message, file=file.path, line=problem.line, col=problem.column,
                                           title="checkin-lint: input error"), f"{problem}\n"))
        verdicts = []
        for index, message in enumerate(file.messages, 1):
            for f in message.anti_patterns:
                found.append((LEVEL[f.severity],
                              command(LEVEL[f.severity], f"{f.message}\nSuggestion: {f.suggestion}", file=file.path,
                                      line=f.line, col=f.column, endLine=f.end_line, endColumn=f.end_column, title=f.rule_id),
                              f"{escape_path(file.path)}:{f.line}:{f.column}: {f.rule_id} {escape_text(f.message)}\n"))
            if message.verdict in VERDICT_LEVEL:
                label = message.label or f"message {index}"
                title = f"checkin-lint: {label} {message.verdict.upper()} ({message.score}/100)"
                level = VERDICT_LEVEL[message.verdict]
                verdicts.append((level, command(level, "; ".join(message.reasons), file=file.path, line=message.line, title=title),
                                 f"{escape_path(file.path)}:{message.line}: {escape_text(title)}: {escape_text('; '.join(message.reasons))}\n"))
        files.append(found + verdicts)
    return files


def _shown(files: list[list[tuple[str, str, str]]], budget: dict[str, int]) -> set[tuple[int, int]]:
    """``(file index, annotation index)`` of the annotations that fit ``budget`` per level,
    taking each file's first annotation of a level before any file's second."""
    rank: list[tuple[int, int, int]] = []
    for i, found in enumerate(files):
        seen: dict[str, int] = {}
        for j, (level, _, _) in enumerate(found):
            rank.append((seen.get(level, 0), i, j))
            seen[level] = seen.get(level, 0) + 1
    shown = set()
    left = dict(budget)
    for _, i, j in sorted(rank):
        level = files[i][j][0]
        if left[level] > 0:
            left[level] -= 1
            shown.add((i, j))
    return shown


def render(run: RunReport, out: TextIO, *, color: bool = False, limit: int = MAX_PER_LEVEL) -> None:
    """Write the run as workflow commands (at most ``limit`` per level; the rest as plain log
    lines and one notice counting them) plus a summary line."""
    files = _candidates(run)
    total = sum(len(found) for found in files)
    notices = run.notices[:limit - 1] if len(run.notices) > limit - 1 else run.notices
    budget = {"error": limit, "warning": limit, "notice": limit - len(notices)}
    shown = _shown(files, budget)
    if len(shown) < total:  # keep a notice free for the count of what was left out
        budget["notice"] -= 1
        shown = _shown(files, budget)
    for notice in notices:
        out.write(command("notice", notice, title="checkin-lint"))
    for notice in run.notices[len(notices):]:
        out.write(f"notice: {notice}\n")
    for i, found in enumerate(files):
        for j, (_, line, plain) in enumerate(found):
            out.write(line if (i, j) in shown else plain)
    if len(shown) < total:
        out.write(command("notice", f"{total - len(shown)} of {total} annotations are plain log lines: GitHub shows "
                                    f"{limit} of each level per step. The step's log and job summary list them all.",
                          title="checkin-lint: more findings"))
    render_summary(run, out, color=False)
