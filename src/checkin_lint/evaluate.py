"""Measure the linter on labelled messages: ``checkin-lint eval LABELLED.jsonl``.

A labelled set is JSON Lines (one object per line with ``text`` and ``label``, optional
``id`` and ``kind``) or CSV/TSV with a header row (the text and label columns are named by
the caller; ``id`` and ``kind`` columns are used when present). Labels:

* ``checkin``: an empty check-in; the linter should reject it.
* ``value``: a message that carries value; it should pass.
* ``mixed``: value plus check-in filler; it should be flagged (warned), not rejected.

Each message is linted on its own as plain text. The result is a confusion table (label x
verdict), the rates a team cares about, and the messages whose verdict is not the expected
one. A bad line or row is reported as ``path:line: what is wrong`` and skipped; the other
rows are still measured.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, TextIO

from checkin_lint import __version__
from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import decode
from checkin_lint.linter import Linter
from checkin_lint.quotes import new_words
from checkin_lint.scoring import VERDICT_RANK

LABELS = ("checkin", "value", "mixed")
VERDICTS = tuple(sorted(VERDICT_RANK, key=VERDICT_RANK.__getitem__, reverse=True))
"""``reject``, ``warn``, ``pass``: the columns of the confusion table."""
EXPECTED = {"checkin": "reject", "value": "pass", "mixed": "warn"}
"""The verdict each label should get; any other verdict counts as misclassified."""
INPUT_FORMATS = ("jsonl", "csv", "tsv")
CSV_SUFFIXES = {".csv": "csv", ".tsv": "tsv"}
EVAL_JSON_VERSION = 1
"""Version of the ``eval --format json`` document; bumped on any incompatible change."""


@dataclass(frozen=True)
class RateSpec:
    """A rate: the share of messages with ``label`` whose verdict is one of ``verdicts``."""

    key: str
    description: str
    label: str
    verdicts: tuple[str, ...]


RATES = (
    RateSpec("checkin_rejected", "empty check-ins rejected", "checkin", ("reject",)),
    RateSpec("value_rejected", "value messages rejected", "value", ("reject",)),
    RateSpec("mixed_rejected", "mixed messages rejected", "mixed", ("reject",)),
    RateSpec("mixed_flagged", "mixed messages flagged (warn or reject)", "mixed", ("warn", "reject")),
)


@dataclass(frozen=True)
class Example:
    """One labelled message and the file and line (or CSV row start) it came from."""

    id: str
    label: str
    text: str
    kind: str
    path: str
    line: int

    @property
    def where(self) -> str:
        """``path:line``."""
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Outcome:
    """What the linter made of one example."""

    example: Example
    verdict: str
    score: int
    rules: tuple[str, ...]

    @property
    def expected(self) -> str:
        """The verdict the example's label calls for."""
        return EXPECTED[self.example.label]

    @property
    def correct(self) -> bool:
        """True when the verdict is the expected one."""
        return self.verdict == self.expected


@dataclass(frozen=True)
class Rate:
    """A measured rate: ``count`` of ``total`` (``value`` is None when ``total`` is 0)."""

    spec: RateSpec
    count: int
    total: int

    @property
    def value(self) -> float | None:
        """``count / total``, or None when there is nothing to measure."""
        return self.count / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        value = self.value
        return {"description": self.spec.description, "rate": None if value is None else round(value, 4),
                "count": self.count, "total": self.total}


