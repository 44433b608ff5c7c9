from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from sampark.channels.chatbot.nlu import nlu_classify, nlu_model, nlu_train
from sampark.channels.chatbot.nlu.dataset import dataset_load, dataset_split
from sampark.channels.chatbot.nlu.model import NluModel, _load, nlu_model_load

pytestmark = pytest.mark.usefixtures("nlu_model_path")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("बिजली नहीं आ रही है", "no_supply"),
        ("bijli nahi aa rahi hai", "no_supply"),
        ("There is no power in my house", "no_supply"),
        ("तार टूट कर सड़क पर गिरा है", "safety_hazard"),
        ("khambe me current aa raha hai", "safety_hazard"),
        ("A live wire has fallen on the road", "safety_hazard"),
        ("नमस्ते", "greeting"),
        ("hello ji", "greeting"),
        ("Good morning", "greeting"),
    ],
)
def test_clear_utterances(text: str, intent: str) -> None:
    prediction = nlu_classify(text)
    assert prediction.intent == intent
    assert prediction.confident


def test_prediction_as_dict() -> None:
    prediction = nlu_classify("४ घंटे से बिजली नहीं, खाता 1234567890")
    data = prediction.as_dict()
    assert set(data) == {"text", "intent", "confidence", "entities"}
    assert data["entities"] == {
        "account_number": "1234567890",
        "numbers": [4],
        "duration": {"text": "४ घंटे से", "minutes": 240},
    }
    assert 0.0 < prediction.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀😀🙏",
        "!!!",
        "\x00\x01\x02\x7f",
        "\ud800\udfff",
        "।।",
        "12345",
        bytes(range(256)).decode("latin-1"),
        random.Random(1).randbytes(300).decode("utf-8", errors="replace"),
        random.Random(2).randbytes(300),
    ],
)
def test_nothing_to_classify_is_out_of_scope(text: str | bytes) -> None:
    prediction = nlu_classify(text)  # bytes too, from a careless caller
    assert (prediction.intent, prediction.confidence, prediction.confident) == (
        "out_of_scope",
        0.0,
        False,
    )


@pytest.mark.parametrize(
    "text",
    [
        "\u202e\u200d\ufeff मीटर \u0301\u0301\u0301",
        "a" * 100_000,
        "bijli " * 2000,
        "ク" * 50 + "ड़ॉॅ़्ं",
        "\ud83d",
    ],
)
def test_garbage_never_raises(text: str) -> None:
    prediction = nlu_classify(text)
    assert prediction.intent
    assert len(prediction.text) <= max(len(text), 1)


def test_long_input_reads_the_start() -> None:
    prediction = nlu_classify("bijli nahi hai " + "x" * 5000)
    assert len(prediction.text) == 1000
    assert prediction.intent == "no_supply"


def test_training_is_reproducible(nlu_model_path: Path, tmp_path: Path) -> None:
    nlu_train(path=tmp_path / "again.joblib")
    again, why = _load(tmp_path / "again.joblib", key=nlu_model().key)
    assert again is not None, why
    _, heldout = dataset_split(dataset_load().examples)
    texts = [e.normalized for e in heldout]
    assert np.array_equal(nlu_model().probabilities(texts), again.probabilities(texts))


def test_stale_model_is_retrained(tmp_path: Path) -> None:
    path = tmp_path / "model.joblib"
    path.write_bytes(b"not a model")
    model = nlu_model_load(path=path)
    assert isinstance(model, NluModel)
    reloaded, why = _load(path, key=model.key)
    assert reloaded is not None, why
    assert _load(path, key="other data")[1] == "trained on other data"


def test_fast_scorer_matches_the_pipeline() -> None:
    model = nlu_model()
    assert model.scorer is not None
    _, heldout = dataset_split(dataset_load().examples)
    texts = [e.normalized for e in heldout[:300]] + ["", "zzzz", "0000 0"]
    fast = np.vstack([model.scorer.probabilities(text) for text in texts])
    assert np.allclose(fast, model.pipeline.predict_proba(texts), rtol=1e-9, atol=1e-12)
