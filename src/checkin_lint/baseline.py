"""Baselines: adopt checkin-lint on an existing template library without fixing it first.

``--baseline FILE`` records every rejected or warned message the first time (when FILE does
not exist) and from then on leaves the recorded ones out of the report, so only messages that
are new, or whose findings changed, are reported and fail the run. A message is recorded by
its file (relative to the current folder), its label or number in the file, its verdict and
the rule ids and words of its findings, never by line number: moving a template within its
file or editing an unrelated line keeps it recorded; adding a check-in phrase to it does not.
The file is JSON, written atomically, and meant to be committed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checkin_lint.atomic import write_atomic
from checkin_lint.errors import ConfigError, Problem

if TYPE_CHECKING:
    from checkin_lint.report import RunReport
    from checkin_lint.report.record import MessageRecord

VERSION = 1
"""Version of the baseline file format."""


def _path(path: str) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(path).as_posix()


def message_key(path: str, index: int, message: MessageRecord) -> str:
    """What identifies a failing message across runs (SHA-256, hex)."""
    findings = sorted((f.rule_id, f.text) for f in message.anti_patterns)
    data = [_path(path), message.label or f"message {index}", message.verdict, findings]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _failing(run: RunReport) -> dict[str, dict[str, Any]]:
    entries = {}
    for file in run.files:
        for index, message in enumerate(file.messages, 1):
            if message.verdict in ("reject", "warn"):
                entries[message_key(file.path, index, message)] = {
                    "path": _path(file.path), "label": message.label or f"message {index}", "verdict": message.verdict}
    return entries


def write_baseline(run: RunReport, path: str) -> int:
    """Record every rejected or warned message of ``run`` in ``path``; returns how many."""
    entries = _failing(run)
    document = {"version": VERSION, "tool": "checkin-lint", "messages": dict(sorted(entries.items()))}
    write_atomic(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return len(entries)


def read_baseline(path: str) -> set[str]:
    """The message keys recorded in ``path``. Raises :class:`ConfigError` when it cannot be read."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(path, f"cannot read the baseline: {getattr(exc, 'strerror', None) or exc}")]) from None
    except json.JSONDecodeError as exc:
        raise ConfigError([Problem(path, f"not a baseline file: invalid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
    if not isinstance(document, dict) or document.get("version") != VERSION or not isinstance(document.get("messages"), dict):
        raise ConfigError([Problem(path, f"not a baseline file of version {VERSION} (write a new one by removing it)")])
    return set(document["messages"])


def apply_baseline(run: RunReport, keys: set[str]) -> int:
    """Leave the recorded messages out of ``run`` (in place); returns how many were left out."""
    from checkin_lint.report.spool import RecordSpool

    left_out = 0
    for file in run.files:
        kept = RecordSpool()
        for index, message in enumerate(file.messages, 1):
            if message.verdict in ("reject", "warn") and message_key(file.path, index, message) in keys:
                left_out += 1
            else:
                kept.append(message)
        file.messages = kept
    return left_out
