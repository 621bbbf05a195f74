"""Peak memory of the ``checkin-lint`` command on one large file, in every output format.

A CSV export and an mbox archive of diverse mail (``benchmarks/mail.py``: every message
different) are written at each size asked for, and the installed command lints each of them
in each output format, as a subprocess with the report written to a file (``-o``). The
result cache is a fresh folder, warmed first on a small file so that the regex prefilter's
Hyperscan database is built and loaded as in everyday use; a file of more than 500
messages is never cached, so every measured run lints the whole file (sizes from 1 MB up).
The peak resident set size of each run is read with ``resource.getrusage(RUSAGE_CHILDREN)``
in a small wrapper process started for that run alone, so one run's peak never hides
another's. What to look for: how the peak grows with the file. It should not: the reports
stream to the output and the file is read a window at a time (``inputs/stream.py``).

Linting takes several ms of CPU per message (about 1,700 messages per MB of this corpus), so
a 100 MB file is most of an hour of work on a loaded machine; run the large sizes in one
format only::

    python benchmarks/memory.py --sizes 1 --inputs csv,mbox                 # every format
    nice python benchmarks/memory.py --sizes 1,8,32 --formats json,sarif    # growth with size
    nice python benchmarks/memory.py --sizes 100 --formats json --inputs csv

Needs the ``bench`` extra (``pip install -e ".[bench]"``) for the word list of the corpus.
The files live in a temporary folder, removed at the end. Prints a Markdown table with the
machine, the command and the date; ``--json`` prints the raw results instead.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.mail import messages  # noqa: E402
from benchmarks.run import machine  # noqa: E402

FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "statistics")
"""Every ``--format`` of ``checkin-lint lint`` (``checkin-lint lint --help``), and
``statistics`` for ``--format text --statistics``."""
INPUTS = ("csv", "mbox")
MB = 1_000_000

_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
"""Runs one command and prints its exit code and peak RSS (KiB on Linux)."""


def _texts(seed: int) -> Iterator[str]:
    return messages(None, seed=seed)


def write_csv(path: Path, size: int, *, seed: int = 0) -> int:
    """A CSV export (id, subject, body) of about ``size`` bytes; returns its rows."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "subject", "body"])
        for rows, text in enumerate(_texts(seed), 1):
            writer.writerow([f"c-{rows:07d}", f"Note {rows}" if rows % 5 else "Re: next steps", text])
            if handle.tell() >= size:
                break
    return rows


def write_mbox(path: Path, size: int, *, seed: int = 0) -> int:
    """An mbox archive of about ``size`` bytes; returns its messages."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for count, text in enumerate(_texts(seed), 1):
            _write_message(handle, count, text)
            if handle.tell() >= size:
                break
    return count


def _write_message(handle: TextIO, n: int, text: str) -> None:
    body = "\n".join(">" + line if line.startswith("From ") else line for line in text.splitlines())
    handle.write(f"From rep{n % 97}@example.com Mon Nov 30 09:{n % 60:02d}:00 2026\n"
                 f"From: Rep {n % 97} <rep{n % 97}@example.com>\nTo: buyer{n}@example.org\n"
                 f"Subject: Note {n}\nMessage-ID: <{n}@example.com>\n\n{body}\n\n")


def format_options(name: str) -> list[str]:
    """The options that select output format ``name`` (one of :data:`FORMATS`)."""
    return ["--format", "text", "--statistics"] if name == "statistics" else ["--format", name]


def run_once(command: list[str], cwd: Path) -> tuple[int, float, float]:
    """Run ``command`` in a wrapper process: its exit code, peak RSS in MB and wall seconds."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], cwd=cwd, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    code, kib = done.stdout.split()
    return int(code), int(kib) * 1024 / 2**20, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2,8,32", help="file sizes in MB, comma-separated (default: 2,8,32)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="output formats (default: all)")
    parser.add_argument("--inputs", default=",".join(INPUTS), help="csv, mbox or both (default: both)")
    parser.add_argument("--cli", default=shutil.which("checkin-lint", path=os.path.dirname(sys.executable)) or "checkin-lint",
                        help="the checkin-lint command to measure (default: the one next to this Python)")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    inputs = args.inputs.split(",")
    unknown = set(formats) - set(FORMATS) or set(inputs) - set(INPUTS)
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    command_line = "python benchmarks/memory.py " + " ".join(sys.argv[1:])
    results: dict[str, Any] = {"machine": machine(), "command": command_line,
                               "date": datetime.date.today().isoformat(), "runs": []}
    with tempfile.TemporaryDirectory(prefix="checkin-lint-memory-") as tmp:
        folder = Path(tmp)
        largest = int(max(sizes) * MB * 1.1) + MB
        (folder / ".checkin-lint.yaml").write_text(f"max-file-size: {largest}\n", encoding="utf-8")
        cache = ["--cache-dir", str(folder / "cache")]
        warm = folder / "warm-up.csv"
        write_csv(warm, 300_000, seed=99)
        run_once([args.cli, "lint", *cache, "--exit-zero", "--no-progress", warm.name], folder)  # builds the database
        warm.unlink()
        for size in sizes:
            for kind in inputs:
                path = folder / f"export-{size:g}mb.{kind}"
                count = (write_csv if kind == "csv" else write_mbox)(path, int(size * MB))
                for output_format in formats:
                    report = folder / f"report.{output_format}"
                    command = [args.cli, "lint", *cache, "--exit-zero", *format_options(output_format), "-o", str(report),
                               path.name]
                    code, peak, seconds = run_once(command, folder)
                    report.unlink(missing_ok=True)
                    row = {"input": kind, "mb": round(path.stat().st_size / MB, 1), "messages": count,
                           "format": output_format, "exit_code": code, "peak_rss_mb": round(peak), "wall_s": round(seconds, 1)}
                    results["runs"].append(row)
                    print(json.dumps(row), file=sys.stderr, flush=True)
                path.unlink()
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"Machine: {results['machine']}  \nCommand: `{results['command']}`  \nDate: {results['date']}\n")
    print("| input | MB | messages | format | peak RSS MB | wall s | exit code |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: |")
    for row in results["runs"]:
        print(f"| {row['input']} | {row['mb']} | {row['messages']:,} | {row['format']} | {row['peak_rss_mb']} | "
              f"{row['wall_s']} | {row['exit_code']} |")


if __name__ == "__main__":
    main()
