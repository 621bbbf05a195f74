"""Throughput and memory of checkin-lint, against the floor of its own design and against the
tools a user would pick instead. Anyone can rerun it from the repository root, after
``pip install -e ".[bench]"``::

    python benchmarks/run.py                          # 3,000 messages, 5 rounds, 100 MB memory run, peers
    python benchmarks/run.py --messages 500 --repeat 1 --memory-mb 0 --no-peers
    python benchmarks/run.py --no-cli --memory-mb 0      # in process and the short draft only
    python benchmarks/run.py --draft-only --repeat 9     # the short draft only
    python benchmarks/run.py --texts labelled.jsonl   # also on your own messages (JSON Lines, "text" field)

Corpora, all generated with a fixed seed, in temporary directories removed afterwards:

* **mail** (``benchmarks/mail.py``): every message different, words drawn from a Zipf
  distribution over real English (wordfreq), with names, numbers, URLs, merge fields,
  quoted replies and signatures. This is the corpus every headline number comes from.
* **repetitive** (``benchmarks/corpus.py``): a few dozen fragments recombined; kept as a
  second line because caches of every kind (RE2's DFA, spaCy's tokenizer) flatter it.
* **your texts** (``--texts FILE``): the ``text`` of each line of a JSON Lines file, read
  once at run time and never written anywhere but the temporary directory.

Measured:

* **floor**: ``spacy.blank("en")`` plus the sentence components checkin-lint's pipeline uses
  (``engine/pipeline.py``), no matchers: the throughput the design cannot beat.
* **engine**: checkin-lint in one process, ``Linter.lint_messages`` over the same texts
  (merge fields, matching, overlaps, scoring), with the prefilter's Hyperscan database built
  beforehand as a first long run leaves it, and a new linter each round (a linter keeps the
  words it saw again, so a second round over the same texts would flatter it), warmed up on
  300 messages of the repetitive corpus (another seed) so that the rule regexes it compiles
  on first use are not timed. Target: at least 40% of the floor.
* **cli** and **peers**, on the mail corpus as one file per message, start-up included:
  ``checkin-lint lint --no-cache`` with ``--jobs 1`` and ``--jobs 2``, from this checkout's
  wheel (built and unpacked into the temporary directory, as ``pip install`` would give it), proselint (PyPI)
  and, where Node.js is present, textlint with a prh dictionary holding the check-in
  phrases of the built-in rules, write-good and alex. Peers are installed into the
  temporary directory with pip and npm at benchmark time, never as project dependencies.
  The tools take turns in each round (interleaved) and the median of ``--repeat`` rounds is
  kept; ratios are to checkin-lint ``--jobs 1`` in the same round.
* **draft**: one short draft with no cache of any kind (a fresh cache directory each time)
  against ``python -c "import spacy; spacy.blank('en')"``, alternating. Target at most 1.3x.
* **memory**: a child process streams a ``--memory-mb`` mail corpus through
  ``Linter.lint_messages`` and reports its peak RSS (target under 300 MB) and the size of
  spaCy's string store every 10,000 messages (it must not grow without bound).

In-process timings are CPU seconds of this process (``time.process_time``), so other load
on a shared machine does not skew the floor ratio; subprocesses report wall time (what a
user waits) and their CPU seconds.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import corpus, mail  # noqa: E402
from benchmarks.corpus import write_files  # noqa: E402

MEMORY_TARGET_MB = 300
WARM_UP_MESSAGES = 300
"""Messages of the repetitive corpus (another seed) each engine round lints before it is timed."""
FLOOR_SHARE_TARGET = 0.40


PACKAGE: list[Path] = [ROOT / "src"]
"""Where child processes import checkin_lint from: the checkout, until :func:`install_wheel`
puts this checkout's wheel (as users install it) first."""


