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

import heapq
from typing import Iterator, TextIO

from checkin_lint.escape import escape_path, escape_text
from checkin_lint.report import FileReport, RunReport
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


Annotation = tuple[str, str, str]
"""``(level, workflow command, plain log line)``."""


def _annotations(file: FileReport, *, text: bool = True) -> Iterator[Annotation]:
    """The annotations of one file, worst first: input errors, findings in the order of the
    file, then the message verdicts. Without ``text`` only the levels are filled in."""
    for problem in file.problems:
        yield ("error", command("error", problem.message, file=file.path, line=problem.line, col=problem.column,
                                title="checkin-lint: input error") if text else "", f"{problem}\n" if text else "")
    for message in file.messages:
        for f in message.anti_patterns:
            level = LEVEL[f.severity]
            if not text:
                yield (level, "", "")
                continue
            yield (level,
                   command(level, f"{f.message}\nSuggestion: {f.suggestion}", file=file.path,
                           line=f.line, col=f.column, endLine=f.end_line, endColumn=f.end_column, title=f.rule_id),
                   f"{escape_path(file.path)}:{f.line}:{f.column}: {f.rule_id} {escape_text(f.message)}\n")
    for index, message in enumerate(file.messages, 1):
        if message.verdict not in VERDICT_LEVEL:
            continue
        level = VERDICT_LEVEL[message.verdict]
        if not text:
            yield (level, "", "")
            continue
        label = message.label or f"message {index}"
        title = f"checkin-lint: {label} {message.verdict.upper()} ({message.score}/100)"
        yield (level, command(level, "; ".join(message.reasons), file=file.path, line=message.line, title=title),
               f"{escape_path(file.path)}:{message.line}: {escape_text(title)}: {escape_text('; '.join(message.reasons))}\n")


def _shown(run: RunReport, budget: dict[str, int]) -> tuple[set[tuple[int, int]], int]:
    """``(file index, annotation index)`` of the annotations that fit ``budget`` per level,
    taking each file's first annotation of a level before any file's second, and how many
    annotations there are in all. When not all fit, one notice of the budget is kept free
    for the count of those left out. Keeps at most ``budget`` keys per level (a bounded heap),
    however many annotations the run has."""
    best: dict[str, list[tuple[int, int, int]]] = {level: [] for level in budget}  # max-heaps of negated keys
    total = 0
    for i, file in enumerate(run.files):
        seen: dict[str, int] = {}
        for j, (level, _, _) in enumerate(_annotations(file, text=False)):
            total += 1
            key = (-seen.get(level, 0), -i, -j)
            seen[level] = seen.get(level, 0) + 1
            heap = best[level]
            if len(heap) < budget[level]:
                heapq.heappush(heap, key)
            elif heap and key > heap[0]:
                heapq.heapreplace(heap, key)
    if sum(len(heap) for heap in best.values()) < total and best["notice"] and len(best["notice"]) >= budget["notice"]:
        heapq.heappop(best["notice"])  # the worst notice shown makes way for the count
    return {(-i, -j) for heap in best.values() for _, i, j in heap}, total


def render(run: RunReport, out: TextIO, *, color: bool = False, limit: int = MAX_PER_LEVEL) -> None:
    """Write the run as workflow commands (at most ``limit`` per level; the rest as plain log
    lines and one notice counting them) plus a summary line."""
    notices = run.notices[:limit - 1] if len(run.notices) > limit - 1 else run.notices
    shown, total = _shown(run, {"error": limit, "warning": limit, "notice": limit - len(notices)})
    for notice in notices:
        out.write(command("notice", notice, title="checkin-lint"))
    for notice in run.notices[len(notices):]:
        out.write(f"notice: {notice}\n")
    for i, file in enumerate(run.files):
        for j, (_, line, plain) in enumerate(_annotations(file)):
            out.write(line if (i, j) in shown else plain)
    if len(shown) < total:
        out.write(command("notice", f"{total - len(shown)} of {total} annotations are plain log lines: GitHub shows "
                                    f"{limit} of each level per step. The step's log and job summary list them all.",
                          title="checkin-lint: more findings"))
    render_summary(run, out, color=False)
