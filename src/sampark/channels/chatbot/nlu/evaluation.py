"""Figures for `sampark nlu eval` and the benchmark: held-out split and labelled tweets.

The held-out split is never trained on (the saved model is fitted on the training split only),
so its accuracy is an honest estimate for messages like the training data. The labelled tweets
are real customer-care tweets to power utilities: longer, English, noisier; their accuracy says
how the model copes with messages nobody wrote for it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from django.conf import settings
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from sampark.channels.chatbot.nlu.dataset import (
    DATA_DIR,
    TWEET_LABELS_FILE,
    TWEET_TEXTS_FILE,
    dataset_load,
    dataset_split,
    tweets_load,
)
from sampark.channels.chatbot.nlu.intents import INTENTS
from sampark.channels.chatbot.nlu.model import NluModel, confidence_threshold
from sampark.channels.chatbot.nlu.normalize import text_normalize

THRESHOLD_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
# Suggested threshold: the highest in the grid that still passes this share of held-out messages.
THRESHOLD_MIN_COVERAGE = 0.95

# The tweets carry account numbers, a phone number and an e-mail address: never shown as is.
_PRIVATE = re.compile(r"\S+@\S+|\d{5,}|\b(?=\w*\d\w*\d)\w{8,}\b")


def mask_private(text: str) -> str:
    """Text with e-mail addresses, long numbers and long codes replaced by "[masked]"."""
    return _PRIVATE.sub("[masked]", text)


@dataclass(frozen=True)
class IntentScore:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Miss:
    text: str
    expected: str
    predicted: str
    confidence: float


@dataclass(frozen=True)
class ThresholdRow:
    threshold: float
    coverage: float  # share of messages at or above the threshold
    accuracy: float  # accuracy among them


@dataclass(frozen=True)
class EvalReport:
    heldout_size: int
    heldout_accuracy: float
    per_intent: list[IntentScore]
    labels: list[str]
    confusion: list[list[int]]  # rows: expected, columns: predicted, both in `labels` order
    threshold: float  # the configured one
    suggested_threshold: float
    thresholds: list[ThresholdRow]
    heldout_misses: list[Miss]
    tweets_size: int = 0
    tweets_accuracy: float | None = None
    tweets_confident_share: float | None = None  # share at or above the threshold
    tweets_confident_accuracy: float | None = None  # accuracy among those
    tweets_skipped: str = ""  # why the tweets were not evaluated
    tweet_misses: list[Miss] = field(default_factory=list)

    def as_dict(self, *, misses: bool = False) -> dict[str, object]:
        """Plain data for JSON; the lists of misses only when asked for."""
        data = asdict(self)
        if not misses:
            del data["heldout_misses"], data["tweet_misses"]
        return data


def shared_texts_path() -> Path:
    """The tweet texts in the shared reference data (`SAMPARK_SHARED_DATA`, default
    ../shared/data beside the checkout)."""
    shared = getattr(settings, "SAMPARK_SHARED_DATA", None)
    base = Path(shared) if shared else Path(settings.BASE_DIR).parent / "shared" / "data"
    return base / TWEET_TEXTS_FILE


def _misses(
    texts: list[str], expected: list[str], predicted: list[tuple[str, float]]
) -> list[Miss]:
    return [
        Miss(text=text, expected=want, predicted=got, confidence=confidence)
        for text, want, (got, confidence) in zip(texts, expected, predicted, strict=True)
        if got != want
    ]


def _accuracy(expected: list[str], predicted: list[tuple[str, float]]) -> float:
    if not expected:
        return 0.0
    return sum(1 for w, (g, _) in zip(expected, predicted, strict=True) if w == g) / len(expected)


def nlu_evaluate(
    *, model: NluModel, data_dir: Path = DATA_DIR, texts_path: Path | None = None
) -> EvalReport:
    """Score `model` on the held-out split and, when the shared data is there, the tweets.

    Raises DatasetError on bad training or label data.
    """
    _, heldout = dataset_split(dataset_load(data_dir=data_dir).examples)
    expected = [e.intent for e in heldout]
    predicted = model.predict([e.normalized for e in heldout])
    got = [intent for intent, _ in predicted]
    labels = list(INTENTS)
    precision, recall, f1, support = precision_recall_fscore_support(
        expected, got, labels=labels, zero_division=0
    )
    per_intent = [
        IntentScore(
            intent=intent,
            precision=round(float(precision[i]), 4),
            recall=round(float(recall[i]), 4),
            f1=round(float(f1[i]), 4),
            support=int(support[i]),
        )
        for i, intent in enumerate(labels)
    ]
    matrix = confusion_matrix(expected, got, labels=labels).tolist()
    thresholds = []
    for threshold in THRESHOLD_GRID:
        kept = [
            want == intent
            for want, (intent, confidence) in zip(expected, predicted, strict=True)
            if confidence >= threshold
        ]
        thresholds.append(
            ThresholdRow(
                threshold=threshold,
                coverage=round(len(kept) / len(expected), 4) if expected else 0.0,
                accuracy=round(sum(kept) / len(kept), 4) if kept else 0.0,
            )
        )
    covering = [row.threshold for row in thresholds if row.coverage >= THRESHOLD_MIN_COVERAGE]
    report = EvalReport(
        heldout_size=len(heldout),
        heldout_accuracy=round(_accuracy(expected, predicted), 4),
        per_intent=per_intent,
        labels=labels,
        confusion=[[int(n) for n in row] for row in matrix],
        threshold=confidence_threshold(),
        suggested_threshold=max(covering, default=THRESHOLD_GRID[0]),
        thresholds=thresholds,
        heldout_misses=_misses([e.text for e in heldout], expected, predicted),
    )
    texts_path = texts_path or shared_texts_path()
    try:
        tweets = tweets_load(labels_path=data_dir / TWEET_LABELS_FILE, texts_path=texts_path)
    except FileNotFoundError as exc:
        return replace(report, tweets_skipped=f"{exc.filename or exc} not found")
    if not tweets:
        return replace(report, tweets_skipped="no labelled tweets")
    expected = [t.intent for t in tweets]
    predicted = model.predict([text_normalize(t.text) for t in tweets])
    confident = [
        (want, got)
        for want, got in zip(expected, predicted, strict=True)
        if got[1] >= report.threshold
    ]
    return replace(
        report,
        tweets_size=len(tweets),
        tweets_accuracy=round(_accuracy(expected, predicted), 4),
        tweets_confident_share=round(len(confident) / len(tweets), 4),
        tweets_confident_accuracy=(
            round(_accuracy([w for w, _ in confident], [g for _, g in confident]), 4)
            if confident
            else None
        ),
        tweet_misses=_misses([mask_private(t.text) for t in tweets], expected, predicted),
    )
