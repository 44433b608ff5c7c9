"""The intent classifier: training, the saved artefact, and `nlu_classify`.

Model: a scikit-learn pipeline over `text_normalize` output. Features are the union of TF-IDF
character n-grams (char_wb, 2-5, sublinear tf: robust to typos and to the many spellings of
romanised Hindi) and TF-IDF word uni/bi-grams (sublinear tf); digits are masked first (an account
number says nothing about the intent). The classifier is a linear SVM (C=1) calibrated to
probabilities with 5-fold sigmoid calibration: in 5-fold cross-validation over all the data it
beat logistic regression and the other settings tried (docs/chatbot-nlu.md has the figures) and
trains in about a second. One message is scored by `LinearScorer` (scorer.py), the same arithmetic
without scikit-learn's per-call overhead. Confidence is the largest class probability; below
`SAMPARK_NLU_THRESHOLD` the prediction is not `confident` and callers show a menu instead.

Lifecycle: `nlu_model()` loads the artefact at `SAMPARK_NLU_MODEL_PATH` once per process. The
artefact records a key (SHA-256 of the training files plus the feature and normaliser versions)
and the library versions; when the file is missing, unreadable, made from other data or by other
library versions, the model is trained in-process (a second or two) and saved atomically (a temp
file in the same directory, then os.replace), with one log line. Training is reproducible: the
same data gives the same predictions (fixed order, fixed random_state, single-threaded BLAS).
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import re
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import indic_transliteration
import joblib
import numpy as np
import scipy
import sklearn
from django.conf import settings
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from sampark.channels.chatbot.nlu.dataset import (
    DATA_DIR,
    Dataset,
    Example,
    data_hash,
    dataset_files,
    dataset_load,
    dataset_split,
)
from sampark.channels.chatbot.nlu.entities import entities_extract
from sampark.channels.chatbot.nlu.intents import INTENTS, OUT_OF_SCOPE
from sampark.channels.chatbot.nlu.normalize import NORMALIZE_VERSION, text_normalize
from sampark.channels.chatbot.nlu.scorer import LinearScorer, UnsupportedPipeline

log = logging.getLogger(__name__)

# Bump when the features or the classifier change: saved models record it and retrain.
MODEL_VERSION = "2"
ARTEFACT_FORMAT = 1
# Chosen on the held-out split by the rule `sampark nlu eval` prints as "suggested": the highest
# threshold that still lets at least 95% of held-out messages through (docs/chatbot-nlu.md).
DEFAULT_THRESHOLD = 0.55
MAX_INPUT_CHARS = 4096  # longer input: only the start is read
TRUNCATED_CHARS = 1000
RANDOM_STATE = 0

_DIGITS = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def digits_mask(text: str) -> str:
    """Short numbers read as "0", identifiers (4+ digits) as "0000": the intent is in the words."""
    return _DIGITS.sub(lambda m: "0" if len(m.group()) < 4 else "0000", text)


# Other services and domains (normalised spellings). "vodafone ka bill", "plumber ka number",
# "gas supply band hai" use the utility's words in another sense; each of these words is followed
# by one shared marker token, so the model learns "another service" once from all of them
# instead of from each name's few examples. Chosen by 5-fold cross-validation (docs/chatbot-nlu.md).
OTHER_SERVICE_MARKER = "xotherservice"
# fmt: off
OTHER_SERVICES = frozenset((
    "pani", "water", "nal", "tanker", "sewer", "gas", "lpg", "png", "cylinder", "indane",
    "vodafone", "airtel", "jio", "bsnl", "broadband", "wifi", "fiber", "dth",
    "train", "pnr", "flight", "bus", "taxi", "railway", "tatkal",
    "pension", "passport", "aadhar", "adhar", "ration", "bank", "loan", "insurance", "bima",
    "plumber", "carpenter", "mechanic", "ambulance", "police", "thana",
    "flipkart", "amazon",
))  # not "jal" (jal gaya: burnt) nor "fir" (phir: then), which Hinglish uses for power faults
# fmt: on
_WORD = re.compile(r"\w+")


def _marked(match: re.Match[str]) -> str:
    word = match.group()
    return f"{word} {OTHER_SERVICE_MARKER}" if word in OTHER_SERVICES else word


def features_text(text: str) -> str:
    """What the vectorizers read: `text_normalize` output with numbers masked (`digits_mask`)
    and the other-service marker after each word of OTHER_SERVICES. The vectorizers'
    preprocessor, so a module-level function (pickled by reference); LinearScorer reads it
    through the vectorizers' analyzers, so the fast scorer applies it too."""
    return _WORD.sub(_marked, digits_mask(text))


def pipeline_build() -> Pipeline:
    """The unfitted pipeline; it reads `text_normalize` output."""
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    preprocessor=features_text,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+\b",
                    preprocessor=features_text,
                ),
            ),
        ]
    )
    classifier = CalibratedClassifierCV(
        LinearSVC(C=1.0, random_state=RANDOM_STATE), method="sigmoid", cv=5
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def library_versions() -> dict[str, str]:
    """The versions a pickled pipeline depends on: another version means retrain, not load."""
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
        "indic_transliteration": _version_of(indic_transliteration),
    }


