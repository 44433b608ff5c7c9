"""Natural-language understanding for the chatbot: intent, confidence and entities of a message.

    from sampark.channels.chatbot.nlu import nlu_classify
    nlu_classify("४ घंटे से बिजली नहीं है, खाता 1234567890")
    # Prediction(intent="no_supply", confidence=0.97, confident=True,
    #            entities={"account_number": "1234567890", "duration": {...}, ...})

Modules: normalize (one romanised form for all three scripts), entities (account, mobile,
complaint number, yes/no, rating, duration, abuse), dataset (training files, held-out split),
model (classifier, saved artefact, nlu_classify), evaluation (figures for `sampark nlu eval`).
docs/chatbot-nlu.md describes the whole.
"""

from __future__ import annotations

from sampark.channels.chatbot.nlu.dataset import DatasetError
from sampark.channels.chatbot.nlu.entities import entities_extract
from sampark.channels.chatbot.nlu.intents import INTENTS
from sampark.channels.chatbot.nlu.model import (
    Prediction,
    TrainReport,
    nlu_classify,
    nlu_model,
    nlu_train,
)
from sampark.channels.chatbot.nlu.normalize import text_normalize

__all__ = [
    "INTENTS",
    "DatasetError",
    "Prediction",
    "TrainReport",
    "entities_extract",
    "nlu_classify",
    "nlu_model",
    "nlu_train",
    "text_normalize",
]
