"""Inline suppression directives: the comments that turn rules off for a line, a block or a
whole file, read and located in the source.

A directive sits in the comment syntax of its format::

    <!-- checkin-lint: disable-next-line=checkin/checking-in -- quoting the customer -->   Markdown, HTML
    # checkin-lint: disable=nudge -- the break-up step is deliberate                       YAML playbooks
    # checkin-lint: disable-file=tone                                                      text, call scripts
    // checkin-lint: enable=nudge                                                          text, call scripts

Actions: ``disable-next-line`` (the next line that is not blank and not a directive),
``disable`` ... ``enable`` (a block; without ``enable`` it runs to the end of the file),
``disable-file`` (the whole file). Rules are ids or prefixes, comma-separated, or ``all``;
anything after `` -- `` is the reason. Directive text is never linted. JSON and CSV have no
comments, so no directives; use ``per-file-ignores`` in the configuration instead.

The readers find directives here; :mod:`checkin_lint.suppression` applies them to a file's
reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checkin_lint.rules.ruleset import matches_selector

ACTIONS = ("disable", "enable", "disable-next-line", "disable-file")

# Each pattern is linear: the body is taken greedily (and stripped afterwards), and an HTML
# comment body stops at the next "<!--", so no run of spaces or unclosed comment is rescanned.
DIRECTIVE_MARK = "checkin-lint:"
"""What every directive comment holds, whatever its syntax: a file without it has none."""
_BODY = re.escape(DIRECTIVE_MARK) + r"(?P<body>[^\n]*)"
SYNTAXES: dict[str, re.Pattern[str]] = {
    "html": re.compile(r"<!--[ \t]*" + re.escape(DIRECTIVE_MARK) + r"(?P<body>(?:[^<-]|-(?!->)|<(?!!--))*)-->"),
    "hash": re.compile(r"^[ \t]*#[ \t]*" + _BODY + r"\n?", re.M),
    "line": re.compile(r"^[ \t]*(?:#|//)[ \t]*" + _BODY + r"\n?", re.M),
}
"""Comment syntax name -> pattern of a directive comment (its ``body`` group, stripped, is the directive)."""

_DIRECTIVE = re.compile(r"^(?P<action>[\w-]+)(?:[ \t]*=[ \t]*(?P<rules>[^\s]+(?:[ \t]*,[ \t]*[^\s,]+)*))?[ \t]*(?:--[ \t]*(?P<reason>.*))?$")


@dataclass
class Directive:
    """One parsed directive. ``start``/``end`` are offsets of the whole comment in the source."""

    action: str
    rules: tuple[str, ...]
    reason: str
    line: int
    column: int
    start: int
    end: int
    problem: str = ""
    from_config: bool = False
    used: set[str] = field(default_factory=set)
    target: tuple[int, int] | None = None
    """Lines (first, last) a ``disable-next-line`` covers when its next line is more than one
    line (a YAML block scalar); ``None``: just the next line."""

    def covers(self, rule_id: str) -> str | None:
        """The selector of this directive that names ``rule_id``, or ``None``."""
        return next((s for s in self.rules if s == "all" or matches_selector(rule_id, s)), None)


def find_directives(message: Message, syntax: str) -> list[Directive]:
    """Every directive comment of ``syntax`` in the message text, located in the source."""
    found = []
    for m in SYNTAXES[syntax].finditer(message.text):
        start = message.source_offset(m.start())
        line, column = message.source.line_col(start)
        found.append(parse(m.group("body").strip(), line, column, start, message.source_offset(m.end())))
    return found


def parse(body: str, line: int, column: int, start: int = 0, end: int = 0) -> Directive:
    """Parse the text after ``checkin-lint:``."""
    m = _DIRECTIVE.match(body)
    if not m:
        return Directive("", (), "", line, column, start, end, problem=f"cannot read directive {body!r}; write e.g. 'disable=checkin -- reason'")
    action = m.group("action")
    rules = tuple(r.strip() for r in (m.group("rules") or "").split(",") if r.strip())
    directive = Directive(action, rules, (m.group("reason") or "").strip(), line, column, start, end)
    if action not in ACTIONS:
        directive.problem = f"unknown directive {action!r} (use {', '.join(ACTIONS)})"
    elif not rules:
        directive.problem = f"'{action}' needs the rules it applies to, e.g. '{action}=checkin/checking-in' (or '{action}=all')"
    return directive


def file_ignores(rules: Iterable[str]) -> Directive:
    """A ``disable-file`` directive that comes from the configuration (``per-file-ignores``)."""
    return Directive("disable-file", tuple(rules), "per-file-ignores", 0, 0, 0, 0, from_config=True)
