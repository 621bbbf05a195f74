"""Concise output: one line per finding and per message that does not pass, for editors,
``grep`` and quick terminal runs::

    draft.txt:3:6: checkin/checking-in 'checking in' announces a visit, not a reason: ...
    draft.txt:3: message 1: REJECT 4/100: empty check-in: check-in phrasing with no real value signal

then the summary line of the text format.
"""

from __future__ import annotations

from typing import TextIO

from checkin_lint.escape import escape_path, escape_text
from checkin_lint.report import RunReport
from checkin_lint.report.text import render_summary


def render(run: RunReport, out: TextIO, *, color: bool = False) -> None:
    """Write the run, one line per finding and per rejected or warned message."""
    for notice in run.notices:
        out.write(f"notice: {escape_text(notice)}\n")
    for file in run.files:
        path = escape_path(file.path)
        for index, message in enumerate(file.messages, 1):
            for f in message.anti_patterns:
                out.write(f"{path}:{f.line}:{f.column}: {f.rule_id} {escape_text(f.message)}\n")
            if message.verdict != "pass":
                label = escape_text(message.label or f"message {index}")
                reasons = escape_text("; ".join(message.reasons))
                out.write(f"{path}:{message.line}: {label}: {message.verdict.upper()} {message.score}/100: {reasons}\n")
    render_summary(run, out, color=color)