def _env() -> dict[str, str]:
    """The package under test first on the path; no colour."""
    env = dict(os.environ, NO_COLOR="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PACKAGE[0]), env.get("PYTHONPATH", "")) if p)
    return env


def install_wheel(work: Path) -> str:
    """Build this checkout's wheel and unpack it under ``work`` (its dependencies are this
    environment's), so the command-line runs measure what ``pip install`` gives a user,
    including the prebuilt rules only a wheel carries. Returns what was measured."""
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "wheel"), str(ROOT)],
                       check=True, capture_output=True)
        wheel = next((work / "wheel").glob("*.whl"))
        subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(work / "site"), str(wheel)],
                       check=True, capture_output=True)
    except (OSError, StopIteration, subprocess.CalledProcessError) as exc:
        return f"the checkout (building its wheel failed: {exc})"
    PACKAGE[0] = work / "site"
    return f"the installed wheel {wheel.name}"


# Runs a command and prints its exit code, wall seconds, peak RSS (MB) and CPU seconds. It is
# started as a small process of its own because on Linux a child's ru_maxrss starts from the
# RSS of the process it was forked from: measured from this (large) process, every tool would
# seem to need as much memory as this script holds.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(done.stderr[-1500:])
print(done.returncode, wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)
"""


def run_child(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
              ok: tuple[int, ...] | None = (0, 1)) -> tuple[float, float, float]:
    """Run ``argv`` to completion (output discarded); return (wall seconds, peak RSS in MB, CPU
    seconds). An exit code outside ``ok`` (None: any) raises."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, *argv], cwd=cwd, env=env or _env(), capture_output=True, text=True)
    code, wall, peak, cpu = done.stdout.split()
    if ok is not None and int(code) not in ok:
        raise RuntimeError(f"{' '.join(argv[:4])} ... exited {code}: {done.stderr}")
    return float(wall), float(peak), float(cpu)


def peak_rss_mb() -> float:
    """This process's peak RSS in MB: VmHWM where /proc has it (ru_maxrss would include the RSS
    of the parent this process was forked from), else ru_maxrss."""
    try:
        found = re.search(r"^VmHWM:\s*(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    except OSError:
        found = None
    return int(found.group(1)) / 1024 if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_time(func: Callable[[], Any], repeat: int) -> float:
    """Median CPU seconds of ``repeat`` calls of ``func``."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return statistics.median(times)


def measure_in_process(texts: list[str], repeat: int) -> dict[str, Any]:
    """The floor and the engine, in this process, on the same texts."""
    from checkin_lint.document import Message, Source
    from checkin_lint.engine.pipeline import blank_pipeline
    from checkin_lint.linter import Linter

    nlp = blank_pipeline()
    with nlp.memory_zone():
        tokens = sum(len(doc) for doc in nlp.pipe(texts))

    def floor() -> None:
        with nlp.memory_zone():
            for doc in nlp.pipe(texts):
                for _ in doc.sents:
                    pass

    ruleset = Linter().ruleset
    warm_up = [Message.whole(Source(f"w{i}", t)) for i, t in enumerate(corpus.messages(WARM_UP_MESSAGES, seed=99))]
    engine_times = []
    for _ in range(repeat):  # a new linter each round: none starts with the words an earlier round kept
        linter = Linter(ruleset)
        linter.compiled.prepare_prefilter()  # as the first long run leaves it: Hyperscan database stored
        for _ in linter.lint_messages(warm_up):  # rule regexes compiled, as in any run past its first files
            pass
        start = time.process_time()
        for _ in linter.lint_messages(Message.whole(Source(f"m{i}", t)) for i, t in enumerate(texts)):
            pass
        engine_times.append(time.process_time() - start)

    floor_s = median_time(floor, repeat)
    return {"tokens": tokens, "floor_s": floor_s, "engine_s": statistics.median(engine_times)}


def tools(peers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every command to time over the corpus: checkin-lint with one and two jobs, then each
    installed peer."""
    base = [sys.executable, "-m", "checkin_lint", "lint", "--no-cache"]
    found: dict[str, dict[str, Any]] = {
        "checkin-lint --jobs 1": {"argv": base + ["--jobs", "1"], "ok": (0, 1)},
        "checkin-lint --jobs 2": {"argv": base + ["--jobs", "2"], "ok": (0, 1)},
    }
    for name, peer in peers.items():
        found[name] = {**peer, "ok": None, "peer": True}
    return found


def measure_tools(commands: dict[str, dict[str, Any]], corpus_dir: Path, files: list[Path], home: Path,
                  repeat: int) -> dict[str, Any]:
    """Wall time, CPU time and peak RSS of each command over the corpus, interleaved: in each of
    ``repeat`` rounds every tool runs once, in turn. Medians, and the median of the per-round
    ratios to the first command."""
    peer_env = dict(os.environ, HOME=str(home), NO_COLOR="1")  # no user config, no warm cache from earlier runs
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name, c in commands.items() if "argv" in c}
    for _ in range(repeat):
        for name in runs:
            command = commands[name]
            target = [str(f) for f in files] if command.get("files") else [str(corpus_dir)]
            runs[name].append(run_child(command["argv"] + target, env=peer_env if command.get("peer") else None,
                                        ok=command["ok"]))
    first = next(iter(runs))
    out: dict[str, Any] = {}
    for name, command in commands.items():
        if name not in runs:
            out[name] = command
            continue
        got = runs[name]
        out[name] = {"version": command.get("version", ""), "seconds": statistics.median(r[0] for r in got),
                     "cpu_seconds": statistics.median(r[2] for r in got), "peak_mb": max(r[1] for r in got),
                     "ratio": statistics.median(r[0] / f[0] for r, f in zip(got, runs[first])),
                     "rounds": len(got)}
    return out


