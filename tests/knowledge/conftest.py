"""Fixtures for the knowledge tests: the real data, and a writable copy of it."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest
import yaml

from knowledge import KnowledgeBase
from knowledge.loader import DEFAULT_DATA_DIR

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The real data (read-only use)."""
    return KnowledgeBase(DEFAULT_DATA_DIR)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of knowledge/data/."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def _edit_yaml(data_dir: Path, name: str, change: Callable[[dict], None]) -> None:
    """Load data_dir/name, apply `change` to the parsed document, write it back."""
    path = data_dir / name
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def edit_yaml() -> Callable[[Path, str, Callable[[dict], None]], None]:
    return _edit_yaml
