"""Run the command line on real files and read its JSON report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from click.testing import CliRunner

from checkin_lint.cli import main
from checkin_lint.config import Config
from checkin_lint.linter import Linter
from checkin_lint.runner import lint_file


@dataclass
class Run:
    """One ``checkin-lint lint --format json`` run."""

    exit_code: int
    report: dict[str, Any]
    stderr: str

    def file(self, name: str) -> dict[str, Any]:
        """The report of the file whose path ends with ``name``."""
        return next(f for f in self.report["files"] if f["path"].endswith(name))

    def messages(self, name: str) -> list[dict[str, Any]]:
        return list(self.file(name)["messages"])

    def findings(self, name: str, rule: str = "") -> list[tuple[str, int, int, str]]:
        """``(rule id, line, column, matched text)`` of every finding in the file."""
        return [(f["rule_id"], f["line"], f["column"], f["text"])
                for m in self.messages(name) for f in m["findings"] if f["rule_id"].startswith(rule)]


Lint = Callable[..., Run]


@pytest.fixture
def lint() -> Lint:
    """``lint(*args, input=None)``: run the CLI with a JSON report and no result cache."""

    def run(*args: object, input: str | bytes | None = None) -> Run:
        result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "json", *map(str, args)], input=input)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        report = json.loads(result.stdout) if result.stdout.strip() else {"files": []}
        return Run(result.exit_code, report, result.stderr)

    return run


@pytest.fixture
def check(linter: Linter) -> Lint:
    """``check(path, config=None, input_format=None)``: lint one file with the shared linter
    (the library path the CLI takes, without building a linter per call)."""

    def run(path: object, config: Config | None = None, input_format: str | None = None) -> Run:
        report = lint_file(linter, str(path), input_format=input_format, config=config)
        data = {"path": report.path, "errors": [str(p) for p in report.problems],
                "messages": [m.to_dict() for m in report.messages]}
        return Run(2 if report.problems else 0, {"files": [data]}, "\n".join(data["errors"]))

    return run
