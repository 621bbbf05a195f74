"""Messages not in English are skipped with a notice (the rules are English); --language en
lints them anyway."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checkin_lint.language import detect

FOREIGN = {
    "de": "Hallo Frau Berger,\n\nich wollte kurz nachfragen, ob Sie schon Gelegenheit hatten, sich unser Angebot anzusehen. "
          "Gibt es Neuigkeiten?\n\nViele Grüße\nTom",
    "fr": "Bonjour Claire,\n\nje me permets de revenir vers vous au sujet de notre proposition. "
          "Avez-vous eu le temps d'y jeter un œil ?\n\nBien cordialement,\nTom",
    "es": "Hola Lucía,\n\nquería saber si pudiste revisar nuestra propuesta. ¿Hay alguna novedad por tu parte?\n\nSaludos,\nTom",
    "it": "Ciao Giulia,\n\nvolevo sapere se hai avuto modo di dare un'occhiata alla nostra proposta. Ci sono novità?\n\nGrazie,\nTom",
    "nl": "Hoi Sanne,\n\nik wilde even vragen of je al tijd hebt gehad om naar ons voorstel te kijken. Is er nieuws?\n\nGroet,\nTom",
}
ENGLISH = [
    "Hi Sam, just checking in on the proposal. Any updates?",
    "Following up. Pricing sheet attached. Q3 numbers: revenue grew 30%. Let me know.",
    "Bump",
    "Circling back re: SOW. DPA with legal. ETA Friday?",
    "Hi {{first_name}}, touching base about {{company}}'s renewal - https://x.example/renewal",
    "Quick question: did procurement approve the MSA redlines, or should I loop in our counsel?",
]


@pytest.mark.parametrize(("language", "text"), list(FOREIGN.items()))
def test_other_languages_are_identified(language: str, text: str) -> None:
    assert detect(text) == language


@pytest.mark.parametrize("text", ENGLISH)
def test_english_and_short_texts_are_linted(text: str) -> None:
    assert detect(text) is None


def test_skipped_messages_are_counted_in_a_notice(lint: Any, tmp_path: Path) -> None:
    for name, text in FOREIGN.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH[0], encoding="utf-8")
    run = lint(*sorted(tmp_path.glob("*.txt")))
    assert run.report["summary"]["messages"] == 1
    assert run.report["notices"] == ["not English: 5 messages skipped (de 1, es 1, fr 1, it 1, nl 1); --language en lints them anyway"]
    assert run.file("de.txt")["skipped"] == [{"label": "", "line": 1, "language": "de"}]
    assert run.exit_code == 1  # the English check-in is still rejected


def test_language_en_lints_every_message(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(FOREIGN["de"], encoding="utf-8")
    run = lint("--language", "en", path)
    assert run.report["summary"]["messages"] == 1 and run.report["notices"] == []


def test_csv_rows_are_judged_one_by_one(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    rows = [FOREIGN["fr"], ENGLISH[0], FOREIGN["es"]]
    path.write_text("body\n" + "".join('"' + r.replace('"', '""') + '"\n' for r in rows), encoding="utf-8")
    run = lint(path)
    assert [m["label"] for m in run.messages("rows.csv")] == ["row 3"]
    assert [s["label"] for s in run.file("rows.csv")["skipped"]] == ["row 2", "row 4"]


def test_configuration_key(tmp_path: Path) -> None:
    from checkin_lint.config import load_config
    from checkin_lint.errors import ConfigError

    (tmp_path / ".checkin-lint.yaml").write_text("language: en\n", encoding="utf-8")
    assert load_config(tmp_path / ".checkin-lint.yaml").language == "en"
    (tmp_path / ".checkin-lint.yaml").write_text("language: de\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(tmp_path / ".checkin-lint.yaml")


def test_english_words_read_other_languages_stop_words_without_their_packages() -> None:
    # importing spacy.lang.fr runs its tokenizer exceptions (seconds of regex compiling); only
    # the stop-word lists are needed, so none of their language packages may be imported
    code = (
        "import sys\n"
        "from checkin_lint.language import OTHER_STOP_WORDS, english_words\n"
        "words = english_words()\n"
        "print([c for c in OTHER_STOP_WORDS if f'spacy.lang.{c}' in sys.modules])\n"
        "print('enough' in words, 'a' in words, 'alle' in words)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["[]", "True False False"]  # an English-only stop word in, one French/Norwegian has too out


def test_plain_english_is_settled_without_reading_spacys_stop_word_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    # the built-in function words already make up enough of these texts; english_words()
    # (which reads a dozen stop-word lists) is only for the others, and only adds words
    from checkin_lint import language

    monkeypatch.setattr(language, "english_words", lambda: pytest.fail("read the stop-word lists"))
    assert detect("Hi Dana,\n\nJust checking in to see if you had a chance to look at my last email.\n\nThanks,\nSam") is None
    assert detect(ENGLISH[5]) is None
    monkeypatch.undo()
    assert language.ENGLISH_WORDS <= language.english_words()
