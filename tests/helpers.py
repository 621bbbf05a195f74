"""Test helpers: write rule files into temporary rule directories; load the docs generator."""

from __future__ import annotations

import importlib.util
import json
import textwrap
from pathlib import Path
from types import ModuleType


def write_rule(directory: Path, rule_id: str, body: str) -> Path:
    """Write ``body`` (dedented YAML) as the rule ``rule_id`` below ``directory``."""
    path = directory / f"{rule_id}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def anti_rule(phrases: list[str], *, family: str = "checkin", weight: int = 30, extra: str = "") -> str:
    """A minimal valid anti-pattern rule matching ``phrases``."""
    items = "\n".join(f"    - {p!r}" for p in phrases)
    return f"""
name: Test anti-pattern
kind: anti-pattern
family: {family}
weight: {weight}
message: "'{{match}}' is filler."
suggestion: Say something useful.
patterns:
  phrases:
{items}
{extra}
examples:
  match: [{phrases[0]!r}]
  no_match: ["nothing here"]
"""


def signal_rule(regex: str, *, family: str = "insight", weight: int = 20) -> str:
    """A minimal valid signal rule matching ``regex``."""
    return f"""
name: Test signal
kind: signal
family: {family}
weight: {weight}
message: "'{{match}}' is useful."
suggestion: Keep it.
patterns:
  regex: [{json.dumps(regex)}]
examples:
  match: ["x"]
  no_match: ["y"]
"""


def docs_generator() -> ModuleType:
    """``docs/generate.py`` loaded as a module (it is a script, not part of the package)."""
    path = Path(__file__).resolve().parents[1] / "docs" / "generate.py"
    spec = importlib.util.spec_from_file_location("generate_docs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
