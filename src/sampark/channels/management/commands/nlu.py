"""`sampark nlu train|classify|eval`: train the chatbot's intent model, try it, measure it.

    sampark nlu train                  # fit on the training split, save, print held-out accuracy
    echo "bijli nahi hai" | sampark nlu classify   # one JSON object per input line
    sampark nlu eval [--json] [--misses]           # per-intent scores, confusion, tweets

docs/chatbot-nlu.md explains the figures.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError

from sampark.channels.chatbot.nlu import DatasetError, nlu_classify, nlu_model, nlu_train
from sampark.channels.chatbot.nlu.dataset import DATA_DIR
from sampark.channels.chatbot.nlu.evaluation import EvalReport, nlu_evaluate
from sampark.channels.chatbot.nlu.model import model_path, nlu_model_load

# Short column heads for the confusion matrix, in INTENTS order.
_ABBREVIATIONS = {
    "no_supply": "nsup", "outage_info": "outg", "voltage": "volt", "transformer": "trfm",
    "line_fault": "line", "safety_hazard": "safe", "billing": "bill", "meter": "metr",
    "new_connection": "conn", "complaint_status": "stat", "compensation": "comp",
    "human_agent": "agnt", "greeting": "grtg", "thanks": "thnx", "out_of_scope": "oos",
}  # fmt: skip


class Command(BaseCommand):
    help = "Train, try and evaluate the chatbot's intent classifier."
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{train,classify,eval}"
        )
        train = actions.add_parser("train", help="train on the data files and save the model")
        train.add_argument("--path", type=Path, help="where to save (default: the setting)")
        train.add_argument("--data-dir", type=Path, help="train on other files (default: data/)")
        train.add_argument(
            "--if-stale",
            action="store_true",
            help="keep a saved model that matches the data (make run uses this)",
        )
        actions.add_parser("classify", help="classify stdin, one utterance per line, JSON lines")
        evaluate = actions.add_parser("eval", help="scores on the held-out split and the tweets")
        evaluate.add_argument("--json", action="store_true", help="one JSON object")
        evaluate.add_argument("--misses", action="store_true", help="list wrong predictions")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "train" and options.get("if_stale"):
                path = options.get("path") or model_path()
                nlu_model_load(path=path, data_dir=options.get("data_dir") or DATA_DIR)
                self.stdout.write(f"model up to date: {path}")
            elif action == "train":
                self.train(path=options.get("path"), data_dir=options.get("data_dir"))
            elif action == "classify":
                self.classify(stdin=options.get("stdin") or sys.stdin)
            else:
                self.evaluate(as_json=options["json"], misses=options["misses"])
        except DatasetError as exc:
            raise CommandError(f"bad NLU data: {exc}") from exc

    def train(self, *, path: Path | None, data_dir: Path | None) -> None:
        report = nlu_train(path=path or model_path(), data_dir=data_dir or DATA_DIR)
        nlu_model.cache_clear()
        for conflict in report.conflicts:
            self.stderr.write(f"warning: same text, other intent: {conflict}")
        for where in report.empty:
            self.stderr.write(f"warning: no words after normalisation, skipped: {where}")
        self.stdout.write(
            f"trained on {report.train} utterances ({report.examples} after removing "
            f"{report.duplicates} duplicates; {report.heldout} held out) in {report.seconds:.1f}s"
        )
        self.stdout.write(f"held-out accuracy: {report.heldout_accuracy:.4f}")
        self.stdout.write(f"model: {report.path}")

    def classify(self, *, stdin: TextIO) -> None:
        for line in _lines(stdin):
            prediction = nlu_classify(line)
            self.stdout.write(json.dumps(prediction.as_dict(), ensure_ascii=False))

    def evaluate(self, *, as_json: bool, misses: bool) -> None:
        report = nlu_evaluate(model=nlu_model())
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(misses=misses), ensure_ascii=False))
            return
        self.stdout.write(_report_text(report, misses=misses))


def _lines(stdin: TextIO) -> Iterator[str]:
    """Input lines without their line ends; bytes that are not UTF-8 become U+FFFD instead of
    stopping the run (a real stdin is read as bytes for that)."""
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        for raw in buffer:
            yield raw.decode("utf-8", errors="replace").rstrip("\r\n")
        return
    for line in stdin:
        yield line.rstrip("\r\n")


def _report_text(report: EvalReport, *, misses: bool) -> str:
    out = [
        f"held-out split: {report.heldout_size} utterances, accuracy {report.heldout_accuracy:.4f}",
        "",
        f"{'intent':<18}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}",
    ]
    for score in report.per_intent:
        out.append(
            f"{score.intent:<18}{score.precision:>10.3f}{score.recall:>8.3f}{score.f1:>8.3f}"
            f"{score.support:>9}"
        )
    heads = [_ABBREVIATIONS.get(label, label[:4]) for label in report.labels]
    out += ["", "confusion matrix (rows: expected, columns: predicted)"]
    out.append(" " * 6 + "".join(f"{head:>5}" for head in heads))
    for head, counts in zip(heads, report.confusion, strict=True):
        out.append(f"{head:<6}" + "".join(f"{n if n else '.':>5}" for n in counts))
    out += [
        "",
        f"confidence threshold (SAMPARK_NLU_THRESHOLD): {report.threshold}; suggested "
        f"{report.suggested_threshold} (the highest passing >= 95% of held-out messages)",
    ]
    for row in report.thresholds:
        out.append(
            f"  >= {row.threshold:.2f}: {row.coverage:6.1%} of messages,"
            f" accuracy {row.accuracy:.4f}"
        )
    out.append("")
    if report.tweets_accuracy is None:
        out.append(f"labelled tweets: skipped ({report.tweets_skipped})")
    else:
        out.append(
            f"labelled tweets: {report.tweets_size} power-utility tweets, "
            f"accuracy {report.tweets_accuracy:.4f}"
        )
        if report.tweets_confident_share is not None:
            out.append(
                f"  at the threshold: {report.tweets_confident_share:.1%} confident, accuracy "
                f"{report.tweets_confident_accuracy or 0:.4f} among them (the rest get the menu)"
            )
    if misses:
        out += ["", "held-out misses (expected -> predicted, confidence):"]
        out += [
            f"  {m.expected} -> {m.predicted} ({m.confidence:.2f}): {m.text}"
            for m in report.heldout_misses
        ]
        out += ["", "tweet misses (identifiers masked):"]
        out += [
            f"  {m.expected} -> {m.predicted} ({m.confidence:.2f}): {m.text}"
            for m in report.tweet_misses
        ]
    return "\n".join(out)
