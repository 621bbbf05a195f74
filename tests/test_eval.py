"""``checkin-lint eval``: a team measures the linter on its own labelled mail.

Most stories run with a tiny rule set of their own (``--rules DIR --select t``), so the
expected confusion table is known exactly and does not move while the built-in rules grow.
The project's labelled set runs through the command too; there the test checks that the
numbers are consistent with each other and with linting each message on its own (the rate
thresholds themselves are the corpus test's business).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_lint.cli import main
from checkin_lint.evaluate import EXPECTED, LABELS, RATES, VERDICTS
from checkin_lint.linter import Linter

from helpers import anti_rule, signal_rule, write_rule

LABELLED = Path(__file__).parent / "data" / "labelled.jsonl"

# With the rules and the scoring table below: "checking in" is a check-in phrase (30 points
# off), "NN%" an insight (20 points, enough to count as value). Base score 40; below 30 is
# reject, from 50 pass.
ROWS = [
    {"id": "a", "kind": "email", "label": "checkin", "text": "Hi Ana,\n\nJust checking in.\n\nSam"},    # reject: right
    {"id": "b", "kind": "email", "label": "value", "text": "Churn fell 12% after the pilot."},         # pass: right
    {"id": "c", "kind": "sms", "label": "mixed", "text": "Checking in: churn fell 12% last quarter."},  # warn: right
    {"id": "d", "kind": "sms", "label": "checkin", "text": "Hello there, how are you?"},               # warn: missed
    {"id": "e", "kind": "email", "label": "value", "text": "Checking in, nothing new yet."},           # reject: wrong
]


UNIT_SCORING = "base: 40\nreject-below: 30\npass-from: 50\nvalue-min: 15\ndecay: 0.5\nslot-weight: 20\n"


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """The tiny rule set, and a configuration beside the labelled files naming a scoring
    table with every family at scale 1, so the numbers below do not move with the fit."""
    directory = tmp_path / "rules"
    write_rule(directory, "t/checkin", anti_rule(["checking in"]))
    write_rule(directory, "t/percent", signal_rule(r"\b\d+%"))
    (tmp_path / "unit-scoring.yml").write_text(UNIT_SCORING, encoding="utf-8")
    (tmp_path / ".checkin-lint.yaml").write_text("scoring: unit-scoring.yml\n", encoding="utf-8")
    return directory


def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["eval", *args], input=input)


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_text_report_shows_the_table_the_rates_and_what_went_wrong(tmp_path: Path, rules: Path) -> None:
    labelled = write_jsonl(tmp_path / "ours.jsonl", ROWS)
    result = run(str(labelled), "--rules", str(rules), "--select", "t")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(f"Evaluated 5 labelled messages from {labelled}\n")
    assert re.search(r"^checkin\s+1\s+1\s+0\s+2$", out, re.M)
    assert re.search(r"^value\s+1\s+0\s+1\s+2$", out, re.M)
    assert re.search(r"^mixed\s+0\s+1\s+0\s+1$", out, re.M)
    assert re.search(r"^empty check-ins rejected\s+50\.0%\s+\(1/2\)$", out, re.M)
    assert re.search(r"^value messages rejected\s+50\.0%\s+\(1/2\)$", out, re.M)
    assert re.search(r"^mixed messages rejected\s+0\.0%\s+\(0/1\)$", out, re.M)
    assert re.search(r"^mixed messages flagged \(warn or reject\)\s+100\.0%\s+\(1/1\)$", out, re.M)
    assert re.search(r"^  sms\s+2\s+0\.0% \(0/1\)\s+n/a \(0/0\)", out, re.M)
    assert "Misclassified: 2 of 5" in out
    assert "  d  checkin -> warn (score 40): no rule matched\n" in out
    assert "  e  value -> reject (score 10): -30 checkin (t/checkin)\n" in out
    assert "  a  " not in out


def test_json_report_for_machines(tmp_path: Path, rules: Path) -> None:
    labelled = write_jsonl(tmp_path / "ours.jsonl", ROWS)
    result = run(str(labelled), "--rules", str(rules), "--select", "t", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["messages"] == 5
    assert data["expected"] == EXPECTED
    assert data["confusion"] == {
        "checkin": {"reject": 1, "warn": 1, "pass": 0},
        "value": {"reject": 1, "warn": 0, "pass": 1},
        "mixed": {"reject": 0, "warn": 1, "pass": 0},
    }
    assert data["rates"]["checkin_rejected"] == {"description": "empty check-ins rejected", "rate": 0.5, "count": 1, "total": 2}
    assert data["rates"]["mixed_flagged"]["rate"] == 1.0
    assert data["group_by"] == "kind"
    assert data["by_group"]["sms"]["rates"]["value_rejected"]["rate"] is None
    assert [(m["id"], m["verdict"], m["expected"], m["where"]) for m in data["misclassified"]] == [
        ("d", "warn", "reject", f"{labelled}:4"),
        ("e", "reject", "pass", f"{labelled}:5"),
    ]
    assert data["misclassified"][1]["rules"] == ["t/checkin"]
    assert data["misclassified"][1]["decided_by"] == ["-30 checkin (t/checkin)"]
    assert data["errors"] == []


def test_the_configuration_applies_as_it_does_to_lint(tmp_path: Path, rules: Path) -> None:
    # Found next to the labelled file: the team's own rules directory and a higher bar.
    project = tmp_path / "project"
    project.mkdir()
    labelled = write_jsonl(project / "ours.jsonl", ROWS)
    (project / ".checkin-lint.yaml").write_text(f"rules: [{rules}]\nselect: [t]\nmin-score: 70\n"
                                                f"scoring: ../unit-scoring.yml\n", encoding="utf-8")
    data = json.loads(run(str(labelled), "--format", "json").stdout)
    # 60 points (base 40 + 20 for the figure) now falls short of 70: "b" is warned, not passed.
    assert data["confusion"]["value"] == {"reject": 1, "warn": 1, "pass": 0}
    # Named with --config from elsewhere, and overridden on the command line like lint.
    elsewhere = write_jsonl(tmp_path / "elsewhere.jsonl", ROWS)
    config = project / ".checkin-lint.yaml"
    data = json.loads(run(str(elsewhere), "--config", str(config), "--min-score", "50", "--format", "json").stdout)
    assert data["confusion"]["value"] == {"reject": 1, "warn": 0, "pass": 1}


def test_csv_with_named_columns_and_a_multi_line_message(tmp_path: Path, rules: Path) -> None:
    labelled = tmp_path / "crm-export.csv"
    labelled.write_text(
        'ref,body,truth\n'
        'r1,"Hi Ana,\n\nJust checking in.\n\nSam",checkin\n'
        'r2,Churn fell 12% after the pilot.,value\n'
        'r3,Checking in: churn fell 12%.,Mixed\n',
        encoding="utf-8",
    )
    result = run(str(labelled), "--rules", str(rules), "--select", "t", "--format", "json",
                 "--text-column", "body", "--label-column", "truth")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["messages"] == 3
    assert data["misclassified"] == []
    assert data["rates"]["checkin_rejected"]["count"] == 1


def test_bad_rows_are_reported_with_their_line_and_the_rest_is_measured(tmp_path: Path, rules: Path) -> None:
    labelled = tmp_path / "ours.csv"
    labelled.write_text(
        'id,text,label\n'
        '1,"Just\nchecking in.",checkin\n'   # lines 2-3
        '2,Churn fell 12%.,maybe\n'           # line 4: unknown label
        '3,,value\n'                          # line 5: no text
        '4,Churn fell 12%.,value\n',
        encoding="utf-8",
    )
    result = run(str(labelled), "--rules", str(rules), "--select", "t")
    assert result.exit_code == 2
    assert f"error: {labelled}:4: 'label' must be one of checkin, value, mixed, not 'maybe'" in result.stderr
    assert f"error: {labelled}:5: 'text' must be a non-empty string" in result.stderr
    assert "Evaluated 2 labelled messages" in result.stdout


def test_broken_json_lines_do_not_stop_the_run(tmp_path: Path, rules: Path) -> None:
    labelled = tmp_path / "ours.jsonl"
    labelled.write_text(
        json.dumps(ROWS[0]) + "\n\n{not json\n[1, 2]\n" + json.dumps({**ROWS[1], "id": "a"}) + "\n",
        encoding="utf-8",
    )
    result = run(str(labelled), "--rules", str(rules), "--select", "t")
    assert result.exit_code == 2
    assert f"{labelled}:3: not valid JSON" in result.stderr
    assert f"{labelled}:4: each line must be a JSON object with 'text' and 'label'" in result.stderr
    assert f"{labelled}:5: duplicate id 'a' (first at {labelled}:1)" in result.stderr
    assert "Evaluated 2 labelled messages" in result.stdout


def test_missing_column_names_the_columns_there_are(tmp_path: Path) -> None:
    labelled = tmp_path / "ours.csv"
    labelled.write_text("message,verdict\nJust checking in.,checkin\n", encoding="utf-8")
    result = run(str(labelled))
    assert result.exit_code == 2
    assert (f"{labelled}:1: no column 'text', 'label' in the header (columns: 'message', 'verdict'); "
            "name them with --text-column and --label-column") in result.stderr


def test_unreadable_and_missing_files_are_errors_not_crashes(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.jsonl"
    latin1.write_bytes(b'{"text": "caf\xe9", "label": "value"}\n')
    result = run(str(latin1), str(tmp_path / "nowhere.jsonl"))
    assert result.exit_code == 2
    assert f"{latin1}: not valid UTF-8" in result.stderr
    assert f"{tmp_path / 'nowhere.jsonl'}: cannot read" in result.stderr
    assert "Traceback" not in result.output


def test_standard_input_and_ids_defaulting_to_the_line(tmp_path: Path, rules: Path) -> None:
    rows = [{"label": r["label"], "text": r["text"]} for r in ROWS]
    stdin = "".join(json.dumps(r) + "\n" for r in rows)
    result = run("-", "--rules", str(rules), "--select", "t", "--format", "json", input=stdin)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["inputs"] == ["<stdin>"]
    assert [m["id"] for m in data["misclassified"]] == ["<stdin>:4", "<stdin>:5"]
    assert data["by_group"] == {}


def test_the_project_labelled_set_runs_through_eval_with_consistent_numbers(linter: Linter) -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = run(str(LABELLED), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["errors"] == []
    assert data["messages"] == len(rows)
    # The table adds up, row by row, to the labels in the file.
    for label in LABELS:
        assert sum(data["confusion"][label].values()) == sum(1 for r in rows if r["label"] == label)
    # Every rate is read off the table.
    for spec in RATES:
        rate = data["rates"][spec.key]
        row = data["confusion"][spec.label]
        assert (rate["count"], rate["total"]) == (sum(row[v] for v in spec.verdicts), sum(row.values()))
    # The per-kind tables add up to the whole.
    for label in LABELS:
        for verdict in VERDICTS:
            assert sum(k["confusion"][label][verdict] for k in data["by_group"].values()) == data["confusion"][label][verdict]
    # Linting each message on its own gives the same verdicts, so the same misclassified ids.
    verdicts = {r["id"]: linter.lint_text(r["text"]).verdict for r in rows}
    expected_wrong = [r["id"] for r in rows if verdicts[r["id"]] != EXPECTED[r["label"]]]
    assert [m["id"] for m in data["misclassified"]] == expected_wrong
    assert all(m["verdict"] == verdicts[m["id"]] for m in data["misclassified"])
    # The text report shows the same numbers.
    text = run(str(LABELLED)).stdout
    for spec in RATES:
        rate = data["rates"][spec.key]
        assert re.search(rf"^{re.escape(spec.description)}\s+\S+\s+\({rate['count']}/{rate['total']}\)$", text, re.M)
    assert f"Misclassified: {len(expected_wrong)} of {len(rows)}" in text


def test_group_by_a_source_field_and_where_filters(tmp_path: Path, rules: Path) -> None:
    """A team's export names each message's source; figures per repository or site, and only
    the messages both annotators agreed on."""
    sources = ["https://github.com/acme/playbooks/blob/HEAD/a.md", "acme/playbooks/b.md",
               "https://www.example.org/blog/post", "https://example.org/other", "acme/other-repo/c.md"]
    rows = [{**r, "source": s, "agreed": i != 3} for i, (r, s) in enumerate(zip(ROWS, sources))]
    labelled = write_jsonl(tmp_path / "ours.jsonl", rows)
    data = json.loads(run(str(labelled), "--rules", str(rules), "--select", "t", "--format", "json",
                          "--group-by", "source", "--where", "agreed=true").stdout)
    assert data["messages"] == 4 and data["group_by"] == "source"
    assert {g: v["messages"] for g, v in data["by_group"].items()} == {
        "github.com/acme/playbooks": 2, "example.org": 1, "github.com/acme/other-repo": 1}
    out = run(str(labelled), "--rules", str(rules), "--select", "t", "--group-by", "source").stdout
    assert re.search(r"^By source:$", out, re.M) and re.search(r"^  example\.org\s+2\s", out, re.M)


def test_a_malformed_where_is_a_usage_error(tmp_path: Path, rules: Path) -> None:
    labelled = write_jsonl(tmp_path / "ours.jsonl", ROWS)
    result = run(str(labelled), "--where", "agreed")
    assert result.exit_code == 2 and "FIELD=VALUE" in result.output


def test_group_key_reads_repositories_and_sites() -> None:
    from checkin_lint.evaluate import group_key

    assert group_key("https://github.com/Acme/Playbooks/blob/abc/x.md") == "github.com/acme/playbooks"
    assert group_key("acme/playbooks/sub/x.md") == "github.com/acme/playbooks"
    assert group_key("https://www.blog.example.com/a/b") == "blog.example.com"
    assert group_key("Team Wiki") == "team wiki"
