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
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from typing import Any, Iterable, Mapping, TextIO

from checkin_lint import __version__
from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import decode
from checkin_lint.linter import Linter, MessageReport
from checkin_lint.quotes import new_words
from checkin_lint.scoring import VERDICT_RANK

LABELS = ("checkin", "value", "mixed")
VERDICTS = tuple(sorted(VERDICT_RANK, key=VERDICT_RANK.__getitem__, reverse=True))
"""``reject``, ``warn``, ``pass``: the columns of the confusion table."""
EXPECTED = {"checkin": "reject", "value": "pass", "mixed": "warn"}
"""The verdict each label should get; any other verdict counts as misclassified."""
INPUT_FORMATS = ("jsonl", "csv", "tsv")
CSV_SUFFIXES = {".csv": "csv", ".tsv": "tsv"}
EVAL_JSON_VERSION = 2
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
    RateSpec("value_passed", "value messages passed", "value", ("pass",)),
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
    fields: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The record's other fields (``source``, ``agreed`` ...), for ``--group-by`` and ``--where``."""

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
    decided_by: tuple[str, ...] = ()
    """The contributions that moved the score most, as ``-26 nudge (nudge/still-interested)``."""

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
    group_by: str = "kind"
    """The record field the per-group breakdown is by (``kind`` unless ``--group-by``)."""

    def group_of(self, outcome: Outcome) -> str:
        """The group of an outcome: its kind, or :func:`group_key` of the ``group_by`` field."""
        if self.group_by == "kind":
            return outcome.example.kind
        value = outcome.example.fields.get(self.group_by)
        return "" if value in (None, "") else group_key(str(value))

    def confusion(self, group: str | None = None) -> dict[str, dict[str, int]]:
        """Label -> verdict -> count (every label and verdict present, zeros included), on
        all outcomes or on one group."""
        counts = Counter((o.example.label, o.verdict) for o in self.outcomes if group is None or self.group_of(o) == group)
        return {label: {verdict: counts[label, verdict] for verdict in VERDICTS} for label in LABELS}

    def rates(self, group: str | None = None) -> list[Rate]:
        """Every rate of :data:`RATES`, measured on all outcomes or on one group."""
        table = self.confusion(group)
        return [Rate(spec, sum(table[spec.label][v] for v in spec.verdicts), sum(table[spec.label].values()))
                for spec in RATES]

    @property
    def groups(self) -> list[str]:
        """The groups present, in first-seen order (outcomes with no group left out)."""
        return list(dict.fromkeys(g for g in map(self.group_of, self.outcomes) if g))


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
            "group_by": self.group_by,
            "by_group": {
                group: {
                    "messages": sum(1 for o in self.outcomes if self.group_of(o) == group),
                    "confusion": self.confusion(group),
                    "rates": {r.spec.key: r.to_dict() for r in self.rates(group)},
                }
                for group in self.groups
            },
            "misclassified": [
                {"id": o.example.id, "label": o.example.label, "kind": o.example.kind or None, "verdict": o.verdict,
                 "expected": o.expected, "score": o.score, "rules": list(o.rules), "decided_by": list(o.decided_by),
                 "where": o.example.where}
                for o in self.misclassified
            ],
            "errors": [{"path": p.path, "line": p.line, "message": p.message} for p in self.problems],
        }


def group_key(value: str) -> str:
    """The group of a record's field value: a URL is grouped by its site
    (``github.com/owner/repo`` for GitHub), a repository path ``owner/repo/file.md`` by its
    repository, anything else by itself (lower-cased)."""
    value = value.strip()
    if re.match(r"[a-z][a-z0-9+.-]*://", value, re.I):
        url = urlparse(value)
        host = url.netloc.lower().removeprefix("www.")
        if host in ("github.com", "raw.githubusercontent.com"):
            parts = [p for p in url.path.split("/") if p]
            return "github.com/" + "/".join(parts[:2]).lower()
        return host
    parts = [p for p in value.split("/") if p]
    if len(parts) >= 3 and not any(c.isspace() for c in value):
        return "github.com/" + "/".join(parts[:2]).lower()
    return value.lower()


