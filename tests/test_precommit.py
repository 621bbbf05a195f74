"""The pre-commit hooks, for real: a template repository uses this checkout's hooks, and a
commit holding an empty check-in is blocked while a value-first template goes through.

pre-commit installs the hook the way a user's machine does: it clones the hook repository
at a commit and pip-installs it (and spaCy) from PyPI into its own environment. That takes a
while the first time, hence the ``slow`` mark; CI runs it. The hook repository is a snapshot
of this working tree (package, rules, hooks file) committed into a temporary git repository,
so the test runs the code under test, committed or not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "src", "rules")
EMPTY = "Hi {{first_name}},\n\nJust checking in to see if you had a chance to look at my last email.\n\nThanks,\nSam\n"
VALUE = "Hi {{first_name}},\n\nTeams like {{company}} cut onboarding time by 30% after moving approvals to one queue.\n" \
        "Would Tuesday at 10am work to walk through the numbers?\n\nSam\n"
FIXABLE = "Hi {{first_name}},\n\nI just wanted to share the benchmark: teams like yours cut onboarding time by 30%.\n\nSam\n"

pytestmark = pytest.mark.slow


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
                           *args], cwd=cwd, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree's package and hooks, committed into a fresh repository: (path, commit)."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    assert git(repo, "commit", "-q", "-m", "snapshot").returncode == 0
    return repo, git(repo, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's own cache (hook environments), shared by the tests of this module."""
    return tmp_path_factory.mktemp("pre-commit-home")


def template_repo(path: Path, hook_repo: tuple[Path, str], hook_id: str, home: Path) -> dict[str, str]:
    """A template repository whose .pre-commit-config.yaml uses ``hook_id``; returns the env to commit with."""
    repo, rev = hook_repo
    path.mkdir()
    git(path, "init", "-q")
    (path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n", encoding="utf-8")
    (path / "README.md").write_text("# Outreach templates\n\nJust checking in is not allowed here.\n", encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "CHECKIN_LINT_CACHE_DIR": str(home / "checkin-lint-cache")}
    env.pop("NO_COLOR", None)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=path, env=env,
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(path, "add", ".pre-commit-config.yaml", "README.md")
    return env


def commit(path: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    subprocess.run(["git", "add", *files], cwd=path, check=True, env=env)
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
                           "commit", "-m", "templates"], cwd=path, env=env, capture_output=True, text=True, timeout=1800)


def test_an_empty_checkin_blocks_the_commit_and_a_value_first_template_passes(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path,
) -> None:
    repo = tmp_path / "templates"
    env = template_repo(repo, hook_repo, "checkin-lint", pre_commit_home)
    (repo / "follow-up.txt").write_text(EMPTY, encoding="utf-8")
    blocked = commit(repo, env, "follow-up.txt")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "checkin-lint" in output and "Failed" in output
    assert "follow-up.txt:3:6: checkin/checking-in 'checking in'" in output
    assert "suggestion:" in output
    assert "REJECT" in output
    assert "Summary: 1 file, 1 message, 1 rejected" in output  # README.md is not linted
    assert git(repo, "rev-list", "--all").stdout == ""  # nothing was committed

    (repo / "follow-up.txt").write_text(VALUE, encoding="utf-8")
    passed = commit(repo, env, "follow-up.txt")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "checkin-lint" in passed.stderr + passed.stdout and "Passed" in passed.stderr + passed.stdout


def test_the_fix_hook_applies_safe_fixes_then_lets_the_commit_through(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path,
) -> None:
    repo = tmp_path / "templates"
    env = template_repo(repo, hook_repo, "checkin-lint-fix", pre_commit_home)
    (repo / "share.txt").write_text(FIXABLE, encoding="utf-8")
    first = commit(repo, env, "share.txt")
    assert first.returncode != 0  # pre-commit stops a commit whose files a hook changed
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert (repo / "share.txt").read_text(encoding="utf-8") == FIXABLE.replace("I just wanted", "I wanted")
    second = commit(repo, env, "share.txt")
    assert second.returncode == 0, second.stdout + second.stderr


EML = ("From: Dana Reyes <dana@seller.example>\nTo: Chris Ode <chris@buyer.example>\nSubject: Pilot\n"
       "Content-Type: text/plain; charset=\"utf-8\"\n\nHi Chris,\n\nJust checking in to see if you had a chance to look. "
       "Any updates?\n\nDana\n")
WORKFLOW = "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v6\n"
MD_PLAYBOOK = ("# Renewal playbook\n\nOpen with the usage numbers; never send a bare reminder.\n\n## Day 0\n\n"
               "```text\nHi {{first_name}}, teams like yours cut onboarding time by 30% with the import tool; "
               "the summary is here: https://example.com/summary\n```\n\n## Day 3\n\n"
               "Share the case study with a reason: it shows how {{company}}'s peers cut churn by 12%.\n")
YAML_PLAYBOOK = ("sequence: Renewal\nsteps:\n  - day: 0\n    body: Teams like yours cut churn by 12% after the pilot; "
                 "the summary is here https://example.com/s\n")


def test_the_default_hook_lints_every_outreach_format_and_skips_configuration(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path,
) -> None:
    """The README's snippet as it stands: workflow files and .pre-commit-config.yaml never block
    a commit, a Markdown playbook, a YAML playbook and an e-mail are linted, and the e-mail's
    empty check-in blocks the commit."""
    repo = tmp_path / "templates"
    env = template_repo(repo, hook_repo, "checkin-lint", pre_commit_home)
    files = {".github/workflows/ci.yml": WORKFLOW, "playbooks/renewal.md": MD_PLAYBOOK,
             "playbooks/renewal.yaml": YAML_PLAYBOOK, "emails/bump.eml": EML}
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    blocked = commit(repo, env, *files)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "emails/bump.eml:" in output and "checkin/checking-in" in output and "REJECT" in output
    assert "playbooks/renewal.md:" in output and "playbooks/renewal.yaml:" in output
    assert "error:" not in output  # neither the workflow nor .pre-commit-config.yaml is an error
    assert ".github/workflows/ci.yml" not in output  # .github is excluded by the hook
    assert "Summary: 3 files" in output  # bump.eml, renewal.md, renewal.yaml
    assert "excluded by the exclude globs (lint them with --no-force-exclude): .pre-commit-config.yaml" in output
    assert git(repo, "rev-list", "--all").stdout == ""

    (repo / "emails" / "bump.eml").write_text(EML.replace(
        "Just checking in to see if you had a chance to look. Any updates?",
        "Teams like yours cut onboarding time by 30% with the import tool; the summary is here: https://example.com/s"),
        encoding="utf-8")
    passed = commit(repo, env, *files)
    assert passed.returncode == 0, passed.stdout + passed.stderr
