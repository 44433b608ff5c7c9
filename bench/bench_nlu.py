"""Chatbot NLU latency: `nlu_classify` per message vs the bare fitted pipeline, in one run.

    .venv/bin/python bench/bench_nlu.py [--rounds 3]

The model is trained into a temporary directory (timed: the in-process training a worker does
when its model file is stale), then every held-out utterance and every labelled power-utility
tweet (when ../shared/data is there) is classified one message at a time, after a warm-up:
- nlu_classify: the full path a chat message takes (clean, normalise, entities, features,
  calibrated classifier, threshold);
- baseline: the bare fitted scikit-learn pipeline's predict_proba on the already-normalised text,
  one message at a time (what the model costs with no NLU code around it).
Both run `--rounds` times, interleaved; each side's best round is reported (this machine is
shared). ratio = nlu_classify time / baseline time (below 1: faster than the bare pipeline).
Prints one JSON line; p95_target_ms is the budget for one message.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
P95_TARGET_MS = 20.0


def timings_ms(function: Callable[[str], object], items: list[str]) -> list[float]:
    out = []
    for item in items:
        started = time.perf_counter_ns()
        function(item)
        out.append((time.perf_counter_ns() - started) / 1e6)
    return out


def summary(samples: list[float]) -> dict[str, float]:
    import numpy as np

    total_s = sum(samples) / 1000
    return {
        "p50_ms": round(float(np.percentile(samples, 50)), 3),
        "p95_ms": round(float(np.percentile(samples, 95)), 3),
        "p99_ms": round(float(np.percentile(samples, 99)), 3),
        "per_s": round(len(samples) / total_s),
        "total_s": total_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "sampark.config.settings.local", "SAMPARK_LOG_LEVEL": "WARNING"}
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings

    from sampark.channels.chatbot.nlu import nlu_classify, nlu_model, nlu_train, text_normalize
    from sampark.channels.chatbot.nlu.dataset import (
        DATA_DIR,
        TWEET_LABELS_FILE,
        dataset_load,
        dataset_split,
        tweets_load,
    )
    from sampark.channels.chatbot.nlu.evaluation import shared_texts_path

    with tempfile.TemporaryDirectory(prefix="bench_nlu_") as tmp:
        path = Path(tmp) / "model.joblib"
        started = time.perf_counter()
        report = nlu_train(path=path)
        train_s = time.perf_counter() - started
        settings.SAMPARK_NLU_MODEL_PATH = str(path)
        nlu_model.cache_clear()
        model = nlu_model()

    _, heldout = dataset_split(dataset_load().examples)
    texts = [e.text for e in heldout]
    try:
        labels = DATA_DIR / TWEET_LABELS_FILE
        tweets = tweets_load(labels_path=labels, texts_path=shared_texts_path())
    except FileNotFoundError:
        tweets = []
    texts += [t.text for t in tweets]
    normalized = [text_normalize(text) for text in texts]
    pipeline = model.pipeline

    def baseline(text: str) -> object:
        return pipeline.predict_proba([text])

    for text, norm in zip(texts[:200], normalized[:200], strict=True):  # warm-up
        nlu_classify(text)
        baseline(norm)
    nlu_runs, baseline_runs = [], []
    for _ in range(args.rounds):
        baseline_runs.append(summary(timings_ms(baseline, normalized)))
        nlu_runs.append(summary(timings_ms(nlu_classify, texts)))
    nlu = min(nlu_runs, key=lambda run: run["total_s"])
    bare = min(baseline_runs, key=lambda run: run["total_s"])

    right = sum(1 for e in heldout if nlu_classify(e.text).intent == e.intent)
    tweets_right = sum(1 for t in tweets if nlu_classify(t.text).intent == t.intent)
    result = {
        "bench": "nlu_classify",
        "messages": len(texts),
        "heldout": len(heldout),
        "tweets": len(tweets),
        "train_s": round(train_s, 2),
        "nlu_p50_ms": nlu["p50_ms"],
        "nlu_p95_ms": nlu["p95_ms"],
        "nlu_p99_ms": nlu["p99_ms"],
        "nlu_msg_per_s": nlu["per_s"],
        "baseline_p50_ms": bare["p50_ms"],
        "baseline_p95_ms": bare["p95_ms"],
        "baseline_p99_ms": bare["p99_ms"],
        "baseline_msg_per_s": bare["per_s"],
        "ratio": round(nlu["total_s"] / bare["total_s"], 3),
        "p95_target_ms": P95_TARGET_MS,
        "p95_ok": nlu["p95_ms"] < P95_TARGET_MS,
        "heldout_accuracy": round(right / len(heldout), 4),
        "heldout_accuracy_at_train": round(report.heldout_accuracy, 4),
        "tweets_accuracy": round(tweets_right / len(tweets), 4) if tweets else None,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