def _version_of(module: Any) -> str:
    try:
        return version(module.__name__)
    except PackageNotFoundError:
        return str(getattr(module, "__version__", "unknown"))


def training_key(*, data_hash: str) -> str:
    """What the saved model must match: the data and the code that turns it into features."""
    return hashlib.sha256(
        f"{data_hash}:{MODEL_VERSION}:{NORMALIZE_VERSION}:{ARTEFACT_FORMAT}".encode()
    ).hexdigest()


# Texts the fast scorer must score exactly like the pipeline before it is trusted.
_PROBES = (
    "bijli nahi hai 4 ghante se",
    "transformer jal gaya",
    "hello",
    "meter 0000 tez chal raha hai",
    "zzzz qqqq",
    "vriddhavastha penshan kab ayegi",
)


@dataclass(frozen=True)
class NluModel:
    pipeline: Pipeline
    key: str
    data_hash: str
    versions: dict[str, str]
    scorer: LinearScorer | None = None  # built from the pipeline; not saved

    @classmethod
    def create(
        cls, *, pipeline: Pipeline, key: str, data_hash: str, versions: dict[str, str]
    ) -> NluModel:
        """The model with its fast scorer, if the scorer agrees with the pipeline."""
        try:
            scorer: LinearScorer | None = LinearScorer(pipeline)
        except UnsupportedPipeline as exc:
            log.warning("nlu: no fast scorer (%s); using predict_proba", exc)
            scorer = None
        if scorer is not None:
            expected = pipeline.predict_proba(list(_PROBES))
            got = np.vstack([scorer.probabilities(text) for text in _PROBES])
            if not np.allclose(expected, got, rtol=1e-9, atol=1e-12):
                log.warning("nlu: the fast scorer disagrees with predict_proba; not used")
                scorer = None
        return cls(
            pipeline=pipeline, key=key, data_hash=data_hash, versions=versions, scorer=scorer
        )

    def probabilities(self, normalized: list[str]) -> np.ndarray:
        """Class probabilities (columns in `self.intents` order) for normalised texts."""
        if self.scorer is not None and len(normalized) == 1:
            return self.scorer.probabilities(normalized[0]).reshape(1, -1)
        return np.asarray(self.pipeline.predict_proba(normalized))

    @property
    def intents(self) -> tuple[str, ...]:
        return tuple(str(label) for label in self.pipeline.classes_)

    def predict(self, normalized: list[str]) -> list[tuple[str, float]]:
        """(intent, confidence) per normalised text; empty text is out of scope, confidence 0."""
        result: list[tuple[str, float]] = [(OUT_OF_SCOPE, 0.0)] * len(normalized)
        readable = [i for i, text in enumerate(normalized) if _LETTER.search(text)]
        if readable:
            probabilities = self.probabilities([normalized[i] for i in readable])
            intents = self.intents
            for i, row in zip(readable, probabilities, strict=True):
                best = int(row.argmax())
                result[i] = (intents[best], round(float(row[best]), 4))
        return result


@dataclass(frozen=True)
class TrainReport:
    path: Path
    examples: int
    train: int
    heldout: int
    heldout_accuracy: float
    data_hash: str
    seconds: float
    duplicates: int
    conflicts: tuple[str, ...]
    empty: tuple[str, ...]


def _fit(dataset: Dataset) -> tuple[NluModel, list[Example], list[Example]]:
    train, heldout = dataset_split(dataset.examples)
    pipeline = pipeline_build()
    # One BLAS/OpenMP thread: faster on a busy machine and bit-for-bit repeatable.
    with threadpool_limits(limits=1):
        pipeline.fit([e.normalized for e in train], [e.intent for e in train])
    unknown = set(pipeline.classes_) - set(INTENTS)
    assert not unknown, unknown  # the loader rejects unknown intents
    model = NluModel.create(
        pipeline=pipeline,
        key=training_key(data_hash=dataset.data_hash),
        data_hash=dataset.data_hash,
        versions=library_versions(),
    )
    return model, train, heldout


def accuracy(model: NluModel, examples: list[Example]) -> float:
    if not examples:
        return 0.0
    predicted = model.predict([e.normalized for e in examples])
    right = sum(1 for e, (intent, _) in zip(examples, predicted, strict=True) if intent == e.intent)
    return right / len(examples)


