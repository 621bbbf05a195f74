"""JSON output (documented in README, versioned by ``version``)."""

from __future__ import annotations

from typing import Any, TextIO

from checkin_lint import __version__
from checkin_lint.escape import dumps_json
from checkin_lint.report import JSON_VERSION, RunReport


def as_dict(run: RunReport) -> dict[str, Any]:
    """The whole run as the documented JSON structure."""
    return {
        "version": JSON_VERSION,
        "tool": {"name": "checkin-lint", "version": __version__},
        "files": [
            {
                "path": f.path,
                "errors": [{"message": p.message, "line": p.line, "column": p.column} for p in f.problems],
                "messages": [m.to_dict() for m in f.messages],
                "skipped": f.skipped,
            }
            for f in run.files
        ],
        "summary": run.counts(),
        "notices": run.notices,
    }


def render(run: RunReport, out: TextIO, *, color: bool = False) -> None:
    """Write the run as one JSON document."""
    out.write(dumps_json(as_dict(run)))
    out.write("\n")
