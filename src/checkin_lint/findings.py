"""Findings: what a rule found in a message, located in the original file."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One rule match.

    ``start``/``end`` are character offsets into the message text; ``line``/``column`` and
    ``end_line``/``end_column`` are 1-based positions in the original file (the end is
    exclusive). ``source_start``/``source_end`` are the same span as offsets into the
    decoded file text.
    """

    rule_id: str
    kind: str
    family: str
    severity: str
    start: int
    end: int
    source_start: int
    source_end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    message: str
    suggestion: str
    fixable: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with every field, in field order (every value is a string, a
        number or a bool, so :func:`dataclasses.asdict`'s deep copy, 30 times slower, is not needed)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
