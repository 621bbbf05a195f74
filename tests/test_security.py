"""What checkin-lint promises about untrusted input, tested the way an attacker would try it.

* YAML (rule files, configuration, playbooks) is only ever loaded safely: a ``!!python/...``
  tag is refused with a one-line error and never executed, and an alias bomb ("billion
  laughs") is cut off at a fixed number of values instead of eating the machine.
* A user rule cannot hang the linter: a regex that nests quantifiers is rejected when the
  rule is loaded; one that still backtracks catastrophically is stopped by a per-message time
  limit at run time, and the run says which rule was cut short.
* Linting opens only the files it was pointed at (plus its own code and rules), and never
  reaches the network, whatever the input links to, includes or declares. Checked in a real
  subprocess with an audit hook (:func:`sys.addaudithook`) recording every file opened,
  every socket connection or name lookup, and every process started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import checkin_lint
from checkin_lint.cli import main
from checkin_lint.rules.loader import builtin_rules_dir

from helpers import anti_rule, signal_rule, write_rule

PYTHON_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/name:os.system",
    "!!python/module:os",
]

BILLION_LAUGHS = textwrap.dedent("""\
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
    """)


def invoke(*args: str, cwd: Path | None = None):  # type: ignore[no-untyped-def]
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


def draft(directory: Path) -> Path:
    path = directory / "draft.txt"
    path.write_text("Hi Sam,\n\nJust checking in.\n", encoding="utf-8")
    return path


# --- YAML is always loaded safely ---------------------------------------------------------


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tag_in_a_rule_file_is_refused_not_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    rules = tmp_path / "rules"
    write_rule(rules, "evil/tag", anti_rule(["checking in"]).replace("name: Test anti-pattern", "name: " + tag.format(marker=marker)))
    result = invoke("lint", "--rules", str(rules), str(draft(tmp_path)))
    assert result.exit_code == 2
    assert f"{rules / 'evil' / 'tag.yml'}:1:" in result.stderr
    assert "Traceback" not in result.output
    assert not marker.exists()


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tag_in_the_configuration_is_refused_not_run(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / ".checkin-lint.yaml").write_text(f"min-score: {tag.format(marker=marker)}\n", encoding="utf-8")
    result = invoke("lint", "--no-cache", str(draft(tmp_path)), cwd=tmp_path)
    assert result.exit_code == 2
    assert ".checkin-lint.yaml:1:" in result.stderr
    assert "Traceback" not in result.output
    assert not marker.exists()


@pytest.mark.parametrize("tag", PYTHON_TAGS)
def test_python_tag_in_a_playbook_is_an_input_error_not_code(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    playbook = tmp_path / "sequence.yaml"
    playbook.write_text(f"sequence: {tag.format(marker=marker)}\nsteps:\n  - body: Just checking in.\n", encoding="utf-8")
    other = draft(tmp_path)
    result = invoke("lint", "--no-cache", str(playbook), str(other))
    assert result.exit_code == 2
    assert f"{playbook}:1:" in result.stderr
    assert f"{other}:3:" in result.stdout            # the run went on with the other file
    assert not marker.exists()


def test_alias_bomb_in_a_rule_file_is_cut_off(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    write_rule(rules, "evil/laughs", BILLION_LAUGHS)
    result = invoke("rules", "--rules", str(rules))
    assert result.exit_code == 2
    assert "expands to more than" in result.stderr


def test_alias_bomb_in_the_configuration_is_cut_off(tmp_path: Path) -> None:
    (tmp_path / ".checkin-lint.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    result = invoke("lint", "--no-cache", str(draft(tmp_path)), cwd=tmp_path)
    assert result.exit_code == 2
    assert "expands to more than" in result.stderr


def test_alias_bomb_in_a_playbook_is_cut_off(tmp_path: Path) -> None:
    playbook = tmp_path / "laughs.yaml"
    playbook.write_text(BILLION_LAUGHS + "sequence: s\nsteps:\n  - body: Just checking in.\n", encoding="utf-8")
    result = invoke("lint", "--no-cache", str(playbook))
    assert result.exit_code == 2
    assert f"{playbook}:" in result.stderr and "expands to more than" in result.stderr


# --- user rules cannot hang the linter ----------------------------------------------------


@pytest.mark.parametrize("where, regex", [
    ("regex", r"(a+)+$"),
    ("regex", r"(\d*)*%"),
    ("unless", r"(?:x|y+)+z"),
])
def test_catastrophic_regex_is_rejected_when_the_rule_loads(tmp_path: Path, where: str, regex: str) -> None:
    rules = tmp_path / "rules"
    body = signal_rule(regex) if where == "regex" else anti_rule(["checking in"], extra=f"  unless: [{json.dumps(regex)}]")
    path = write_rule(rules, "user/slow", body)
    result = invoke("lint", "--no-cache", "--rules", str(rules), str(draft(tmp_path)))
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr and "catastrophic backtracking" in result.stderr


def test_a_regex_that_slips_past_the_check_is_bounded_at_run_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checkin_lint.engine.matching as matching

    monkeypatch.setattr(matching, "REGEX_TIMEOUT", 0.05)  # keep the test quick; the default is 0.25 s
    rules = tmp_path / "rules"
    write_rule(rules, "user/slow", signal_rule(r"(?:(?:a|b)*a){25}x"))  # no directly nested quantifier, still exponential
    victim = tmp_path / "victim.txt"
    # "ax" gets the regex past the RE2 prefilter; the run of a's then backtracks exponentially.
    victim.write_text("Just checking in. ax " + "a" * 400 + "\n", encoding="utf-8")
    result = invoke("lint", "--no-cache", "--rules", str(rules), str(victim))
    assert result.exit_code == 1                     # linted to the end: the check-in is still rejected
    assert "rule regexes hit the time limit and were skipped on some messages: user/slow" in result.output


# --- no file it was not pointed at, no network, no processes ------------------------------

PROBE = """
import json, os, sys
events = []
FORBIDDEN = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
             "socket.sendto", "socket.sendmsg", "urllib.Request", "http.client.connect", "ftplib.connect",
             "smtplib.connect", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork")

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        events.append(["open", os.path.abspath(os.fsdecode(args[0]))])
    elif event.startswith(FORBIDDEN):
        events.append([event, repr(args)[:300]])