def measure_draft(repeat: int, work: Path) -> dict[str, Any]:
    """One short draft, no cache of any kind, against spaCy's own start-up; alternating."""
    draft = work / "draft.txt"
    draft.write_text("Hi Dana,\n\nJust checking in to see if you had a chance to look at my last email.\n\nThanks,\nSam\n",
                     encoding="utf-8")
    floor, lint = [], []
    for i in range(repeat):
        floor.append(run_child([sys.executable, "-c", "import spacy; spacy.blank('en')"])[0])
        env = dict(_env(), CHECKIN_LINT_CACHE_DIR=str(work / f"cold-{i}"))
        lint.append(run_child([sys.executable, "-m", "checkin_lint", str(draft)], env=env)[0])
    ratios = [d / f for d, f in zip(lint, floor)]
    return {"floor_s": statistics.median(floor), "draft_s": statistics.median(lint), "ratio": statistics.median(ratios),
            "pairs": repeat, "ratios": " ".join(f"{r:.2f}" for r in ratios)}


def checkin_patterns() -> tuple[list[str], list[str]]:
    """The phrases and regexes of the built-in anti-pattern rules whose family makes an empty
    check-in (check-in, nudge, break-up, call-back, ...): what a prh dictionary should hold."""
    from checkin_lint.rules.loader import load_rules

    ruleset = load_rules()
    empty = [r for r in ruleset.rules if ruleset.families[r.family].empty]
    phrases = sorted({p.lower() for r in empty for p in r.patterns.phrases})
    regexes = sorted({x for r in empty for x in r.patterns.regex})
    return phrases, regexes


