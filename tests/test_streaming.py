"""Streaming: a long file is linted one message at a time and its reports are written one at a
time, with the same output as when everything was held in memory.

No timing or memory figures here (``benchmarks/memory.py`` measures those): these tests check
the structure that keeps memory flat (messages read lazily, records spooled to disk, writers
that take one result at a time) and that the output is unchanged by it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import checkin_lint.inputs.csvfile as csvfile
import checkin_lint.linter as linter_module
import checkin_lint.report.spool as spool
from checkin_lint.cache import ResultCache
from checkin_lint.cli import main
from checkin_lint.document import Source
from checkin_lint.errors import Problem
from checkin_lint.escape import JsonList, dumps_json, write_json
from checkin_lint.fix import plan_fixes
from checkin_lint.linter import Linter
from checkin_lint.report import FileReport, RunReport
from checkin_lint.report import github, json_format, junit, sarif
from checkin_lint.report.record import MessageRecord
from checkin_lint.report.spool import RecordSpool
from checkin_lint.runner import lint_bytes, lint_document, stream_document

EMPTY = "Hi Dana,\n\nJust checking in on the proposal. Any updates?\n\nSam"
VALUE = "Hi Dana,\n\nTeams like yours cut onboarding by 30% after the pilot: https://example.com/pilot\n\nSam"
WEAK = "Hi Dana,\n\nSorry to bother you, I just wanted to share the pilot numbers: churn fell 12%."


def _csv(rows: int, *, short_row_at: int | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "body"])
    for i in range(rows):
        if i == short_row_at:
            out.write(f"{i}\n")
            continue
        writer.writerow([f"r{i}", [EMPTY, VALUE, WEAK][i % 3] + f"\n\nRef {i}"])
    return out.getvalue().encode()


def _records(linter: Linter, texts: list[str]) -> list[MessageRecord]:
    return [MessageRecord.from_report(r, plan_fixes(r, linter.ruleset)) for r in linter.lint_messages_from_texts(texts)]


# --- the spool -------------------------------------------------------------------------------


def test_spool_keeps_order_length_and_reads_twice_from_disk(linter: Linter) -> None:
    records = _records(linter, [EMPTY, VALUE, WEAK, EMPTY + " Again."])
    kept = RecordSpool(records, memory_records=1)
    assert kept.spilled and len(kept) == 4
    assert list(kept) == records and list(kept) == records  # every iteration reads the whole file
    assert kept[0] == records[0] and kept[3] == records[3] and kept[-1] == records[3]
    with pytest.raises(IndexError):
        kept[4]
    kept.append(records[0])
    assert len(kept) == 5 and list(kept)[-1] == records[0]
    assert kept == records + [records[0]]


def test_spool_below_its_memory_share_writes_no_file(linter: Linter) -> None:
    kept = RecordSpool(_records(linter, [EMPTY, VALUE]), memory_records=2)
    assert not kept.spilled and len(kept) == 2


def test_spool_file_is_removed_on_close_and_travels_by_path_when_pickled(linter: Linter) -> None:
    records = _records(linter, [EMPTY, VALUE, WEAK])
    kept = RecordSpool(records, memory_records=1)
    path = kept._path
    assert path is not None and os.path.exists(path)
    moved = pickle.loads(pickle.dumps(kept))  # as a worker process hands its report back
    assert list(moved) == records and moved._path == path
    moved.close()
    assert not os.path.exists(path) and len(moved) == 0


# --- JSON written item by item ----------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 5])
def test_write_json_is_dumps_json_of_the_whole_document(count: int) -> None:
    items = [{"text": f"item {i} \u202e", "nested": [i, {"deep": []}]} for i in range(count)]
    whole = {"a": 1, "files": [{"path": "p", "messages": items, "skipped": []}], "tail": [[], [1]]}
    lazy = {"a": 1, "files": JsonList(iter([{"path": "p", "messages": JsonList(iter(items)), "skipped": []}])),
            "tail": JsonList([JsonList([]), JsonList([1])])}
    out = io.StringIO()
    write_json(out, lazy)
    assert out.getvalue() == dumps_json(whole)
    assert json.loads(out.getvalue()) == whole


# --- the runner streams -----------------------------------------------------------------------


def test_first_report_comes_before_the_last_row_is_read(linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linter_module, "ZONE_MESSAGES", 4)  # batches of 4 messages
    read = []
    original = csvfile.new_words

    def counting(message: Any) -> Any:
        read.append(message)
        return original(message)

    monkeypatch.setattr(csvfile, "new_words", counting)
    raw = _csv(30)
    skipped: list[dict[str, Any]] = []
    document, reports = stream_document(linter, "export.csv", raw, skipped)
    first = next(reports)
    assert 0 < len(read) < 30, "the first report needed only the first batch of rows"
    rest = list(reports)
    assert len(read) == 30 and len(rest) == 29
    assert document.messages == []  # nothing kept: every message went by once
    _, whole, _ = lint_document(linter, "export.csv", raw)
    assert [r.to_dict() for r in [first, *rest]] == [r.to_dict() for r in whole]


def test_lint_bytes_spools_a_long_file_with_the_same_records(linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _csv(12)
    in_memory = lint_bytes(linter, "export.csv", raw)
    monkeypatch.setattr(spool, "MEMORY_RECORDS", 3)
    spooled = lint_bytes(linter, "export.csv", raw)
    assert isinstance(spooled.messages, RecordSpool) and spooled.messages.spilled
    assert list(spooled.messages) == list(in_memory.messages) and len(spooled.messages) == 12


def test_a_file_that_fails_mid_way_reports_the_error_and_no_messages(linter: Linter, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool, "MEMORY_RECORDS", 2)
    report = lint_bytes(linter, "export.csv", _csv(12, short_row_at=9))
    assert list(report.messages) == []
    assert [p.message for p in report.problems] == ["row 11 has 1 fields; the header has 2"]


def test_a_file_with_directives_is_finished_whole(linter: Linter) -> None:
    mbox = ("From a@example.com Mon Nov 30 09:00:00 2026\nSubject: one\n\n# checkin-lint: disable-file=checkin\n"
            f"{VALUE}\n\nFrom b@example.com Mon Nov 30 09:01:00 2026\nSubject: two\n\n{EMPTY}\n").encode()
    report = lint_bytes(linter, "archive.mbox", mbox)
    _, whole, _ = lint_document(linter, "archive.mbox", mbox)
    assert [m.to_dict() for m in report.messages] == [r.to_dict() for r in whole]
    assert not any(f.rule_id.startswith("checkin/") for m in report.messages for f in m.findings)  # the later message too


def test_a_directive_in_a_base64_body_is_found_before_streaming(linter: Linter) -> None:
    import base64

    hidden = base64.b64encode(f"# checkin-lint: disable-file=checkin\n{VALUE}\n".encode()).decode()
    mbox = (f"From a@example.com Mon Nov 30 09:00:00 2026\nSubject: one\n\n{EMPTY}\n\n"
            "From b@example.com Mon Nov 30 09:01:00 2026\nSubject: two\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            f"{hidden}\n").encode()
    report = lint_bytes(linter, "archive.mbox", mbox)
    _, whole, _ = lint_document(linter, "archive.mbox", mbox)
    assert len(report.messages) == 2
    assert [m.to_dict() for m in report.messages] == [r.to_dict() for r in whole]
    assert not any(f.rule_id.startswith("checkin/") for m in report.messages for f in m.findings)  # the earlier message too


def test_source_lines_are_the_split_lines() -> None:
    text = "a\r\nb\rc\n\nd"
    assert list(Source("x", text).lines) == re.split(r"\r\n|\r|\n", text)
    assert list(Source("x", "one\n").lines) == ["one", ""]


# --- every writer: the same bytes as the whole-document rendering -------------------------------


@pytest.fixture
def runs(linter: Linter) -> dict[str, RunReport]:
    records = _records(linter, [EMPTY, VALUE, WEAK, EMPTY, VALUE, WEAK, EMPTY])

    def run(*files: FileReport) -> RunReport:
        return RunReport(list(files), linter.ruleset)

    def spooled(items: list[MessageRecord]) -> RecordSpool:
        return RecordSpool(items, memory_records=1)

    return {
        "none": run(),
        "empty file": run(FileReport("empty.csv", messages=spooled([]))),
        "one": run(FileReport("one.csv", messages=spooled(records[:1]))),
        "many": run(FileReport("a.csv", messages=spooled(records)), FileReport("b.txt", messages=records[1:3])),
        "error mid-way": run(FileReport("a.csv", messages=spooled(records[:4])),
                             FileReport("bad.csv", problems=[Problem("bad.csv", "row 9 has 1 fields; the header has 2", 9)]),
                             FileReport("c.csv", messages=spooled(records[4:]))),
    }


@pytest.mark.parametrize("case", ["none", "empty file", "one", "many", "error mid-way"])
def test_json_and_sarif_are_written_as_their_whole_documents(runs: dict[str, RunReport], case: str) -> None:
    run = runs[case]
    for module in (json_format, sarif):
        out = io.StringIO()
        module.render(run, out)
        assert out.getvalue() == dumps_json(module.as_dict(run)) + "\n"
        json.loads(out.getvalue())


@pytest.mark.parametrize("case", ["none", "empty file", "one", "many", "error mid-way"])
def test_junit_is_written_as_elementtree_lays_out_the_whole_tree(runs: dict[str, RunReport], case: str) -> None:
    run = runs[case]
    root = junit.as_element(run)
    ET.indent(root)
    expected = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    out = io.StringIO()
    junit.render(run, out)
    assert out.getvalue() == expected
    ET.fromstring(out.getvalue().split("\n", 1)[1])


def _github_by_sorting(run: RunReport, limit: int) -> str:
    """GitHub annotations chosen by sorting every annotation of the run (no bounded heap)."""
    files = [list(github._annotations(f)) for f in run.files]
    total = sum(len(found) for found in files)
    notices = run.notices[:limit - 1]

    def shown_for(budget: dict[str, int]) -> set[tuple[int, int]]:
        rank = []
        for i, found in enumerate(files):
            seen: dict[str, int] = {}
            for j, (level, _, _) in enumerate(found):
                rank.append((seen.get(level, 0), i, j))
                seen[level] = seen.get(level, 0) + 1
        left, shown = dict(budget), set()
        for _, i, j in sorted(rank):
            if left[files[i][j][0]] > 0:
                left[files[i][j][0]] -= 1
                shown.add((i, j))
        return shown

    budget = {"error": limit, "warning": limit, "notice": limit - len(notices)}
    shown = shown_for(budget)
    if len(shown) < total:
        budget["notice"] -= 1
        shown = shown_for(budget)
    out = "".join(github.command("notice", n, title="checkin-lint") for n in notices)
    out += "".join(line if (i, j) in shown else plain for i, found in enumerate(files) for j, (_, line, plain) in enumerate(found))
    if len(shown) < total:
        out += github.command("notice", f"{total - len(shown)} of {total} annotations are plain log lines: GitHub shows "
                                        f"{limit} of each level per step. The step's log and job summary list them all.",
                              title="checkin-lint: more findings")
    return out


@pytest.mark.parametrize("limit", [1, 2, 3, 10])
@pytest.mark.parametrize("case", ["none", "one", "many", "error mid-way"])
def test_github_bounded_choice_matches_sorting_everything(runs: dict[str, RunReport], case: str, limit: int) -> None:
    run = runs[case]
    out = io.StringIO()
    github.render(run, out, limit=limit)
    assert out.getvalue().rsplit("Summary:", 1)[0] == _github_by_sorting(run, limit)


def test_github_heap_keeps_at_most_the_budget(runs: dict[str, RunReport]) -> None:
    shown, total = github._shown(runs["many"], {"error": 2, "warning": 2, "notice": 2})
    assert total > 6 and len(shown) <= 6


# --- the command line -----------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["lint", "--cache-dir", str(tmp_path / "cache"), *args], catch_exceptions=False)


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_cli_output_is_the_same_when_records_spill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str) -> None:
    (tmp_path / "export.csv").write_bytes(_csv(9))
    (tmp_path / "bad.csv").write_bytes(_csv(6, short_row_at=4))
    monkeypatch.chdir(tmp_path)
    args = ["--no-cache", "--format", output_format, "export.csv", "bad.csv"]
    whole = _cli(tmp_path, *args)
    monkeypatch.setattr(spool, "MEMORY_RECORDS", 2)
    spilled = _cli(tmp_path, *args)
    assert spilled.exit_code == whole.exit_code == 2
    assert spilled.stdout == whole.stdout
    document = json.loads(spilled.stdout)
    if output_format == "json":
        assert [len(f["messages"]) for f in document["files"]] == [9, 0]
        assert document["summary"]["messages"] == 9 and document["summary"]["errors"] == 1


def test_a_file_whose_records_spill_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "export.csv").write_bytes(_csv(6))
    (tmp_path / "small.csv").write_bytes(_csv(2))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(spool, "MEMORY_RECORDS", 3)
    stored: list[int] = []
    put = ResultCache.put

    def spy(self: ResultCache, key: str, payload: dict[str, Any]) -> None:
        stored.append(len(payload["messages"]))
        put(self, key, payload)

    monkeypatch.setattr(ResultCache, "put", spy)
    first = _cli(tmp_path, "--format", "json", "export.csv", "small.csv")
    assert stored == [2]  # small.csv only
    again = _cli(tmp_path, "--format", "json", "export.csv", "small.csv")
    assert stored == [2]  # small.csv came from the cache; export.csv was linted again and not stored
    assert again.stdout == first.stdout


def test_output_file_gets_the_streamed_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "export.csv").write_bytes(_csv(5))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(spool, "MEMORY_RECORDS", 2)
    shown = _cli(tmp_path, "--no-cache", "--format", "sarif", "export.csv")
    written = _cli(tmp_path, "--no-cache", "--format", "sarif", "-o", "report.sarif", "export.csv")
    assert written.exit_code == shown.exit_code == 1
    assert (tmp_path / "report.sarif").read_text(encoding="utf-8") == shown.stdout


def test_records_spooled_in_worker_processes_come_back_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checkin_lint.parallel as parallel

    (tmp_path / "a.csv").write_bytes(_csv(7))
    (tmp_path / "b.csv").write_bytes(_csv(5))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(spool, "MEMORY_RECORDS", 2)  # inherited by the forked workers
    monkeypatch.setattr(parallel, "MIN_PARALLEL_BYTES", 0)  # fork even for two small files
    one = _cli(tmp_path, "--no-cache", "--format", "json", "a.csv", "b.csv")
    two = _cli(tmp_path, "--no-cache", "--format", "json", "--jobs", "2", "a.csv", "b.csv")
    assert "by 2 processes" in two.stderr
    assert two.stdout == one.stdout
    assert [len(f["messages"]) for f in json.loads(two.stdout)["files"]] == [7, 5]
