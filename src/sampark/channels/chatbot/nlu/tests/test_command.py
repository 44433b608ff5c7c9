from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sampark.channels.chatbot.nlu import INTENTS

pytestmark = pytest.mark.usefixtures("nlu_model_path")


def test_classify_writes_one_json_line_per_input_line() -> None:
    out = io.StringIO()
    stdin = io.StringIO("bijli nahi hai\n\nबिजली नहीं है ४ घंटे से\nhello")
    call_command("nlu", "classify", stdin=stdin, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    rows = [json.loads(line) for line in lines]
    assert all(set(row) == {"text", "intent", "confidence", "entities"} for row in rows)
    assert rows[0]["intent"] == "no_supply"
    assert rows[1] == {"text": "", "intent": "out_of_scope", "confidence": 0.0, "entities": {}}
    assert rows[2]["text"] == "बिजली नहीं है ४ घंटे से"  # not \u-escaped
    assert "बिजली" in lines[2]
    assert rows[2]["entities"]["duration"]["minutes"] == 240


def test_eval_json_has_the_figures() -> None:
    out = io.StringIO()
    call_command("nlu", "eval", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["heldout_size"] > 0
    assert report["heldout_accuracy"] >= 0.9
    assert [row["intent"] for row in report["per_intent"]] == list(INTENTS)
    assert len(report["confusion"]) == len(INTENTS)
    assert sum(map(sum, report["confusion"])) == report["heldout_size"]
    if report["tweets_accuracy"] is None:
        assert report["tweets_skipped"]
    else:
        assert report["tweets_size"] > 0
    assert "heldout_misses" not in report


def test_eval_text_skips_tweets_without_shared_data(settings, tmp_path: Path) -> None:
    settings.SAMPARK_SHARED_DATA = tmp_path
    out = io.StringIO()
    call_command("nlu", "eval", stdout=out)
    text = out.getvalue()
    assert "held-out split:" in text and "confusion matrix" in text
    assert "labelled tweets: skipped" in text and "not found" in text


def test_train_on_bad_data_fails_with_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "utterances_x.tsv").write_text(
        "intent\tscript\ttext\nno_supply\ten\tno power\nhello\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"utterances_x\.tsv:3: expected 3 tab-separated"):
        call_command("nlu", "train", "--data-dir", str(data), "--path", str(tmp_path / "m"))


def test_train_prints_accuracy_and_path(tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "model.joblib"
    call_command("nlu", "train", "--path", str(path), stdout=out, stderr=io.StringIO())
    assert "held-out accuracy: 0." in out.getvalue()
    assert str(path) in out.getvalue()
    assert path.exists()