sys.addaudithook(hook)
from checkin_lint.cli import main
code = 0
try:
    main(sys.argv[1:], prog_name="checkin-lint")
except SystemExit as exc:
    code = exc.code
report = {"code": code, "events": events, "prefixes": sorted({sys.prefix, sys.base_prefix, sys.exec_prefix})}
with open(os.environ["AUDIT_OUT"], "w") as handle:
    json.dump(report, handle)
"""


def hostile_inputs(directory: Path, secret: Path, marker: Path) -> list[Path]:
    """Inputs that link to, include or declare a file they must not make us read, an address
    they must not make us contact, or code they must not make us run."""
    s = secret.as_posix()
    files = {
        "links.md": f"Just checking in.\n\n![chart]({s})\n[report](file://{s})\n[x]: http://127.0.0.1:9/x\n"
                    f'<img src="file://{s}">\n{{% include "{s}" %}}\n',
        "page.html": f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{s}">]><html><head>'
                     f'<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><base href="file:///">'
                     f'<script src="http://127.0.0.1:9/x.js"></script></head><body>'
                     f'<p>Just checking in &xxe;</p><img src="file://{s}"><iframe src="{s}"></iframe></body></html>\n',
        "mail.eml": "From: a@example.com\nTo: b@example.com\nSubject: hi\nMIME-Version: 1.0\n"
                    'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n'
                    "Just checking in. See http://127.0.0.1:9/report\n--b\n"
                    f'Content-Type: message/external-body; access-type=local-file; name="{s}"\n\n'
                    f"Content-Type: text/plain\n\n--b--\n",
        "playbook.yaml": f"sequence: !!python/object/apply:os.system ['touch {marker.as_posix()}']\nsteps:\n  - body: hi\n",
        "include.yaml": f"sequence: s\nsteps:\n  - body: !include {s}\n",
        "ref.json": json.dumps({"sequence": "s", "steps": [{"body": "Just checking in.", "$ref": f"file://{s}"}]}),
        "rows.csv": f'body\n"=HYPERLINK(""http://127.0.0.1:9/"")"\n"Just checking in, {s}"\n',
        "draft.txt": f"Just checking in. The report is at file://{s} and http://127.0.0.1:9/r\n",
    }
    paths = []
    for name, text in files.items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def audited(args: list[str], cwd: Path, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    out = tmp_path / "audit.json"
    src = Path(checkin_lint.__file__).resolve().parents[1]
    env = dict(os.environ, AUDIT_OUT=str(out), PYTHONPATH=str(src), NO_COLOR="1",
               CHECKIN_LINT_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, str(probe), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    report["stdout"], report["stderr"] = done.stdout, done.stderr
    report["events"] = [e for e in report["events"] if e[1] != str(out)]
    return report


def unexpected_opens(report: dict, allowed: list[Path]) -> list[str]:  # type: ignore[type-arg]
    roots = [Path(p).resolve() for p in report["prefixes"]] + [p.resolve() for p in allowed]
    roots += [Path(checkin_lint.__file__).resolve().parent, builtin_rules_dir().resolve()]
    bad = []
    for kind, path in report["events"]:
        if kind != "open":
            continue
        resolved = Path(path).resolve()
        if not any(resolved == root or root in resolved.parents for root in roots):
            bad.append(path)
    return bad


def test_linting_opens_only_what_it_was_pointed_at_and_never_the_network(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-MARKER\n", encoding="utf-8")
    marker = tmp_path / "pwned"
    inputs = hostile_inputs(work, secret, marker)
    report = audited(["lint", "--format", "json", *[p.name for p in inputs]], work, tmp_path)
    assert report["code"] == 2                       # the YAML tag and the !include are input errors
    assert [e for e in report["events"] if e[0] != "open"] == []
    assert unexpected_opens(report, [*inputs, tmp_path / "cache"]) == []
    assert str(secret) not in {e[1] for e in report["events"]}
    assert "TOPSECRET-MARKER" not in report["stdout"] + report["stderr"]
    assert not marker.exists()
    linted = {f["path"] for f in json.loads(report["stdout"])["files"] if f["messages"]}
    assert {"links.md", "page.html", "mail.eml", "rows.csv", "draft.txt"} <= linted
    assert "ref.json:1:" in report["stderr"]       # "$ref" is an unknown step key, not a pointer to follow


def test_eval_reads_only_the_labelled_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-MARKER\n", encoding="utf-8")
    labelled = tmp_path / "labelled.jsonl"
    rows = [{"text": f"Just checking in, see file://{secret}", "label": "checkin"},
            {"text": "Churn fell 12% after the pilot: http://127.0.0.1:9/r", "label": "value", "$ref": str(secret)}]
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = audited(["eval", str(labelled)], tmp_path, tmp_path)
    assert report["code"] == 0
    assert [e for e in report["events"] if e[0] != "open"] == []
    assert unexpected_opens(report, [labelled, tmp_path / "cache"]) == []
