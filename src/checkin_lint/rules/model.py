"""The in-memory form of a rule file and of the family table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

Kind = Literal["anti-pattern", "signal"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)

TokenPattern = list[dict[str, Any]]


@dataclass(frozen=True)
class Family:
    """A family of rules (an anti-pattern family or a value-signal family).

    ``empty`` marks anti-pattern families whose phrasing is an empty check-in when no value
    signal stands beside it. ``supporting`` marks signal families (personalization, offers)
    that add to a message that carries value but never carry value on their own. ``cap``
    bounds how many points the family can add or take away however often it matches.
    ``fields`` and ``not_fields`` are words of a merge-field name that make it (or veto it as)
    a slot of this family; ``not_after`` are words that veto it when they stand just before the
    field ("sent on [date]" is a past send, not a next step).
    """

    name: str
    kind: Kind
    title: str
    cap: int
    empty: bool = False
    supporting: bool = False
    slot: str = ""
    fields: tuple[str, ...] = ()
    not_fields: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fix:
    """A mechanical fix. Only ``safe`` fixes are applied by ``--fix``.

    ``action`` is ``delete-match`` (remove the matched words) or ``delete-sentence``
    (remove the sentence holding the match); ``when`` is ``always`` or ``value-present``
    (only when the message carries a real value signal elsewhere).
    """

    action: Literal["delete-match", "delete-sentence"]
    safe: bool = False
    when: Literal["always", "value-present"] = "always"


@dataclass(frozen=True)
class Patterns:
    """A rule's patterns: the closed set of pattern kinds the engine knows."""

    phrases: tuple[str, ...] = ()
    tokens: tuple[TokenPattern, ...] = ()
    regex: tuple[str, ...] = ()
    model: tuple[TokenPattern, ...] = ()
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """One rule, loaded and validated from ``<rules dir>/<group>/<name>.yml``."""

    id: str
    path: str
    name: str
    kind: Kind
    family: str
    severity: Severity
    weight: int
    message: str
    suggestion: str
    patterns: Patterns
    rationale: str = ""
    fix: Fix | None = None
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    examples_fixed: tuple[tuple[str, str], ...] = ()

    @property
    def needs_model(self) -> bool:
        """True when the rule has patterns only a trained pipeline can match."""
        return bool(self.patterns.model)

    def format_message(self, match: str) -> str:
        """The rule message with ``{match}`` replaced by the matched text."""
        return self.message.replace("{match}", match)