def prh_dictionary(node_dir: Path) -> tuple[str, str]:
    """A prh YAML dictionary of the check-in phrases and of every check-in regex that
    JavaScript accepts (checked with node), and a description of what it holds."""
    phrases, regexes = checkin_patterns()
    keep = (
        "const ps = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(ps.filter(p => { try { new RegExp(p, 'iu'); return true; } catch (e) { return false; } })));"
    )
    accepted = json.loads(subprocess.run(["node", "-e", keep], input=json.dumps(regexes), capture_output=True, text=True,
                                         cwd=node_dir, check=True).stdout)
    patterns = [re.sub(r"[.*+?^${}()|[\]\\/]", lambda m: "\\" + m.group(), p) for p in phrases]
    patterns += [p.replace("/", "\\/") for p in accepted]
    lines = ["version: 1", "rules:"]
    for i, pattern in enumerate(patterns):
        lines += [f"  - expected: {json.dumps(f'(check-in {i}: lead with value)')}",
                  f"    patterns: [{json.dumps('/' + pattern + '/i')}]"]  # prh adds the g, m and u flags itself
    what = f"{len(phrases)} check-in phrases and {len(accepted)} of {len(regexes)} check-in regexes"
    return "\n".join(lines) + "\n", what


def install_peers(where: Path) -> dict[str, Any]:
    """Install proselint (pip, own venv) and textlint + textlint-rule-prh (npm) under ``where``.
    Returns, per peer, the command prefix to run it or the reason it is missing."""
    peers: dict[str, Any] = {}
    venv = where / "proselint-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "proselint"], check=True, capture_output=True)
        version = subprocess.run([str(venv / "bin" / "proselint"), "version"], capture_output=True, text=True).stdout.strip()
        peers["proselint"] = {"argv": [str(venv / "bin" / "proselint"), "check"], "version": version}
    except (OSError, subprocess.CalledProcessError) as exc:
        peers["proselint"] = {"missing": f"pip install proselint failed: {exc}"}
    if not (shutil.which("node") and shutil.which("npm")):
        for name in ("textlint+prh", "write-good", "alex"):
            peers[name] = {"missing": "Node.js is not installed"}
        return peers
    npm_dir = where / "textlint"
    npm_dir.mkdir()
    try:
        subprocess.run(["npm", "install", "--prefix", str(npm_dir), "--no-audit", "--no-fund", "textlint", "textlint-rule-prh",
                        "write-good", "alex"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        peers["textlint+prh"] = {"missing": f"npm install textlint textlint-rule-prh write-good alex failed: {exc}"}
        return peers
    bin_dir = npm_dir / "node_modules" / ".bin"
    for name in ("write-good", "alex"):
        version = subprocess.run([str(bin_dir / name), "--version"], capture_output=True, text=True).stdout.strip()
        peers[name] = {"argv": [str(bin_dir / name)], "version": f"{name} {version}".strip(), "files": True}
    dictionary, holds = prh_dictionary(npm_dir)
    (npm_dir / "prh.yml").write_text(dictionary, encoding="utf-8")
    config = npm_dir / "textlintrc.json"
    config.write_text(json.dumps({"rules": {"prh": {"rulePaths": [str(npm_dir / "prh.yml")]}}}), encoding="utf-8")
    version = subprocess.run([str(npm_dir / "node_modules" / ".bin" / "textlint"), "--version"],
                             capture_output=True, text=True).stdout.strip()
    peers["textlint+prh"] = {"argv": [str(npm_dir / "node_modules" / ".bin" / "textlint"), "--config", str(config),
                                      "--format", "compact"],
                             "version": f"textlint {version}, prh dictionary of {holds}"}
    return peers


def memory_child(megabytes: int) -> None:
    """Stream a ``megabytes`` corpus through the linter; print peak RSS and string-store sizes."""
    from checkin_lint.document import Message, Source
    from checkin_lint.linter import Linter

    linter = Linter()
    strings = linter.nlp.vocab.strings
    ready_mb = peak_rss_mb()
    samples = [len(strings)]
    count = size = 0
    start = time.perf_counter()
    stream = (Message.whole(Source(f"m{i}", t)) for i, t in enumerate(_up_to(mail.messages(seed=11), megabytes * 1_000_000)))
    for report in linter.lint_messages(stream):
        count += 1
        size += len(report.message.text.encode("utf-8"))
        if count % 10_000 == 0:
            samples.append(len(strings))
    samples.append(len(strings))
    print(json.dumps({"megabytes": size / 1e6, "messages": count, "seconds": time.perf_counter() - start,
                      "ready_mb": ready_mb, "peak_mb": peak_rss_mb(),
                      "strings": samples}))


def _up_to(texts: Any, total_bytes: int) -> Any:
    """``texts`` until their UTF-8 size adds up to at least ``total_bytes``."""
    size = 0
    for text in texts:
        if size >= total_bytes:
            return
        size += len(text.encode("utf-8"))
        yield text


def measure_memory(megabytes: int) -> dict[str, Any]:
    """Run :func:`memory_child` in a fresh process and return what it reports."""
    done = subprocess.run([sys.executable, __file__, "--memory-child", str(megabytes)], env=_env(),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def machine() -> str:
    """CPU model, cores, memory, OS, Python and spaCy versions."""
    import spacy

    cpu = platform.processor() or platform.machine()
    try:
        model = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = model.group(1) if model else cpu
    except OSError:
        pass
    memory = ""
    try:
        total = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        memory = f", {int(total.group(1)) / 2**20:.0f} GiB RAM" if total else ""
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, spaCy {spacy.__version__}")


def report(results: dict[str, Any]) -> str:
    """The results as a Markdown block for the README."""
    lines = [
        f"Machine: {results['machine']}  ",
        f"Command: `{results['command']}`  ",
        f"Date: {results['date']}",
        "",
    ]
    if results["corpora"]:
        lines += ["| corpus (in process, CPU time) | messages | KB per message | floor messages/s | checkin-lint messages/s | "
                  "ms per message | share of floor |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, got in results["corpora"].items():
        n = got["messages"]
        share = got["floor_s"] / got["engine_s"]
        verdict = "" if name != "mail" else f" (target {FLOOR_SHARE_TARGET:.0%}: {'met' if share >= FLOOR_SHARE_TARGET else 'NOT met'})"
        lines.append(f"| {name} | {n:,} | {got['kb_per_message']:.2f} | {n / got['floor_s']:,.0f} | {n / got['engine_s']:,.0f} | "
                     f"{got['engine_s'] / n * 1000:.2f} | {share:.0%}{verdict} |")
    tools_ = results.get("tools")
    if tools_:
        n = results["corpora"]["mail"]["messages"]
        lines += ["", f"Same {n:,} mail files, one message per file, start-up included, interleaved, median of "
                      f"{next(iter(tools_.values())).get('rounds', 0)} rounds; checkin-lint run from "
                      f"{results.get('package', 'the checkout')}:", "",
                  "| tool | wall s | wall s per 1,000 messages | CPU s | ratio to checkin-lint --jobs 1 | peak RSS MB |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for name, got in tools_.items():
            if "seconds" not in got:
                lines.append(f"| {name} | not measured: {got.get('missing', '')} | | | | |")
                continue
            label = f"{name} ({got['version']})" if got.get("version") else name
            lines.append(f"| {label} | {got['seconds']:.2f} | {got['seconds'] / n * 1000:.2f} | {got['cpu_seconds']:.2f} | "
                         f"{got['ratio']:.2f} | {got['peak_mb']:.0f} |")
        faster = [name for name, got in tools_.items() if got.get("ratio", 9) < 1 and not name.startswith("checkin-lint")]
        lines.append("\nFaster than checkin-lint --jobs 1 on these files: " + (", ".join(faster) if faster else "none") + ".")
    draft = results.get("draft")
    if draft:
        lines.append(f"\nOne short draft, no cache of any kind, from {results.get('package', 'the checkout')}: "
                     f"{draft['draft_s']:.2f} s against {draft['floor_s']:.2f} s for "
                     f"`import spacy; spacy.blank('en')` (medians of {draft['pairs']} alternating pairs): median ratio "
                     f"{draft['ratio']:.2f}x, pairs {draft['ratios']} (target at most 1.3x: "
                     f"{'met' if draft['ratio'] <= 1.3 else 'NOT met'}).")
    if results.get("hyperscan_build_s") is not None:
        lines.append(f"\nPrefilter: {results['prefilter_engine']}; building its database took {results['hyperscan_build_s']:.1f} s "
                     "(once, stored for later runs).")
    mem = results.get("memory")
    if mem:
        verdict = "met" if mem["peak_mb"] < MEMORY_TARGET_MB else "NOT met"
        lines += ["", f"Memory: {mem['megabytes']:.0f} MB of mail ({mem['messages']:,} messages) streamed through the engine in "
                      f"{mem['seconds']:.0f} s: peak RSS {mem['peak_mb']:.0f} MB ({mem['ready_mb']:.0f} MB before the first message; "
                      f"target under {MEMORY_TARGET_MB} MB: {verdict}); spaCy string store "
                      f"{min(mem['strings'])}-{max(mem['strings'])} strings across the run."]
    return "\n".join(lines)


def read_texts(path: str) -> list[str]:
    """The ``text`` of every line of a JSON Lines file."""
    texts = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=3000, help="messages in each generated corpus (default 3000)")
    parser.add_argument("--texts", metavar="FILE", help="also measure on the 'text' of each line of this JSON Lines file")
    parser.add_argument("--memory-mb", type=int, default=100, help="size of the memory-run corpus in MB (default 100; 0 skips it)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per timing; the median is kept (default 5)")
    parser.add_argument("--no-peers", action="store_true", help="skip proselint, textlint, write-good and alex")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line runs over the files (checkin-lint and peers)")
    parser.add_argument("--draft-only", action="store_true", help="measure only the short draft (from the wheel)")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON instead of Markdown")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child is not None:
        memory_child(args.memory_child)
        return
    with tempfile.TemporaryDirectory(prefix="checkin-lint-bench-") as tmp:
        work = Path(tmp)
        os.environ["CHECKIN_LINT_CACHE_DIR"] = str(work / "cache")  # never the user's cache
        if args.draft_only:
            results = {"machine": machine(), "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
                       "date": datetime.date.today().isoformat(), "corpora": {}, "package": install_wheel(work)}
            results["draft"] = measure_draft(args.repeat, work)
            print(json.dumps(results, indent=2) if args.json else report(results))
            return
        corpora = {"mail": list(mail.messages(args.messages, seed=2026)),
                   "repetitive": list(corpus.messages(args.messages, seed=2026))}
        if args.texts:
            corpora[f"your texts ({Path(args.texts).name})"] = read_texts(args.texts)
        results: dict[str, Any] = {
            "machine": machine(),
            "command": "python benchmarks/run.py " + " ".join(sys.argv[1:]),
            "date": datetime.date.today().isoformat(),
            "corpora": {},
        }
        from checkin_lint.linter import Linter

        start = time.perf_counter()
        results["prefilter_engine"] = Linter().compiled.prepare_prefilter()  # stored for every later run
        results["hyperscan_build_s"] = time.perf_counter() - start if results["prefilter_engine"] == "hyperscan" else None
        for name, texts in corpora.items():
            got = measure_in_process(texts, args.repeat)
            got.update(messages=len(texts), kb_per_message=sum(len(t.encode("utf-8")) for t in texts) / len(texts) / 1000)
            results["corpora"][name] = got
        results["package"] = install_wheel(work)
        if not args.no_cli:
            files = write_files(work / "corpus", corpora["mail"])
            peers: dict[str, Any] = {}
            if not args.no_peers:
                peers = install_peers(work)
            home = work / "home"
            home.mkdir()
            results["tools"] = measure_tools(tools(peers), work / "corpus", files, home, args.repeat)
        results["draft"] = measure_draft(args.repeat, work)
        if args.memory_mb:
            results["memory"] = measure_memory(args.memory_mb)
    print(json.dumps(results, indent=2) if args.json else report(results))


if __name__ == "__main__":
    main()
