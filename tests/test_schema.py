"""The JSON Schemas in docs/schema/ are generated from one declaration (checkin_lint.schemas),
the committed files are what the generator writes today, every shipped rule file, table and
example configuration validates against them, and they reject what the validators reject."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from checkin_lint.config import load_config
from checkin_lint.errors import ConfigError
from checkin_lint.schemas import FILES, declared_keys
from helpers import docs_generator

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "schema"


def _validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMA / FILES[name]).read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _errors(name: str, data: object) -> list[str]:
    return [e.message for e in _validator(name).iter_errors(data)]


def test_the_committed_schemas_are_the_generated_ones() -> None:
    generator = docs_generator()
    expected = generator.schema_files()
    assert {p.name for p in expected} == set(FILES.values())
    out_of_date = [p.name for p in generator.stale(expected)]
    assert out_of_date == [], "run 'python docs/generate.py' to regenerate: " + ", ".join(out_of_date)


def test_the_models_declare_exactly_the_keys_the_validators_accept() -> None:
    for table, (declared, accepted) in declared_keys().items():
        assert declared == accepted, table


def test_every_shipped_rule_file_and_table_validates() -> None:
    rules = ROOT / "rules"
    files = sorted(p for p in rules.rglob("*.yml") if p.name not in ("families.yml", "scoring.yml"))
    assert len(files) > 50
    for path in files:
        assert _errors("rule", yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path
    assert _errors("families", yaml.safe_load((rules / "families.yml").read_text(encoding="utf-8"))) == []
    assert _errors("scoring", yaml.safe_load((rules / "scoring.yml").read_text(encoding="utf-8"))) == []


def _readme_configuration() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Configuration"):]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_example_configurations_validate(tmp_path: Path) -> None:
    text = _readme_configuration()
    assert _errors("config", yaml.safe_load(text)) == []
    (tmp_path / "base.yaml").write_text("ignore: [tone]\n", encoding="utf-8")
    (tmp_path / "team").mkdir()
    (tmp_path / "team-rules").mkdir()
    (tmp_path / "scoring.yml").write_text((ROOT / "rules" / "scoring.yml").read_text(encoding="utf-8"), encoding="utf-8")
    config = tmp_path / "team" / ".checkin-lint.yaml"
    config.write_text(text.replace("team-rules/", "../team-rules/").replace("scoring.yml", "../scoring.yml"),
                      encoding="utf-8")
    load_config(config)  # the validator accepts it too


@pytest.mark.parametrize("text", [
    "selct: [checkin]\n",
    "min-score: 120\n",
    "fail-on: sometimes\n",
    "language: fr\n",
    "cadence: {min-gap-days: -1}\n",
    "csv: {colum: Body}\n",
    "severity: {checkin: loud}\n",
    "formats: {'*.txt': word}\n",
])
def test_the_schema_rejects_what_the_validator_rejects(tmp_path: Path, text: str) -> None:
    path = tmp_path / ".checkin-lint.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)
    assert _errors("config", yaml.safe_load(text))


@pytest.mark.parametrize("change", [
    {"kind": "hint"}, {"family": "no-such-family"}, {"weight": 0}, {"weight": 99}, {"colour": "red"},
    {"patterns": {}}, {"patterns": {"tokens": [[{"SHOUT": "hi"}]]}}, {"examples": {"match": ["x"]}},
    {"fix": {"action": "rewrite"}},
])
def test_a_broken_rule_fails_the_schema(change: dict) -> None:  # type: ignore[type-arg]
    rule = yaml.safe_load((ROOT / "rules" / "checkin" / "touching-base.yml").read_text(encoding="utf-8"))
    assert _errors("rule", rule) == []
    rule.update(change)
    assert _errors("rule", rule)
