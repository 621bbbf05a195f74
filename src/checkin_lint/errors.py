"""Error types and the exit-code contract.

Exit codes: 0 nothing at or above the fail level, 1 findings at or above it,
2 usage, configuration, rule or input error, 3 internal error (a bug in checkin-lint),
130 interrupted (SIGINT, Ctrl-C), 141 the reader of standard output went away (a closed pipe,
as with ``| head``: 128 + SIGPIPE, the code a shell reports for a program SIGPIPE ended).
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
REPORT_BUG = ("this is a bug in checkin-lint: please report it on the project's issue tracker with the input "
              "and the output of 'checkin-lint --version'")
"""Where an internal error sends the user (printed with it)."""


@dataclass(frozen=True)
class Problem:
    """One problem in a user-supplied file (rule, config or input), with its location."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    internal: bool = False
    """True for a bug in checkin-lint rather than in the file (exit code 3)."""

    def __str__(self) -> str:
        """``path:line:col: message``, with what came from the input escaped (one line, no
        terminal escapes; see :mod:`checkin_lint.escape`)."""
        from checkin_lint.escape import escape_path, escape_text

        where = escape_path(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {escape_text(self.message)}"


class CheckinLintError(Exception):
    """Base error: carries the problems found and the exit code the CLI should use."""

    exit_code = EXIT_ERROR

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("checkin-lint", problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def internal_problem(path: str, exc: BaseException) -> Problem:
    """A :class:`Problem` for an unexpected exception raised while handling ``path``: one line
    with the exception, where in checkin-lint it was raised, and :data:`REPORT_BUG`."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "checkin_lint" in f.filename]
    where = f" at {frames[-1].filename.rsplit('checkin_lint', 1)[-1].lstrip('/')}:{frames[-1].lineno}" if frames else ""
    detail = " ".join(str(exc).split())[:200]
    return Problem(path, f"internal error: {type(exc).__name__}{': ' + detail if detail else ''}{where}; {REPORT_BUG}",
                   internal=True)


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