def parse_where(conditions: Iterable[str]) -> list[tuple[str, str]]:
    """``FIELD=VALUE`` strings as pairs; raises ValueError naming a malformed one."""
    pairs = []
    for condition in conditions:
        name, sep, value = condition.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--where takes FIELD=VALUE, not {condition!r}")
        pairs.append((name.strip(), value.strip()))
    return pairs


def keep_example(example: Example, where: Iterable[tuple[str, str]]) -> bool:
    """True when every ``(field, value)`` matches the example's field (compared as text,
    case-insensitively; ``kind``, ``id`` and ``label`` are fields too)."""
    record = {**example.fields, "id": example.id, "label": example.label, "kind": example.kind}
    return all(str(record.get(name, "")).lower() == value.lower() for name, value in where)


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
        fields={k: v for k, v in row.items() if k not in (text_key, label_key)},
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


def read_examples(paths: Iterable[str], *, input_format: str | None = None, text_column: str = "text",
                  label_column: str = "label", where: Iterable[tuple[str, str]] = ()) -> tuple[list[str], list[Example], list[Problem]]:
    """Read every labelled file (``-`` is standard input): the input names, the examples
    that match every ``where`` condition, and the problems met."""
    from checkin_lint.runner import STDIN, read_input

    where = list(where)
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
        examples.extend(ex for ex in found if keep_example(ex, where))
        problems.extend(trouble)
    return names, examples, problems


def evaluate_paths(linter: Linter, paths: Iterable[str], *, input_format: str | None = None, text_column: str = "text",
                   label_column: str = "label", where: Iterable[tuple[str, str]] = (), group_by: str = "kind") -> Evaluation:
    """Read every labelled file (``-`` is standard input) and evaluate the linter on the
    examples that match ``where``; the breakdown is per ``group_by`` field."""
    names, examples, problems = read_examples(paths, input_format=input_format, text_column=text_column,
                                              label_column=label_column, where=where)
    result = evaluate(linter, examples, inputs=names, problems=problems)
    result.group_by = group_by
    return result


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
        result.outcomes.append(Outcome(ex, report.verdict, report.score, rules, decided_by(report)))
    return result


def decided_by(report: MessageReport, most: int = 3) -> tuple[str, ...]:
    """The ``most`` family contributions with the most points either way, each with the
    rules behind it: ``-26 nudge (nudge/still-interested)``."""
    by_family: dict[str, list[str]] = {}
    for f in report.findings:
        by_family.setdefault(f.family, []).append(f.rule_id)
    parts = sorted((c for c in report.contributions if c.family and c.points), key=lambda c: -abs(c.points))
    return tuple(f"{c.points:+d} {c.family} ({', '.join(dict.fromkeys(by_family.get(c.family, ['merge field'])))})"
                 for c in parts[:most])


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
    render_rates(result, out)
    groups = result.groups
    if groups:
        out.write(f"\nBy {result.group_by}:\n")
        short = [spec.key for spec in RATES]
        width = max(len(g) for g in groups + [result.group_by]) + 2
        out.write(f"  {result.group_by:<{width}}{'messages':>9}" + "".join(f"{k:>18}" for k in short) + "\n")
        for group in groups:
            n = sum(1 for o in result.outcomes if result.group_of(o) == group)
            cells = "".join(f"{_percent(r) + f' ({r.count}/{r.total})':>18}" for r in result.rates(group))
            out.write(f"  {group:<{width}}{n:>9}{cells}\n")
    wrong = result.misclassified
    expected = ", ".join(f"{label} -> {verdict}" for label, verdict in EXPECTED.items())
    out.write(f"\nMisclassified: {len(wrong)} of {len(result.outcomes)} (expected {expected})\n")
    for o in wrong:
        decided = "; ".join(o.decided_by) or "no rule matched"
        out.write(f"  {o.example.id}  {o.example.label} -> {o.verdict} (score {o.score}): {decided}\n")


def render_rates(result: Evaluation, out: TextIO) -> None:
    """Write one line per rate of :data:`RATES`: description, percentage, count/total."""
    width = max(len(spec.description) for spec in RATES)
    for rate in result.rates():
        out.write(f"{rate.spec.description:<{width}}  {_percent(rate):>6}  ({rate.count}/{rate.total})\n")


def render_json(result: Evaluation, out: TextIO) -> None:
    """Write the evaluation as one JSON document."""
    json.dump(result.to_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
