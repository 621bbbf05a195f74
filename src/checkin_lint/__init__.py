"""checkin-lint: reject empty "just checking in" outreach and suggest value-first rewrites.

The public API is small and lazy: importing :mod:`checkin_lint` does not import spaCy.

>>> from checkin_lint import lint_text
>>> report = lint_text("Hi Sam, just checking in. Any updates?")
>>> report.verdict
'reject'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:
    from checkin_lint.linter import MessageReport

__all__ = ["__version__", "lint_text"]


def lint_text(text: str, **options: Any) -> MessageReport:
    """Lint one message and return its report (score, verdict, contributions, findings, rewrite).

    ``options`` are passed to :class:`checkin_lint.linter.Linter` (for example ``min_score``,
    ``rule_dirs`` or ``model``). The linter is built once per distinct set of options and reused.
    """
    from checkin_lint.linter import get_linter

    return get_linter(**options).lint_text(text)
