"""GitHub Actions output: workflow commands that become annotations on the pull request.

Each anti-pattern finding is an annotation at its span (``error``, ``warning`` or ``notice``
by rule severity), titled with the rule id and carrying the suggestion; each rejected or
warned message is one more annotation at its first line with its score and reasons; an input
that could not be read is an ``error`` annotation. A plain summary line closes the output.
See GitHub's "Workflow commands" documentation for the syntax and escaping.
"""

from __future__ import annotations

from typing import TextIO

from checkin_lint.report import RunReport
from checkin_lint.report.text import render_summary

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
"""Rule severity -> annotation level."""
VERDICT_LEVEL = {"reject": "error", "warn": "warning"}


def escape_data(text: str) -> str:
    """Escape an annotation message (``%``, carriage return and line feed)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape an annotation property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    """One workflow command line, e.g. ``::error file=a.txt,line=3::message``."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level} {props}::{escape_data(message)}\n"


def render(run: RunReport, out: TextIO, *, color: bool = False) -> None:
    """Write the run as workflow commands plus a summary line."""
    for notice in run.notices:
        out.write(command("notice", notice, title="checkin-lint"))
    for file in run.files:
        for problem in file.problems:
            out.write(command("error", problem.message, file=file.path, line=problem.line, col=problem.column,
                              title="checkin-lint: input error"))
        for index, message in enumerate(file.messages, 1):
            for f in message.anti_patterns:
                out.write(command(LEVEL[f.severity], f"{f.message}\nSuggestion: {f.suggestion}", file=file.path,
                                  line=f.line, col=f.column, endLine=f.end_line, endColumn=f.end_column, title=f.rule_id))
            if message.verdict in VERDICT_LEVEL:
                label = message.label or f"message {index}"
                title = f"checkin-lint: {label} {message.verdict.upper()} ({message.score}/100)"
                out.write(command(VERDICT_LEVEL[message.verdict], "; ".join(message.reasons), file=file.path,
                                  line=message.line, title=title))
    render_summary(run, out, color=False)
