"""JSON Schemas for editors: the configuration (``.checkin-lint.yaml``, ``[tool.checkin-lint]``),
rule files (``rules/**/*.yml``), the family table (``families.yml``) and the scoring table
(``scoring.yml``).

One declaration: the pydantic models below, whose key names, enumerations and bounds are the
validators' own (:mod:`checkin_lint.config`, :mod:`checkin_lint.rules.schema`), so a key
added there appears here (the tests check that both name the same keys). The validators stay
the source of the error messages users see (one line, naming the file, line and key); these
models give editors completion, hover text and a first check as you type. The schemas are
written to ``docs/schema/`` by ``python docs/generate.py`` and compared with the committed
files by the tests. Imported only to generate them (pydantic is not imported by a lint run).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.json_schema import GenerateJsonSchema

from checkin_lint.config import CADENCE_KEYS, CSV_KEYS, KEYS
from checkin_lint.inputs import READERS
from checkin_lint.language import LANGUAGES
from checkin_lint.rules.model import SEVERITIES
from checkin_lint.rules.schema import (
    BLANK_ATTRS, EXAMPLE_KEYS, FAMILY_KEYS, FIX_ACTIONS, FIX_WHEN, KINDS, MAX_WEIGHT, MODEL_ATTRS, PATTERN_KEYS,
    RULE_KEYS, SCORING_INTS, SCORING_KEYS,
)
from checkin_lint.scoring import FAIL_LEVELS

SCHEMA_BASE = "http://json-schema.org/draft-07/schema#"
"""The draft the schemas declare: draft 7, the newest the YAML language server reads (the
pydantic output uses no keyword a draft-7 validator does not know)."""
FILES = {
    "config": "checkin-lint.schema.json",
    "rule": "rule.schema.json",
    "families": "families.schema.json",
    "scoring": "scoring.schema.json",
}
"""Schema name -> file name under ``docs/schema/``."""


def _enum(values: Any) -> Any:
    """``Literal[...]`` of ``values`` (the validators' tuples)."""
    return Literal[tuple(values)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


Strings = Union[str, list[str]]
"""A list of strings; a single string is read as a list of one."""


class Csv(_Strict):
    """CSV inputs: which columns hold the body, the subject and an id."""

    column: Optional[str] = Field(None, min_length=1, description="The column holding the message body.")
    subject_column: Optional[str] = Field(None, alias="subject-column", min_length=1, description="The subject column, linted with the body.")
    id_column: Optional[str] = Field(None, alias="id-column", min_length=1, description="A column that names each row in the report.")


class Cadence(_Strict):
    """Playbook cadence thresholds, in days."""

    min_gap_days: Optional[int] = Field(None, alias="min-gap-days", ge=0, description="Least days between two touches (default 2).")
    checkup_min_days: Optional[int] = Field(None, alias="checkup-min-days", ge=0, description="Earliest relationship check-up after the previous touch (default 28).")
    checkup_max_days: Optional[int] = Field(None, alias="checkup-max-days", ge=0, description="Latest relationship check-up after the previous touch (default 42).")


Severity = _enum(SEVERITIES)


class Configuration(_Strict):
    """checkin-lint configuration: `.checkin-lint.yaml`, or `[tool.checkin-lint]` in pyproject.toml."""

    extend: Optional[str] = Field(None, min_length=1, description="Another configuration file read first; this file's keys go on top of it.")
    select: Optional[Strings] = Field(None, description="Rule ids or prefixes to lint with (default: all).")
    extend_select: Optional[Strings] = Field(None, alias="extend-select", description="Rule ids or prefixes added to the selection.")
    ignore: Optional[Strings] = Field(None, description="Rule ids or prefixes never reported.")
    per_file_ignores: Optional[dict[str, Strings]] = Field(None, alias="per-file-ignores", description="Glob -> rule ids or prefixes ignored in the files it matches.")
    severity: Optional[dict[str, Severity]] = Field(None, description="Rule id or prefix -> the severity its findings are reported with.")  # type: ignore[valid-type]
    rules: Optional[Strings] = Field(None, description="Extra rule directories, relative to this file.")
    scoring: Optional[str] = Field(None, min_length=1, description="A scoring table (see checkin-lint calibrate), relative to this file.")
    min_score: Optional[int] = Field(None, alias="min-score", ge=0, le=100, description="A message scoring below this gets at least a warning.")
    fail_on: Optional[_enum(FAIL_LEVELS)] = Field(None, alias="fail-on", description="Lowest verdict that makes the exit code 1.")  # type: ignore[valid-type]
    model: Optional[str] = Field(None, min_length=1, description="A trained spaCy pipeline (package name or path) for rules that need POS/DEP.")
    exclude: Optional[Strings] = Field(None, description="Globs (gitignore style) of files never linted.")
    max_file_size: Optional[int] = Field(None, alias="max-file-size", ge=1, description="Largest input file, in bytes.")
    script_speakers: Optional[Strings] = Field(None, alias="script-speakers", description="Speaker labels of the sender in call scripts.")
    formats: Optional[dict[str, _enum(READERS)]] = Field(None, description="Glob -> the input format of the files it matches.")  # type: ignore[valid-type]
    csv: Optional[Csv] = None
    cadence: Optional[Cadence] = None
    markdown_fences: Optional[list[str]] = Field(None, alias="markdown-fences", description='Fenced-block languages that hold templates ("" for a block without one).')
    language: Optional[_enum(LANGUAGES)] = Field(None, description="auto: skip messages not in English; en: lint every message.")  # type: ignore[valid-type]


NonEmptyStrings = list[str]
TokenSpec = dict[_enum(sorted(BLANK_ATTRS | MODEL_ATTRS)), Any]  # type: ignore[misc]


class Fix(_Strict):
    """How the rule's finding can be fixed."""

    action: _enum(FIX_ACTIONS) = Field(description="delete-match removes the matched words; delete-sentence the sentence.")  # type: ignore[valid-type]
    safe: Optional[bool] = Field(None, description="Whether --fix applies it (default false: a suggestion only).")
    when: Optional[_enum(FIX_WHEN)] = Field(None, description="value-present: only in a message that carries a value signal elsewhere.")  # type: ignore[valid-type]


class Patterns(_Strict):
    """What the rule matches (at least one of phrases, tokens, regex, model)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "anyOf": [{"required": [key]} for key in ("phrases", "tokens", "regex", "model")]})

    phrases: Optional[NonEmptyStrings] = Field(None, min_length=1, description="Phrases matched case-insensitively, token by token.")
    tokens: Optional[list[list[TokenSpec]]] = Field(None, min_length=1, description="spaCy token patterns (blank pipeline attributes).")
    regex: Optional[NonEmptyStrings] = Field(None, min_length=1, description="Regular expressions (the regex module, case-insensitive, run under a time limit).")
    model: Optional[list[list[TokenSpec]]] = Field(None, min_length=1, description="Token patterns that need a trained pipeline (POS, DEP ...).")
    unless: Optional[NonEmptyStrings] = Field(None, min_length=1, description="Regexes that cancel a match in the same sentence.")


class FixedPair(_Strict):
    """A message before and after the rule's fix."""

    before: str
    after: str


class Examples(_Strict):
    """The rule proves itself: texts that must match, must not match, and fix as shown."""

    match: NonEmptyStrings = Field(min_length=1)
    no_match: NonEmptyStrings = Field(min_length=1)
    fixed: Optional[list[FixedPair]] = Field(None, min_length=1)


def rule_model(families: list[str]) -> type[BaseModel]:
    """The model of a rule file; ``family`` is one of ``families`` (the family table's names)."""
    return create_model(
        "Rule",
        __config__=ConfigDict(extra="forbid", title="checkin-lint rule"),
        __doc__="One checkin-lint rule (rules/<family>/<name>.yml): the rule id is the file's path.",
        name=(str, Field(min_length=1, description="A readable name.")),
        kind=(_enum(KINDS), Field(description="anti-pattern takes points away; signal adds them.")),
        family=(_enum(families), Field(description="The family in families.yml (its kind must be the rule's).")),
        severity=(Optional[Severity], Field(None, description="Default: warning for anti-patterns, info for signals.")),
        weight=(int, Field(ge=1, le=MAX_WEIGHT, description="Points the rule's first hit is worth.")),
        message=(str, Field(min_length=1, description="What the finding says; {match} is the matched text.")),
        rationale=(Optional[str], Field(None, description="Why the rule exists.")),
        suggestion=(str, Field(min_length=1, description="What to write instead.")),
        fix=(Optional[Fix], None),
        patterns=(Patterns, ...),
        examples=(Examples, ...),
    )


class Family(_Strict):
    """One family of rules."""

    kind: _enum(KINDS)  # type: ignore[valid-type]
    title: str = Field(description="How reports name the family.")
    cap: int = Field(ge=1, description="The most points the family adds or takes away in one message.")
    empty: Optional[bool] = Field(None, description="(anti-patterns) this phrasing alone is an empty check-in.")
    supporting: Optional[bool] = Field(None, description="(signals) adds only to a message that already carries value.")
    slot: Optional[str] = Field(None, description="(signals) the placeholder a rewrite proposes for this signal.")
    fields: Optional[NonEmptyStrings] = Field(None, min_length=1, description="(signals) merge-field name words that hold this signal.")
    not_fields: Optional[NonEmptyStrings] = Field(None, alias="not-fields", min_length=1, description="(signals) merge-field name words that veto it.")
    not_after: Optional[NonEmptyStrings] = Field(None, alias="not-after", min_length=1, description="(signals) words that veto it when among the three just before a merge field.")


class FamilyTable(_Strict):
    """The family table (families.yml)."""

    model_config = ConfigDict(extra="forbid", title="checkin-lint family table")
    families: dict[str, Family]


def scoring_model(families: list[str]) -> type[BaseModel]:
    """The model of a scoring table; ``scale`` and ``after-value`` take the names in ``families``."""
    fields: dict[str, Any] = {
        key.replace("-", "_"): (int, Field(alias=key, ge=low, le=high)) for key, (low, high) in SCORING_INTS.items()
    }
    factor = Annotated[float, Field(ge=0, le=10)]
    family = _enum(families)
    fields["decay"] = (float, Field(ge=0, le=1, description="Each further hit of a family counts this fraction of the one before."))
    fields["scale"] = (Optional[dict[family, factor]], Field(None, description="Per family, the factor its points are multiplied by (1.0 if absent)."))  # type: ignore[valid-type]
    fields["after_value"] = (Optional[dict[family, factor]], Field(None, alias="after-value", description="Per anti-pattern family, the factor after the first value signal."))  # type: ignore[valid-type]
    fields["opening_filler"] = (Optional[list[family]], Field(None, alias="opening-filler", description="Anti-pattern families whose hit before the first value signal keeps a message from passing."))  # type: ignore[valid-type]
    return create_model("Scoring", __config__=ConfigDict(extra="forbid", title="checkin-lint scoring table", populate_by_name=True),
                        __doc__="A scoring table (scoring.yml, or the file `scoring:` names).", **fields)


def models(families: list[str]) -> dict[str, type[BaseModel]]:
    """Schema name (:data:`FILES`) -> its model, for the given family names."""
    return {"config": Configuration, "rule": rule_model(families), "families": FamilyTable,
            "scoring": scoring_model(families)}


class _Generator(GenerateJsonSchema):
    """An optional key is left out, never written as null: the schema says so too."""

    def nullable_schema(self, schema: Any) -> Any:
        """The schema of the value without its ``null`` alternative."""
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: Any) -> Any:
        """No ``"default": null`` for an optional key."""
        out = super().default_schema(schema)
        if out.get("default", ...) is None:
            del out["default"]
        return out


def schemas(families: list[str]) -> dict[str, dict[str, Any]]:
    """Schema name -> its JSON Schema (draft 7), for the given family names."""
    out = {}
    for name, model in models(families).items():
        schema = model.model_json_schema(by_alias=True, schema_generator=_Generator, ref_template="#/definitions/{model}")
        if "$defs" in schema:
            schema["definitions"] = schema.pop("$defs")  # draft 7's name for them
        out[name] = {"$schema": SCHEMA_BASE, **schema}
    return out


def declared_keys() -> dict[str, tuple[set[str], set[str]]]:
    """For each table: (keys the models declare, keys the validators accept), for the tests."""
    def aliases(model: type[BaseModel]) -> set[str]:
        return {f.alias or name for name, f in model.model_fields.items()}

    rule = rule_model(["x"])
    return {
        "config": (aliases(Configuration), set(KEYS)),
        "csv": (aliases(Csv), set(CSV_KEYS)),
        "cadence": (aliases(Cadence), set(CADENCE_KEYS)),
        "rule": (aliases(rule), set(RULE_KEYS)),
        "patterns": (aliases(Patterns), set(PATTERN_KEYS)),
        "examples": (aliases(Examples), set(EXAMPLE_KEYS)),
        "family": (aliases(Family), set(FAMILY_KEYS)),
        "scoring": (aliases(scoring_model(["x"])), set(SCORING_KEYS)),
    }
