"""The cost of each prefilter engine per message, measured side by side in one run::

    python benchmarks/prefilter.py --messages 3000 --repeat 5

For Hyperscan, RE2's ``RE2::Set`` and no prefilter at all (every regex runs), on the same
texts: the time to build or load the engine, the time to name the candidate regexes of one
message, and the whole linter's time per message with that engine. Engines take turns in
each round (interleaved), and the median of ``--repeat`` rounds is kept, so load from other
work on the machine hits all of them alike. Two corpora: ``benchmarks/mail.py`` (real
English vocabulary, every message different: what users lint) and ``benchmarks/corpus.py``
(a small repeated vocabulary, where RE2's lazy DFA has seen every state before). The reports
of the three linters are compared and must be identical. Needs the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import corpus, mail  # noqa: E402

ENGINES = ("hyperscan", "re2", "none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000, help="messages per corpus (default 3000)")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved rounds; the median is kept (default 5)")
    args = parser.parse_args()

    import os

    os.environ["CHECKIN_LINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="checkin-lint-prefilter-")
    from checkin_lint.engine import prefilter
    from checkin_lint.engine.matching import normalize
    from checkin_lint.linter import Linter

    linter = Linter()
    expressions = [expr for _, expr in linter.compiled._regexes]
    supersets = linter.ruleset.supersets
    print(f"{len(expressions)} rule regexes, {sum(len(supersets.get(e) or ()) for e in expressions)} superset pieces")
    build: dict[str, list[float]] = {e: [] for e in ENGINES}
    sets: dict[str, Any] = {}
    for engine in ENGINES:  # the first Hyperscan build compiles and stores; the rest load
        start = time.perf_counter()
        sets[engine] = prefilter.RegexSet(expressions, supersets, engine=engine)
        build[engine].append(time.perf_counter() - start)
    print(f"hyperscan compile (first build, stored): {build['hyperscan'][0]:.2f} s")
    for _ in range(args.repeat):
        for engine in ENGINES:
            start = time.perf_counter()
            sets[engine] = prefilter.RegexSet(expressions, supersets, engine=engine)
            build[engine].append(time.perf_counter() - start)
    print("| engine | build or load s | " + " | ".join(f"{name}: candidates ms/msg | {name}: linter ms/msg"
                                                      for name in ("mail", "repetitive")) + " |")
    print("| --- | ---: |" + " ---: |" * 4)
    rows: dict[str, list[str]] = {e: [f"{statistics.median(build[e][1:]):.3f}"] for e in ENGINES}
    for name, texts in (("mail", list(mail.messages(args.messages, seed=99))),
                        ("repetitive", list(corpus.messages(args.messages, seed=99)))):
        normalized = [normalize(t) for t in texts]
        cand: dict[str, list[float]] = {e: [] for e in ENGINES}
        whole: dict[str, list[float]] = {e: [] for e in ENGINES}
        reports: dict[str, list[Any]] = {}
        for _ in range(args.repeat):
            for engine in ENGINES:
                fresh = prefilter.RegexSet(expressions, supersets, engine=engine)  # a DFA that has seen nothing
                start = time.process_time()
                for text in normalized:
                    fresh.candidates(text)
                cand[engine].append(time.process_time() - start)
                linter.compiled._prefilter = prefilter.RegexSet(expressions, supersets, engine=engine)
                start = time.process_time()
                out = [r.to_dict() for r in linter.lint_messages_from_texts(texts)]
                whole[engine].append(time.process_time() - start)
                reports.setdefault(engine, out)
        same = all(reports[e] == reports["none"] for e in ENGINES)
        for engine in ENGINES:
            rows[engine] += [f"{statistics.median(cand[engine]) / len(texts) * 1000:.3f}",
                             f"{statistics.median(whole[engine]) / len(texts) * 1000:.3f}"]
        print(f"# {name}: {len(texts)} messages, reports identical across engines: {same}", file=sys.stderr)
        if not same:
            raise SystemExit(f"reports differ between engines on the {name} corpus")
    for engine in ENGINES:
        print(f"| {engine} | " + " | ".join(rows[engine]) + " |")


if __name__ == "__main__":
    main()
