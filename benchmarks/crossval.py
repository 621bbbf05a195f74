"""Accuracy on real labelled mail, with grouped cross-validation.

    python benchmarks/crossval.py LABELLED.jsonl [--group-by source] [--where agreed=true]

Prints two blocks for the labelled file (JSON Lines with ``text``, ``label`` and a group
field such as ``source``):

1. ``checkin-lint eval`` with the shipped scoring table, broken down by group: the figures
   a user gets today (the table was fitted on the development set, so on that set these are
   in-sample);
2. ``checkin-lint calibrate --group-by FIELD``: leave-one-group-out cross-validation, where
   every message is judged by a table fitted without its group. This is the figure to
   report.

Needs the ``calibrate`` extra (SciPy). Labelled third-party text is read at run time and is
never copied into the project.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile


def main() -> int:
    """Run eval and calibrate on the labelled file; returns the worst exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labelled", help="labelled JSON Lines file")
    parser.add_argument("--group-by", default="source", help="record field naming each message's source")
    parser.add_argument("--where", action="append", default=None,
                        help="FIELD=VALUE filter, repeatable (default: agreed=true)")
    args = parser.parse_args()
    where = args.where if args.where is not None else ["agreed=true"]
    filters = [arg for condition in where for arg in ("--where", condition)]
    command = [sys.executable, "-m", "checkin_lint"]
    with tempfile.TemporaryDirectory() as scratch:
        steps = [
            ("shipped scoring table, by " + args.group_by,
             [*command, "eval", args.labelled, "--group-by", args.group_by, *filters]),
            ("leave-one-" + args.group_by + "-out cross-validation",
             [*command, "calibrate", args.labelled, "--group-by", args.group_by, *filters,
              "-o", os.path.join(scratch, "scoring.yml")]),
        ]
        worst = 0
        for title, argv in steps:
            print(f"== {title}\n$ checkin-lint {' '.join(argv[3:])}", flush=True)
            worst = max(worst, subprocess.run(argv, check=False).returncode)
    return worst


if __name__ == "__main__":
    sys.exit(main())
