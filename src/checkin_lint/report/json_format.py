"""JSON output (documented in README, versioned by ``version``).

The document is written as it is built: each message's object is rendered and written on its
own, so a file of many messages never has its whole document in memory.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, TextIO

from checkin_lint import __version__
from checkin_lint.escape import JsonList, write_json
from checkin_lint.report import JSON_VERSION, RunReport


def _document(run: RunReport, listing: Callable[[Iterable[Any]], Any]) -> dict[str, Any]:
    """The documented JSON structure, its long arrays made by ``listing`` (``list``, or
    :class:`~checkin_lint.escape.JsonList` to write them one item at a time)."""
    return {
        "version": JSON_VERSION,
        "tool": {"name": "checkin-lint", "version": __version__},
        "files": listing(
            {
                "path": f.path,
                "errors": [{"message": p.message, "line": p.line, "column": p.column} for p in f.problems],
                "messages": listing(m.to_dict() for m in f.messages),
                "skipped": f.skipped,
            }
            for f in run.files
        ),
        "summary": run.counts(),
        "notices": run.notices,
    }


def as_dict(run: RunReport) -> dict[str, Any]:
    """The whole run as the documented JSON structure."""
    return _document(run, list)


def render(run: RunReport, out: TextIO, *, color: bool = False) -> None:
    """Write the run as one JSON document, one message at a time."""
    write_json(out, _document(run, JsonList))
    out.write("\n")
