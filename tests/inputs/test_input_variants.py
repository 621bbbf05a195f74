"""Template variants: every branch of a conditional and every spin alternative is a message
some recipient gets; each is linted and the worst is reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkin_lint.document import Message, Source
from checkin_lint.linter import Linter
from checkin_lint.variants import MAX_VARIANTS, variants

CHECKIN = "Just checking in on the proposal. Any updates?"
VALUE = "Teams like yours cut onboarding time by 30% with our import tool; the benchmark is here: https://x.example/b"


def _texts(text: str) -> list[str]:
    return [" ".join(v.text.split()) for v in variants(Message.whole(Source("t.txt", text)))]


@pytest.mark.parametrize("template", [
    "{% if stage == 'proposal' %}A{% elsif stage == 'demo' %}B{% else %}C{% endif %}",
    "{%- if stage -%}A{%- elif demo -%}B{%- else -%}C{%- endif -%}",
    "{% if stage %}A{% else if demo %}B{% else %}C{% endif %}",
    "{% case stage %}\n{% when 'proposal' %}A{% when 'demo' %}B{% else %}C{% endcase %}",
    "{{#if proposal}}A{{else if demo}}B{{else}}C{{/if}}",
    "*|IF:STAGE=proposal|*A*|ELSEIF:STAGE=demo|*B*|ELSE:|*C*|END:IF|*",
    "{{RANDOM | A | B | C}}",
    "{{random|A|B|C}}",
    "{A|B|C}",
])
def test_each_branch_is_a_variant(template: str) -> None:
    assert _texts(template) == ["A", "B", "C"]


@pytest.mark.parametrize("template", [
    "Hi. {% if vip %}A{% endif %}", "Hi. {% unless vip %}A{% endunless %}", "Hi. {{#if vip}}A{{/if}}",
    "Hi. *|IF:VIP|*A*|END:IF|*", "Hi. {% case x %}{% when 1 %}A{% endcase %}",
])
def test_a_conditional_without_else_may_send_nothing(template: str) -> None:
    assert _texts(template) == ["Hi. A", "Hi."]


def test_nested_choices_and_merge_fields_inside_alternatives() -> None:
    template = "{{RANDOM | Hi {{first_name}} | Hello {there|friend}}}. {% if a %}{X|Y}{% endif %}"
    assert _texts(template) == [
        "Hi {{first_name}} . X", "Hi {{first_name}} . Y", "Hi {{first_name}} .",
        "Hello there. X", "Hello there. Y", "Hello there.",
        "Hello friend. X", "Hello friend. Y", "Hello friend.",
    ]


@pytest.mark.parametrize("text", [
    "Hi {{ first_name | default: 'there' }}, {{company}} {first} [Company Name] *|FNAME|*",
    "No markup at all.", "{ unclosed | brace", "{% if x %} never closed", "{% endif %} stray {% else %}",
    "{# a | comment #} {%- raw -%}",
])
def test_what_is_not_a_choice_is_one_message(text: str) -> None:
    assert len(_texts(text)) == 1


def test_combinations_stay_bounded_and_cover_every_alternative() -> None:
    template = " ".join("{{RANDOM | a%d | b%d | c%d}}" % (i, i, i) for i in range(8))  # 3**8 combinations
    texts = _texts(template)
    assert len(texts) == 3
    for i in range(8):
        assert {f"a{i}", f"b{i}", f"c{i}"} <= set(" ".join(texts).split())
    wide = "{" + "|".join(f"w{i}" for i in range(100)) + "}"
    assert len(_texts(wide)) == MAX_VARIANTS


def test_offsets_point_into_the_file(linter: Linter) -> None:
    text = "Hi,\n{% if late %}\nSorry, " + CHECKIN + "\n{% else %}\n" + VALUE + "\n{% endif %}\n"
    report = linter.lint_text(text)
    finding = next(f for f in report.findings if f.rule_id == "checkin/checking-in")
    assert text[finding.source_start:finding.source_end] == "checking in"


@pytest.mark.parametrize("template", [
    "Hi {{first_name}},\n\n{% if stage == 'proposal' %}\n" + CHECKIN + "\n{% else %}\n" + VALUE + "\n{% endif %}\n",
    "Hi {{first_name}},\n\n{{#if proposal}}" + CHECKIN + "{{else}}" + VALUE + "{{/if}}\n",
    "Hi *|FNAME|*,\n\n*|IF:PROPOSAL|*" + CHECKIN + "*|ELSE:|*" + VALUE + "*|END:IF|*\n",
    "Hi {{first_name}},\n\n{{RANDOM | " + VALUE + " | " + CHECKIN + "}}\n",
    "Hi {{first_name}},\n\n{{RANDOM | Just checking in | Circling back}} on the proposal. {{RANDOM | Any updates? | Any news?}}\n",
    "Hi,\n\n{Just checking in|Following up} on the proposal. {Any updates?|Any news?}\n",
])
def test_the_worst_variant_is_reported(lint: Any, tmp_path: Path, template: str) -> None:
    path = tmp_path / "step.txt"
    path.write_text(template, encoding="utf-8")
    run = lint(path)
    (message,) = run.messages("step.txt")
    assert message["verdict"] == "reject"
    assert message["variant"]["count"] >= 2
    assert message["label"] == f"variant {message['variant']['index']} of {message['variant']['count']} (the worst)"
    assert run.exit_code == 1


def test_a_template_whose_every_branch_carries_value_passes_the_gate(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "step.txt"
    path.write_text("Hi,\n\n{% if a %}" + VALUE + "{% else %}" + VALUE.replace("30%", "42%") + "{% endif %}\n", encoding="utf-8")
    (message,) = lint(path).messages("step.txt")
    assert message["verdict"] != "reject"


TOKENS = ["{", "}", "|", "{{", "}}", "{{RANDOM |", "{% if x %}", "{% else %}", "{% endif %}", "{% elsif y %}",
          "{% case z %}", "{% when 1 %}", "{% endcase %}", "{{#if a}}", "{{else}}", "{{/if}}", "*|IF:A|*",
          "*|ELSE:|*", "*|END:IF|*", "just checking in", " ", "\n", "a", "b"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_any_mix_of_markup_gives_bounded_variants_of_deleted_text(tokens: list[str]) -> None:
    text = "".join(tokens)
    found = variants(Message.whole(Source("t.txt", text)))
    assert 1 <= len(found) <= MAX_VARIANTS
    for variant in found:
        it = iter(text)
        assert all(ch in it for ch in variant.text)  # only deletions: the variant is a subsequence
        for i in range(len(variant.text)):
            assert text[variant.source_offset(i)] == variant.text[i]


@pytest.mark.parametrize("text", [
    "{% if x %}" * 3000 + "deep" + "{% endif %}" * 3000,
    "{% if x %}a" + "{% elsif y %}b" * 5000 + "{% endif %}",
    "{" * 5000 + "a|b" + "}" * 5000,
    "{a|b} " * 5000,
])
def test_hostile_templates_stay_bounded(text: str) -> None:
    found = variants(Message.whole(Source("t.txt", text)))
    assert 1 <= len(found) <= MAX_VARIANTS