@dataclass
class Evaluation:
    """The outcomes of one evaluation run plus the problems met reading the inputs."""

    inputs: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def confusion(self, kind: str | None = None) -> dict[str, dict[str, int]]:
        """Label -> verdict -> count (every label and verdict present, zeros included)."""
        counts = Counter((o.example.label, o.verdict) for o in self.outcomes if kind is None or o.example.kind == kind)
        return {label: {verdict: counts[label, verdict] for verdict in VERDICTS} for label in LABELS}

    def rates(self, kind: str | None = None) -> list[Rate]:
        """Every rate of :data:`RATES`, measured on all outcomes or on one kind."""
        table = self.confusion(kind)
        return [Rate(spec, sum(table[spec.label][v] for v in spec.verdicts), sum(table[spec.label].values()))
                for spec in RATES]

    @property
    def kinds(self) -> list[str]:
        """The message kinds present, in first-seen order (unset kinds left out)."""
        return list(dict.fromkeys(o.example.kind for o in self.outcomes if o.example.kind))

    @property
    def misclassified(self) -> list[Outcome]:
        """Outcomes whose verdict is not the one their label calls for, in input order."""
        return [o for o in self.outcomes if not o.correct]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON structure of ``eval --format json``."""
        return {
            "version": EVAL_JSON_VERSION,
            "tool": {"name": "checkin-lint", "version": __version__},
            "inputs": self.inputs,
            "messages": len(self.outcomes),
            "expected": dict(EXPECTED),
            "confusion": self.confusion(),
            "rates": {r.spec.key: r.to_dict() for r in self.rates()},
            "by_kind": {
                kind: {
                    "messages": sum(1 for o in self.outcomes if o.example.kind == kind),
                    "confusion": self.confusion(kind),
                    "rates": {r.spec.key: r.to_dict() for r in self.rates(kind)},
                }
                for kind in self.kinds
            },
            "misclassified": [
                {"id": o.example.id, "label": o.example.label, "kind": o.example.kind or None, "verdict": o.verdict,
                 "expected": o.expected, "score": o.score, "rules": list(o.rules), "where": o.example.where}
                for o in self.misclassified
            ],
            "errors": [{"path": p.path, "line": p.line, "message": p.message} for p in self.problems],
        }


def input_format_for(path: str, override: str | None = None) -> str:
    """``override`` if given, else ``csv``/``tsv`` by suffix, else ``jsonl``."""
    return override or CSV_SUFFIXES.get(Path(path).suffix.lower(), "jsonl")


def _example(path: str, line: int, row: dict[str, Any], text_key: str, label_key: str,
             problems: list[Problem]) -> Example | None:
    text, label = row.get(text_key), row.get(label_key)
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(path, f"{text_key!r} must be a non-empty string", line))
        return None
    if not isinstance(label, str) or label.strip().lower() not in LABELS:
        problems.append(Problem(path, f"{label_key!r} must be one of {', '.join(LABELS)}, not {label!r}", line))
        return None
    raw_id, kind = row.get("id"), row.get("kind")
    return Example(
        id=f"{path}:{line}" if raw_id in (None, "") else str(raw_id),
        label=label.strip().lower(),
        text=text,
        kind=kind.strip() if isinstance(kind, str) else "",
        path=path,
        line=line,
    )


def read_jsonl(path: str, text: str, *, text_key: str = "text",
               label_key: str = "label") -> tuple[list[Example], list[Problem]]:
    """Parse JSON Lines: one object per line with ``text`` and ``label``; blank lines are skipped."""
    examples: list[Example] = []
    problems: list[Problem] = []
    for number, line in enumerate(io.StringIO(text), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            problems.append(Problem(path, f"not valid JSON: {exc}", number))
            continue
        except RecursionError:
            problems.append(Problem(path, "not valid JSON: nested too deeply", number))
            continue
        if not isinstance(row, dict):
            problems.append(Problem(path, f"each line must be a JSON object with {text_key!r} and {label_key!r}", number))
            continue
        example = _example(path, number, row, text_key, label_key, problems)
        if example is not None:
            examples.append(example)
    return examples, problems


def read_csv(path: str, text: str, *, text_column: str, label_column: str,
             delimiter: str = ",") -> tuple[list[Example], list[Problem]]:
    """Parse CSV (or TSV) with a header row naming ``text_column`` and ``label_column``."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = reader.fieldnames or []
    missing = [c for c in (text_column, label_column) if c not in columns]
    if missing:
        found = ", ".join(repr(c) for c in columns) or "none"
        return [], [Problem(path, f"no column {', '.join(repr(c) for c in missing)} in the header (columns: {found}); "
                                  "name them with --text-column and --label-column", 1)]
    examples: list[Example] = []
    problems: list[Problem] = []
    start = reader.line_num + 1
    try:
        for row in reader:
            example = _example(path, start, row, text_column, label_column, problems)
            if example is not None:
                examples.append(example)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(path, f"cannot read CSV: {exc}", start))
    return examples, problems


