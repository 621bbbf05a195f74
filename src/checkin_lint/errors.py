"""Error types and the exit-code contract.

Exit codes: 0 nothing at or above the fail level, 1 findings at or above it,
2 usage, configuration, rule or input error.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


@dataclass(frozen=True)
class Problem:
    """One problem in a user-supplied file (rule, config or input), with its location."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class CheckinLintError(Exception):
    """Base error: carries the problems found and the exit code the CLI should use."""

    exit_code = EXIT_ERROR

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("checkin-lint", problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RuleError(CheckinLintError):
    """One or more rule files are invalid; every problem is listed."""


class ConfigError(CheckinLintError):
    """A configuration file or option is invalid."""


class UsageError(CheckinLintError):
    """The command line asks for something that cannot be done (such as writing over an input)."""


class InputError(CheckinLintError):
    """An input file cannot be read or parsed."""


class ModelError(CheckinLintError):
    """The configured trained spaCy pipeline cannot be loaded."""
