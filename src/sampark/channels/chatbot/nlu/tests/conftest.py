"""One model for the whole session, trained into a temporary directory (never var/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from sampark.channels.chatbot.nlu import nlu_model, nlu_train


@pytest.fixture(scope="session")
def nlu_model_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The trained model's path, set as SAMPARK_NLU_MODEL_PATH for the session's tests."""
    path = tmp_path_factory.mktemp("nlu") / "model.joblib"
    nlu_train(path=path)
    with override_settings(SAMPARK_NLU_MODEL_PATH=str(path)):
        nlu_model.cache_clear()
        yield path
    nlu_model.cache_clear()