def load_examples(path: str, raw: bytes, *, input_format: str | None = None, text_column: str = "text",
                  label_column: str = "label") -> tuple[list[Example], list[Problem]]:
    """Decode and parse one labelled file; problems are returned, not raised."""
    try:
        text = decode(path, raw)
    except InputError as exc:
        return [], list(exc.problems)
    fmt = input_format_for(path, input_format)
    if fmt == "jsonl":
        examples, problems = read_jsonl(path, text, text_key=text_column, label_key=label_column)
    else:
        examples, problems = read_csv(path, text, text_column=text_column, label_column=label_column,
                                      delimiter="\t" if fmt == "tsv" else ",")
    if not examples and not problems:
        problems.append(Problem(path, "no labelled messages in this file"))
    return examples, problems


def evaluate_paths(linter: Linter, paths: Iterable[str], *, input_format: str | None = None,
                   text_column: str = "text", label_column: str = "label") -> Evaluation:
    """Read every labelled file (``-`` is standard input) and evaluate the linter on them."""
    from checkin_lint.runner import STDIN, read_input

    examples: list[Example] = []
    problems: list[Problem] = []
    names: list[str] = []
    for path in paths:
        name = "<stdin>" if path == STDIN else path
        names.append(name)
        try:
            raw = read_input(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        found, trouble = load_examples(name, raw, input_format=input_format, text_column=text_column,
                                       label_column=label_column)
        examples.extend(found)
        problems.extend(trouble)
    return evaluate(linter, examples, inputs=names, problems=problems)


def evaluate(linter: Linter, examples: Iterable[Example], *, inputs: Iterable[str] = (),
             problems: Iterable[Problem] = ()) -> Evaluation:
    """Lint every example as one plain-text message (quoted replies and signature left out,
    as for a ``.txt`` file) and collect the outcomes."""
    examples = list(examples)
    result = Evaluation(list(inputs), problems=list(problems))
    seen: dict[str, str] = {}
    for ex in examples:
        if ex.id in seen:
            result.problems.append(Problem(ex.path, f"duplicate id {ex.id!r} (first at {seen[ex.id]})", ex.line))
        seen.setdefault(ex.id, ex.where)
    messages = (new_words(Message.whole(Source(ex.where, ex.text), label=ex.id, channel=ex.kind)) for ex in examples)
    for ex, report in zip(examples, linter.lint_messages(messages)):
        rules = tuple(dict.fromkeys(f.rule_id for f in report.findings))
        result.outcomes.append(Outcome(ex, report.verdict, report.score, rules))
    return result


def _percent(rate: Rate) -> str:
    value = rate.value
    return "n/a" if value is None else f"{value:.1%}"


def render_text(result: Evaluation, out: TextIO) -> None:
    """Write the confusion table, the rates, a per-kind breakdown and the misclassified ids."""
    out.write(f"Evaluated {len(result.outcomes)} labelled messages from {', '.join(result.inputs)}\n\n")
    table = result.confusion()
    out.write(f"{'label':<10}" + "".join(f"{v:>8}" for v in VERDICTS) + f"{'total':>8}\n")
    for label in LABELS:
        row = table[label]
        out.write(f"{label:<10}" + "".join(f"{row[v]:>8}" for v in VERDICTS) + f"{sum(row.values()):>8}\n")
    out.write("\n")
    width = max(len(spec.description) for spec in RATES)
    for rate in result.rates():
        out.write(f"{rate.spec.description:<{width}}  {_percent(rate):>6}  ({rate.count}/{rate.total})\n")
    kinds = result.kinds
    if kinds:
        out.write("\nBy kind:\n")
        short = [spec.key for spec in RATES]
        kind_width = max(len(k) for k in kinds) + 2
        out.write(f"  {'kind':<{kind_width}}{'messages':>9}" + "".join(f"{k:>18}" for k in short) + "\n")
        for kind in kinds:
            n = sum(1 for o in result.outcomes if o.example.kind == kind)
            cells = "".join(f"{_percent(r) + f' ({r.count}/{r.total})':>18}" for r in result.rates(kind))
            out.write(f"  {kind:<{kind_width}}{n:>9}{cells}\n")
    wrong = result.misclassified
    expected = ", ".join(f"{label} -> {verdict}" for label, verdict in EXPECTED.items())
    out.write(f"\nMisclassified: {len(wrong)} of {len(result.outcomes)} (expected {expected})\n")
    for o in wrong:
        rules = ", ".join(o.rules) or "no rule matched"
        out.write(f"  {o.example.id}  {o.example.label} -> {o.verdict} (score {o.score}): {rules}\n")


def render_json(result: Evaluation, out: TextIO) -> None:
    """Write the evaluation as one JSON document."""
    json.dump(result.to_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
