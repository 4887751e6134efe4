"""Where fitted models live: one joblib file per version in the model directory.

``HRCOOP_MODEL_DIR`` (a setting or environment variable) chooses the directory; by default it is
``var/models`` beside the SQLite database, so a single machine needs no configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings

from hrcoop.core.errors import NotFound


def model_dir() -> Path:
    configured = getattr(settings, "HRCOOP_MODEL_DIR", None) or os.environ.get("HRCOOP_MODEL_DIR")
    path = Path(configured) if configured else Path(settings.VAR_DIR) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(name: str, model: Any) -> None:
    joblib.dump(model, model_dir() / name, compress=3)


def load(name: str) -> Any:
    path = model_dir() / name
    if not path.exists():
        raise NotFound(f"the model file {path} is missing; run `hrcoop classify train` again")
    return joblib.load(path)