def _save(model: NluModel, path: Path) -> None:
    """Write to a temp file beside `path`, then rename: readers never see half a file, and
    concurrent writers (two workers training at once) leave one whole artefact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    artefact = {
        "format": ARTEFACT_FORMAT,
        "key": model.key,
        "data_hash": model.data_hash,
        "model_version": MODEL_VERSION,
        "normalize_version": NORMALIZE_VERSION,
        "versions": model.versions,
        "intents": model.intents,
        "pipeline": model.pipeline,
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            joblib.dump(artefact, handle, compress=3)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; web workers may run as another user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _load(path: Path, *, key: str) -> tuple[NluModel | None, str]:
    """(model, "") when the file is there and current, else (None, why not)."""
    if not path.exists():
        return None, "missing"
    try:
        artefact = joblib.load(path)
    except Exception as exc:  # a truncated or foreign file: retrain rather than fail
        return None, f"unreadable ({type(exc).__name__})"
    if not isinstance(artefact, dict) or artefact.get("format") != ARTEFACT_FORMAT:
        return None, "another format"
    if artefact.get("key") != key:
        return None, "trained on other data"
    if artefact.get("versions") != library_versions():
        return None, "saved by other library versions"
    model = NluModel.create(
        pipeline=artefact["pipeline"],
        key=artefact["key"],
        data_hash=artefact["data_hash"],
        versions=artefact["versions"],
    )
    return model, ""


def model_path() -> Path:
    default = Path(settings.BASE_DIR) / "var" / "nlu" / "model.joblib"
    return Path(getattr(settings, "SAMPARK_NLU_MODEL_PATH", None) or default)


def confidence_threshold() -> float:
    return float(getattr(settings, "SAMPARK_NLU_THRESHOLD", DEFAULT_THRESHOLD))


def nlu_train(*, path: Path | None = None, data_dir: Path = DATA_DIR) -> TrainReport:
    """Train on the training split and save to `path` (default: the configured model path).

    Raises DatasetError on bad data. The caller's cached model (nlu_model) is left alone.
    """
    path = path or model_path()
    started = time.perf_counter()
    dataset = dataset_load(data_dir=data_dir)
    model, train, heldout = _fit(dataset)
    _save(model, path)
    return TrainReport(
        path=path,
        examples=len(dataset.examples),
        train=len(train),
        heldout=len(heldout),
        heldout_accuracy=accuracy(model, heldout),
        data_hash=dataset.data_hash,
        seconds=time.perf_counter() - started,
        duplicates=dataset.duplicates,
        conflicts=dataset.conflicts,
        empty=dataset.empty,
    )


def nlu_model_load(*, path: Path, data_dir: Path = DATA_DIR) -> NluModel:
    """The model saved at `path` if it matches the data, else a freshly trained (and saved) one."""
    files = dataset_files(data_dir=data_dir)
    model, why = _load(path, key=training_key(data_hash=data_hash(files=files)))
    if model is not None:
        return model
    started = time.perf_counter()
    model, train, _ = _fit(dataset_load(data_dir=data_dir))
    try:
        _save(model, path)
        saved = f"saved to {path}"
    except OSError as exc:
        saved = f"not saved ({exc})"
    log.info(
        "nlu: model at %s %s; trained on %d utterances in %.1fs, %s",
        path, why, len(train), time.perf_counter() - started, saved,
    )  # fmt: skip
    return model


_load_lock = threading.Lock()


@cache
def nlu_model() -> NluModel:
    """The process's model (loaded, or trained when stale, on first use)."""
    with _load_lock:  # threads arriving together train once; the others then read the file
        return nlu_model_load(path=model_path())


@dataclass(frozen=True)
class Prediction:
    text: str
    intent: str
    confidence: float
    confident: bool
    entities: dict[str, object]

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": self.confidence,
            "entities": self.entities,
        }


def _clean(text: object) -> str:
    """Any input as a str the pipeline can read: bytes decoded leniently, lone surrogates
    (from undecodable bytes) and NULs replaced, and only the start of a very long message."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_INPUT_CHARS:
        text = text[:TRUNCATED_CHARS]
    return _SURROGATES.sub("\ufffd", text).replace("\x00", " ")


_JUNK_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})  # controls, private use, unassigned


def _garbage(text: str) -> bool:
    """Binary data read as text: at least 10% undecodable or control characters (a person's
    message has none; the zero-width joiners of Devanagari are format characters, not these)."""
    junk = sum(
        1
        for ch in text
        if ch == "\ufffd" or (unicodedata.category(ch) in _JUNK_CATEGORIES and ch not in "\t\n\r")
    )
    return junk > 0 and junk * 10 >= len(text)


def nlu_classify(text: str) -> Prediction:
    """Intent, confidence and entities of one message.

    Never raises on odd input: an empty, emoji-only, digits-only or binary-garbage message is
    out_of_scope with confidence 0.0 (entities still come back, e.g. a bare account number).
    Input longer than 4,096 characters is read up to its first 1,000.
    """
    text = _clean(text)
    entities = entities_extract(text)
    normalized = text_normalize(text)
    if not _LETTER.search(normalized) or _garbage(text):
        return Prediction(text, OUT_OF_SCOPE, 0.0, False, entities)
    [(intent, confidence)] = nlu_model().predict([normalized])
    return Prediction(text, intent, confidence, confidence >= confidence_threshold(), entities)
