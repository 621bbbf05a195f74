"""How good are the rewrites on labelled mail? Anyone can rerun it from the repository root::

    python benchmarks/rewrite.py LABELLED.jsonl            # a table
    python benchmarks/rewrite.py LABELLED.jsonl --json     # the same figures as JSON
    python benchmarks/rewrite.py LABELLED.jsonl --show 5   # and five rewrites that miss

The input is JSON Lines with at least ``text`` (``id``, ``label`` and ``kind`` are used when
present), the format ``checkin-lint eval`` reads. The file is read at run time and nothing of
it is written anywhere. Each message is linted as a plain-text draft, rewritten, and the
rewrite linted again. Reported, over all messages and over those the rewrite changes:

* **fields kept**: every merge field of the message (its template syntax, byte for byte,
  counted with repeats) is in the rewrite;
* **score higher**: the rewrite scores more than the message;
* **no empty check-in**: the rewrite's verdict is not ``reject``;
* **idempotent**: rewriting the rewrite changes nothing.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checkin_lint.linter import Linter
from checkin_lint.rewrite.files import missing_fields


@dataclass
class Case:
    """The outcome of rewriting one labelled message."""

    id: str
    label: str
    strategy: str
    fields: int
    fields_kept: bool
    score_before: int
    score_after: int
    verdict_after: str
    idempotent: bool


def measure(linter: Linter, rows: list[dict[str, Any]]) -> list[Case]:
    """Rewrite every row's text and lint the rewrite (and the rewrite of the rewrite)."""
    reports = list(linter.lint_messages_from_texts([str(r["text"]) for r in rows], path="<labelled>"))
    rewrites = [r.rewrite for r in reports]
    again = list(linter.lint_messages_from_texts([rw.text for rw in rewrites], path="<rewrite>"))
    cases = []
    for i, (row, report, rewrite, after) in enumerate(zip(rows, reports, rewrites, again)):
        lost = missing_fields(rewrite.original, rewrite.text)
        cases.append(Case(
            id=str(row.get("id", i + 1)), label=str(row.get("label", "")), strategy=rewrite.strategy,
            fields=sum(missing_fields(rewrite.original, "").values()), fields_kept=not lost,
            score_before=report.score, score_after=after.score, verdict_after=after.verdict,
            idempotent=after.rewrite.text == rewrite.text,
        ))
    return cases


def summary(cases: list[Case]) -> dict[str, Any]:
    """The rates over all messages and over the messages the rewrite changed."""
    def rates(group: list[Case]) -> dict[str, Any]:
        n = len(group)

        def rate(count: int) -> dict[str, Any]:
            return {"count": count, "total": n, "percent": round(100 * count / n, 1) if n else None}

        return {
            "messages": n,
            "fields_kept": rate(sum(c.fields_kept for c in group)),
            "score_higher": rate(sum(c.score_after > c.score_before for c in group)),
            "score_not_lower": rate(sum(c.score_after >= c.score_before for c in group)),
            "no_empty_checkin": rate(sum(c.verdict_after != "reject" for c in group)),
            "idempotent": rate(sum(c.idempotent for c in group)),
        }

    changed = [c for c in cases if c.strategy != "unchanged"]
    return {
        "all": rates(cases),
        "changed": rates(changed),
        "with_merge_fields": rates([c for c in cases if c.fields]),
        "strategies": dict(Counter(c.strategy for c in cases).most_common()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labelled", type=Path, help="JSON Lines file with a 'text' per line")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="list up to N ids whose rewrite misses a target")
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.labelled.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = measure(Linter(), rows)
    result = {
        "input": args.labelled.name,
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.processor() or platform.system()}, Python {platform.python_version()}",
        **summary(cases),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{len(cases)} messages from {result['input']} ({result['date']}; {result['machine']})")
    print(f"strategies: {', '.join(f'{k} {v}' for k, v in result['strategies'].items())}")
    keys = ("fields_kept", "score_higher", "score_not_lower", "no_empty_checkin", "idempotent")
    print(f"{'':<20}" + "".join(f"{k:>20}" for k in keys))
    for group in ("all", "changed", "with_merge_fields"):
        cells = "".join(
            f"{(str(result[group][k]['percent']) + '%') if result[group][k]['percent'] is not None else 'n/a':>12}"
            f" {result[group][k]['count']:>3}/{result[group][k]['total']:<3}" for k in keys)
        print(f"{group + ' (' + str(result[group]['messages']) + ')':<20}{cells}")
    misses = [c for c in cases if not c.fields_kept or (c.strategy != "unchanged" and c.score_after <= c.score_before)
              or c.verdict_after == "reject" or not c.idempotent]
    for c in misses[:args.show]:
        print(f"  {c.id} ({c.label}, {c.strategy}): score {c.score_before} -> {c.score_after} {c.verdict_after}"
              f"{'' if c.fields_kept else ', lost a merge field'}{'' if c.idempotent else ', not idempotent'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
