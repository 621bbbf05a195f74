"""Rules as data: the rule model, its strict schema, and the loader for rule directories.

Where rule files are is known here, so that the result cache can key on them without importing
the loader (which imports the prefilter, which stores its tables in the cache).
"""

from __future__ import annotations

from pathlib import Path

RULE_SUFFIXES = (".yml", ".yaml")
"""Suffixes of rule files."""


def builtin_rules_dir() -> Path:
    """The directory holding the built-in rules (inside the package, or the checkout's ``rules/``)."""
    packaged = Path(__file__).resolve().parent.parent / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"
