"""The labelled utterances: loading, validation, de-duplication and the held-out split.

Training data is every `data/utterances_*.tsv` and `data/out_of_scope_*.tsv` file: UTF-8, a header
line `intent<TAB>script<TAB>text`, then one utterance per line. A line with another number of
fields, an unknown intent or script, or an empty text is an error naming the file and line (blank
lines are skipped). Utterances are de-duplicated on their normalised text; the first one (files in
name order, lines in order) is kept, and a duplicate with another intent is reported as a conflict.

Held-out split, stratified and deterministic: within each intent, the utterances are ordered by
the SHA-256 of their normalised text, and the first 20% (rounded, at least one for an intent with
two or more) are held out; the rest train the model. The hash, not Python's salted hash(), keeps
the split the same in every process and on every machine, and an utterance's side changes only
when utterances of its own intent are added near the 20% cut.

The labelled tweets (`data/tweets_power_labels.tsv`: `id<TAB>intent<TAB>note`) label real
customer-care tweets to power utilities, whose texts are read from the shared data set; they are
only ever used to evaluate, never to train.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sampark.channels.chatbot.nlu.intents import INTENTS, SCRIPTS
from sampark.channels.chatbot.nlu.normalize import text_normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
TRAINING_PATTERNS = ("utterances_*.tsv", "out_of_scope_*.tsv")
TWEET_LABELS_FILE = "tweets_power_labels.tsv"
TWEET_TEXTS_FILE = Path("text") / "complaints_social_media_preotiuc2019.csv"
HELDOUT_PERCENT = 20

_HEADER = ["intent", "script", "text"]
_TWEET_HEADER = ["id", "intent", "note"]


class DatasetError(ValueError):
    """Bad training or evaluation data; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    intent: str
    script: str
    text: str
    normalized: str
    source: str  # "utterances_a.tsv:12"


@dataclass(frozen=True)
class Dataset:
    examples: tuple[Example, ...]  # de-duplicated, in file and line order
    files: tuple[Path, ...]
    data_hash: str  # SHA-256 over the files' names and bytes
    duplicates: int  # lines dropped as repeats of an earlier normalised text
    conflicts: tuple[str, ...]  # "file:line (intent) repeats file:line (other intent)"
    empty: tuple[str, ...]  # "file:line": texts with no words left after normalisation


@dataclass(frozen=True)
class LabelledTweet:
    id: str
    intent: str
    text: str
    note: str


def dataset_files(*, data_dir: Path = DATA_DIR) -> tuple[Path, ...]:
    """The training files, in name order."""
    found = {path for pattern in TRAINING_PATTERNS for path in data_dir.glob(pattern)}
    return tuple(sorted(found, key=lambda path: path.name))


def data_hash(*, files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _rows(path: Path, *, header: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of a TSV file after its header; blank lines skipped."""
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 ({exc})") from exc
    lines = content.removeprefix("\ufeff").split("\n")
    if not lines or lines[0].rstrip("\r").split("\t") != header:
        raise DatasetError(f"{path}:1: the header must be {'<TAB>'.join(header)}")
    for number, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise DatasetError(
                f"{path}:{number}: expected {len(header)} tab-separated fields, got {len(fields)}"
            )
        yield number, fields


def _file_examples(path: Path) -> Iterator[Example]:
    for number, (intent, script, text) in _rows(path, header=_HEADER):
        where = f"{path}:{number}"
        if intent not in INTENTS:
            raise DatasetError(f"{where}: unknown intent {intent!r}")
        if script not in SCRIPTS:
            raise DatasetError(f"{where}: unknown script {script!r} (one of {', '.join(SCRIPTS)})")
        if not text.strip():
            raise DatasetError(f"{where}: empty text")
        yield Example(
            intent=intent,
            script=script,
            text=text.strip(),
            normalized=text_normalize(text),
            source=f"{path.name}:{number}",
        )


def dataset_load(*, data_dir: Path = DATA_DIR) -> Dataset:
    """Every training file, validated and de-duplicated (DatasetError on bad data)."""
    files = dataset_files(data_dir=data_dir)
    if not files:
        raise DatasetError(f"{data_dir}: no training files ({', '.join(TRAINING_PATTERNS)})")
    seen: dict[str, Example] = {}
    duplicates = 0
    conflicts: list[str] = []
    empty: list[str] = []
    for path in files:
        for example in _file_examples(path):
            if not example.normalized:
                empty.append(example.source)
                continue
            first = seen.get(example.normalized)
            if first is None:
                seen[example.normalized] = example
                continue
            duplicates += 1
            if first.intent != example.intent:
                conflicts.append(
                    f"{example.source} ({example.intent}) repeats {first.source} ({first.intent}):"
                    f" {example.text!r}"
                )
    return Dataset(
        examples=tuple(seen.values()),
        files=files,
        data_hash=data_hash(files=files),
        duplicates=duplicates,
        conflicts=tuple(conflicts),
        empty=tuple(empty),
    )


def _split_key(example: Example) -> str:
    return hashlib.sha256(example.normalized.encode()).hexdigest()


def dataset_split(
    examples: Iterable[Example], *, percent: int = HELDOUT_PERCENT
) -> tuple[list[Example], list[Example]]:
    """(train, held-out): per intent, the `percent`% with the lowest text hashes are held out.

    Both lists keep the input order, so training sees the same sequence every time.
    """
    examples = list(examples)
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    heldout_ids: set[int] = set()
    for group in by_intent.values():
        size = len(group)
        count = round(size * percent / 100)
        if size >= 2:
            count = max(count, 1)
        for example in sorted(group, key=_split_key)[:count]:
            heldout_ids.add(id(example))
    train = [example for example in examples if id(example) not in heldout_ids]
    heldout = [example for example in examples if id(example) in heldout_ids]
    return train, heldout


def tweets_load(*, labels_path: Path, texts_path: Path) -> list[LabelledTweet]:
    """The labelled tweets with their texts. FileNotFoundError when either file is missing,
    DatasetError for a bad label line or an id the texts file does not have."""
    if not texts_path.exists():
        raise FileNotFoundError(texts_path)
    labels = list(_rows(labels_path, header=_TWEET_HEADER))
    texts: dict[str, str] = {}
    with texts_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) >= 2:
                texts[row[0]] = row[1]
    tweets: list[LabelledTweet] = []
    for number, (tweet_id, intent, note) in labels:
        where = f"{labels_path}:{number}"
        if intent not in INTENTS:
            raise DatasetError(f"{where}: unknown intent {intent!r}")
        if tweet_id not in texts:
            raise DatasetError(f"{where}: tweet id {tweet_id} is not in {texts_path}")
        tweets.append(LabelledTweet(id=tweet_id, intent=intent, text=texts[tweet_id], note=note))
    return tweets
