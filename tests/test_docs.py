"""The per-rule reference pages in docs/rules/ are generated from the rules and the built-in
checks, and the committed pages match what the generator writes today."""

from __future__ import annotations

from pathlib import Path

from checkin_lint.checks import CHECKS
from checkin_lint.rules.loader import load_rules
from helpers import docs_generator

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_and_check_has_an_up_to_date_reference_page() -> None:
    generator = docs_generator()
    expected = generator.pages()
    ids = [r.id for r in load_rules().rules] + list(CHECKS)
    assert {p.relative_to(generator.RULES).as_posix() for p in expected} == {f"{i}.md" for i in ids} | {"README.md"}
    out_of_date = [str(p.relative_to(ROOT)) for p in generator.stale(expected)]
    assert out_of_date == [], "run 'python docs/generate.py' to regenerate: " + ", ".join(out_of_date)


def test_sarif_lists_every_rule_and_check_with_a_help_uri_to_its_page(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from checkin_lint.cli import main

    draft = tmp_path / "draft.txt"
    draft.write_text("Just checking in.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "sarif", str(draft)])
    rules = {r["id"]: r for r in json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    ids = [r.id for r in load_rules().rules] + list(CHECKS)
    assert set(ids) <= set(rules)
    for rule_id in ids:
        uri = rules[rule_id]["helpUri"]
        assert uri.endswith(f"/docs/rules/{rule_id}.md")
        assert (ROOT / "docs" / "rules" / f"{rule_id}.md").is_file()


def test_the_quick_start_output_in_readme_is_what_the_command_prints(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """README shows the first command's output; a refit or a rule change must update it."""
    from click.testing import CliRunner

    from checkin_lint.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    prompt = "```text\n$ checkin-lint examples/draft-email.txt\n"
    start = readme.index(prompt) + len(prompt)
    shown = readme[start:readme.index("```\n", start)]
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["--no-cache", "examples/draft-email.txt"])
    assert result.exit_code == 1
    assert result.stdout == shown, "update README's Quick start sample with the command's output"
