"""Markdown playbooks keep their templates in fenced code blocks: those whose language is
empty, text, email, markdown or md (configurable) are linted, each as a message of its own;
other code blocks are counted in a notice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checkin_lint.config import Config

PLAYBOOK = """\
# Win-back sequence

## Day 4: nudge

Use after the trial ends.

{fence}
Hi {{{{first_name}}}},

Touching base to see where things stand. Any updates?

Best,
{{{{sender_name}}}}
```

## Day 9: last note

~~~
Since I haven't heard back, I'll close your file.
~~~

```yaml
subject: circling back
```

    indented: circling back
"""


@pytest.mark.parametrize("fence", ["```", "```text", "```email", "```TEXT title=x", "  ```", "````md", "```markdown"])
def test_fenced_templates_are_messages_of_their_own(check: Any, tmp_path: Path, fence: str) -> None:
    closing = fence.strip().split()[0].rstrip("mdarkowntexilTEXT") if fence.strip().startswith("````") else "```"
    text = PLAYBOOK.format(fence=fence).replace("{{sender_name}}\n```", "{{sender_name}}\n" + closing)
    path = tmp_path / "winback.md"
    path.write_text(text, encoding="utf-8")
    run = check(path)
    messages = run.messages("winback.md")
    assert [m["label"] for m in messages] == [
        "Day 4: nudge", "Day 4: nudge: template at line 7", "Day 9: last note: template at line 18",
    ]
    assert [m["verdict"] for m in messages[1:]] == ["reject", "reject"]
    found = run.findings("winback.md")
    assert ("checkin/touching-base", 10, 1, "Touching base") in found
    assert not [f for f in found if f[3].lower() == "circling back"]  # yaml and indented code stay skipped


def test_skipped_code_blocks_are_counted_in_a_notice(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "winback.md"
    path.write_text(PLAYBOOK.format(fence="```"), encoding="utf-8")
    run = lint(path)
    assert run.report["notices"] == [
        f"{path}: 2 code blocks not linted (indented, yaml); markdown-fences in the configuration names the "
        "fenced-block languages that hold templates",
    ]
    assert run.exit_code == 1


def test_the_fence_languages_are_configurable(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "winback.md"
    path.write_text(PLAYBOOK.format(fence="```"), encoding="utf-8")
    run = check(path, config=Config(markdown_fences=("yaml",)))
    labels = [m["label"] for m in run.messages("winback.md")]
    assert labels == ["Day 4: nudge", "Day 9: last note: template at line 22"]
    assert ("checkin/circling-back", 23, 10, "circling back") in run.findings("winback.md")


def test_markdown_fence_content_is_read_as_markdown(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("Intro.\n\n```md\n**Just checking in** — see [the deck](https://x.example/just-checking-in).\n```\n",
                    encoding="utf-8")
    found = check(path).findings("t.md", "checkin")
    assert found == [("checkin/checking-in", 4, 8, "checking in")]


def test_a_fence_inside_a_block_quote_is_quoted_text(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("Our reply:\n\n> ```\n> Just checking in, any updates?\n> ```\n", encoding="utf-8")
    assert check(path).findings("t.md", "checkin") == []


def test_configuration_key(tmp_path: Path) -> None:
    from checkin_lint.config import load_config

    (tmp_path / ".checkin-lint.yaml").write_text('markdown-fences: ["", "text", "liquid"]\n', encoding="utf-8")
    assert load_config(tmp_path / ".checkin-lint.yaml").markdown_fences == ("", "text", "liquid")


def test_a_fenced_voicemail_in_a_call_script_is_linted(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "renewal.call.md"
    path.write_text(
        "## Voicemail\n\nLeave this after the second ring:\n\n```\nHi Dana, just checking in to see if there are any updates.\n```\n"
        "\n```json\n{\"note\": \"touching base\"}\n```\n",
        encoding="utf-8",
    )
    run = check(path)
    (template,) = [m for m in run.messages("renewal.call.md") if "template" in m["label"]]
    assert template["label"] == "Voicemail: template at line 5" and template["channel"] == "call"
    assert template["verdict"] == "reject"
    assert not [f for f in run.findings("renewal.call.md") if f[1] == 10]
