"""Check that a speed change left every report byte for byte as it was: the ``checkin-lint``
command of this checkout and of an earlier git revision lint the same diverse corpus, in
each output format, and their outputs are compared. Run from the repository root (needs
the ``bench`` extra for the corpus)::

    python benchmarks/identical.py --against main
    python benchmarks/identical.py --against HEAD~3 --messages 3000 --formats json,text,sarif

The corpus is the mail corpus of ``benchmarks/mail.py`` (every message different), one file
per message, plus the repository's ``examples/`` folder (one input of every other format),
plus long files of the same mail (``--exports-mb``, written by ``benchmarks/memory.py``): a
CSV export and an mbox archive, each also with CRLF line breaks and a byte-order mark, in
UTF-16, and with an invalid byte in the middle;
both sides run ``python -m checkin_lint lint --no-cache --jobs 1`` with a cache directory of
their own, the revision from a ``git archive`` of it unpacked in a temporary directory. The
only difference allowed is none: the script prints the first differing lines of each format
that differs and exits 1.
"""

from __future__ import annotations

import argparse
import codecs
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import mail  # noqa: E402
from benchmarks.corpus import write_files  # noqa: E402
from benchmarks.memory import format_options, write_csv, write_mbox  # noqa: E402


def unpack_revision(revision: str, where: Path) -> Path:
    """The tree of ``revision`` of this repository unpacked under ``where``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    return where


def run(checkout: Path, cache: Path, fmt: str, inputs: list[Path]) -> bytes:
    """Standard output, exit code and standard error of ``checkin-lint lint`` from
    ``checkout``'s sources in format ``fmt``."""
    env = dict(os.environ, NO_COLOR="1", CHECKIN_LINT_CACHE_DIR=str(cache),
               PYTHONPATH=os.pathsep.join(p for p in (str(checkout / "src"), os.environ.get("PYTHONPATH", "")) if p))
    done = subprocess.run([sys.executable, "-m", "checkin_lint", "lint", "--no-cache", "--jobs", "1", *format_options(fmt),
                           *map(str, inputs)], env=env, capture_output=True, cwd=inputs[0].parent.parent)
    if done.returncode not in (0, 1, 2):  # 2: an input error (the bad-byte exports), part of what is compared
        raise SystemExit(f"{checkout}: exit {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout + f"\n(exit {done.returncode}; standard error:)\n".encode() + done.stderr


def write_exports(folder: Path, size: int) -> Path:
    """Long CSV and mbox files of about ``size`` bytes in ``folder``, in the shapes a reader
    must get right: as written, CRLF line breaks behind a UTF-8 byte-order mark, UTF-16 with
    its byte-order mark, and an invalid byte in the middle (an error for CSV, one undecodable
    character for mbox). Writes a configuration that lets files this large be linted."""
    folder.mkdir(parents=True)
    (folder / ".checkin-lint.yaml").write_text(f"max-file-size: {4 * size + 1_000_000}\n", encoding="utf-8")
    for kind, write in (("csv", write_csv), ("mbox", write_mbox)):
        plain = folder / f"export.{kind}"
        write(plain, size)
        raw = plain.read_bytes()
        text = raw.decode("utf-8")
        (folder / f"export-crlf-bom.{kind}").write_bytes(codecs.BOM_UTF8 + text.replace("\r\n", "\n").replace("\n", "\r\n").encode())
        (folder / f"export-utf16.{kind}").write_bytes(text.encode("utf-16"))
        middle = raw.index(b"\n", len(raw) // 2) + 1
        (folder / f"export-bad-byte.{kind}").write_bytes(raw[:middle] + b"Caf\xe9 " + raw[middle:])
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", required=True, metavar="REV", help="git revision to compare with (e.g. main)")
    parser.add_argument("--messages", type=int, default=1000, help="mail messages in the corpus (default 1000)")
    parser.add_argument("--formats", default="json,text",
                        help="comma-separated output formats, statistics for text --statistics (default json,text)")
    parser.add_argument("--exports-mb", type=float, default=0.5,
                        help="size of each long CSV and mbox file in MB (default 0.5; 0 for none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="checkin-lint-identical-") as tmp:
        work = Path(tmp)
        base = unpack_revision(args.against, work / "base")
        corpus = work / "inputs" / "mail"
        write_files(corpus, list(mail.messages(args.messages, seed=2026)))
        shutil.copytree(ROOT / "examples", work / "inputs" / "examples")
        inputs = [corpus, work / "inputs" / "examples"]
        if args.exports_mb:
            inputs.append(write_exports(work / "inputs" / "exports", int(args.exports_mb * 1_000_000)))
        differing = []
        for fmt in args.formats.split(","):
            ours = run(ROOT, work / "cache-ours", fmt, inputs)
            theirs = run(base, work / "cache-base", fmt, inputs)
            if ours == theirs:
                print(f"{fmt}: identical ({len(ours):,} bytes)")
                continue
            differing.append(fmt)
            before, after = theirs.decode(errors="replace").splitlines(), ours.decode(errors="replace").splitlines()
            line = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
            print(f"{fmt}: DIFFERENT from line {line + 1} ({len(before)} lines from {args.against}, {len(after)} from this checkout)")
            print("\n".join([f"- {x}" for x in before[line:line + 3]] + [f"+ {x}" for x in after[line:line + 3]]))
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
