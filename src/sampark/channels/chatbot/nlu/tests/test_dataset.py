from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from sampark.channels.chatbot.nlu import INTENTS, DatasetError
from sampark.channels.chatbot.nlu.dataset import (
    Example,
    dataset_load,
    dataset_split,
    tweets_load,
)

HEADER = "intent\tscript\ttext\n"


def write(directory: Path, name: str, body: str) -> Path:
    path = directory / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_unknown_intent_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "utterances_x.tsv", "no_supply\ten\tno power\nbijli_gone\ten\tno light\n")
    with pytest.raises(DatasetError, match=r"utterances_x\.tsv:3: unknown intent 'bijli_gone'"):
        dataset_load(data_dir=tmp_path)


def test_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "utterances_x.tsv", "no_supply\ten\tno power\n\ngreeting\thello\n")
    with pytest.raises(DatasetError, match=r"utterances_x\.tsv:4: expected 3 tab-separated"):
        dataset_load(data_dir=tmp_path)


def test_unknown_script_and_bad_header(tmp_path: Path) -> None:
    write(tmp_path, "utterances_x.tsv", "no_supply\turdu\tbijli nahi\n")
    with pytest.raises(DatasetError, match=r"utterances_x\.tsv:2: unknown script 'urdu'"):
        dataset_load(data_dir=tmp_path)
    (tmp_path / "utterances_x.tsv").write_text("text\tintent\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"utterances_x\.tsv:1: the header"):
        dataset_load(data_dir=tmp_path)


def test_duplicates_by_normalised_text(tmp_path: Path) -> None:
    write(tmp_path, "out_of_scope_x.tsv", "out_of_scope\ten\tweather today\n")
    write(
        tmp_path,
        "utterances_a.tsv",
        "no_supply\thinglish\tbijli nahi hai\nno_supply\thi\tबिजली नहीं है\n"
        "outage_info\thinglish\tbjli nhi h\n",
    )
    dataset = dataset_load(data_dir=tmp_path)
    assert [e.text for e in dataset.examples] == ["weather today", "bijli nahi hai"]
    assert dataset.duplicates == 2
    [conflict] = dataset.conflicts
    assert "utterances_a.tsv:4 (outage_info) repeats utterances_a.tsv:2 (no_supply)" in conflict


def test_tweets_with_an_unknown_id(tmp_path: Path) -> None:
    labels = tmp_path / "labels.tsv"
    labels.write_text("id\tintent\tnote\n1\tno_supply\tx\n2\tbilling\ty\n", encoding="utf-8")
    texts = tmp_path / "texts.csv"
    texts.write_text('1,"no power, again",1,services\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"labels\.tsv:3: tweet id 2"):
        tweets_load(labels_path=labels, texts_path=texts)
    labels.write_text("id\tintent\tnote\n1\tno_supply\tx\n", encoding="utf-8")
    [tweet] = tweets_load(labels_path=labels, texts_path=texts)
    assert (tweet.text, tweet.intent) == ("no power, again", "no_supply")


def test_shipped_data_is_valid() -> None:
    dataset = dataset_load()
    assert {e.intent for e in dataset.examples} == set(INTENTS)
    assert {e.script for e in dataset.examples} == {"hi", "hinglish", "en"}


def test_split_is_deterministic_and_stratified() -> None:
    examples = list(dataset_load().examples)
    train, heldout = dataset_split(examples)
    shuffled = examples[:]
    random.Random(7).shuffle(shuffled)
    _, heldout2 = dataset_split(shuffled)
    assert {e.normalized for e in heldout} == {e.normalized for e in heldout2}
    assert not {e.normalized for e in train} & {e.normalized for e in heldout}
    assert len(train) + len(heldout) == len(examples)
    total, held = Counter(e.intent for e in examples), Counter(e.intent for e in heldout)
    for intent in INTENTS:
        assert held[intent] == round(total[intent] * 0.2), intent


def test_split_rounds_per_intent() -> None:
    def example(intent: str, n: int) -> Example:
        return Example(intent=intent, script="en", text=f"t{n}", normalized=f"t {n}", source="x")

    examples = [example("greeting", n) for n in range(10)]
    examples += [example("thanks", n) for n in range(3)]
    _, heldout = dataset_split(examples)
    assert Counter(e.intent for e in heldout) == {"greeting": 2, "thanks": 1}
