"""Settings read from the environment, with the single-machine defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
MODELS_DIR = ROOT / "models"

DEFAULT_CORS = "http://localhost:8080,http://127.0.0.1:8080"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None


def _list(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


@dataclass(frozen=True)
class Settings:
    rasa_port: int = field(default_factory=lambda: _int("RASA_PORT", 5005))
    action_port: int = field(default_factory=lambda: _int("ACTION_PORT", 5055))
    web_port: int = field(default_factory=lambda: _int("WEB_PORT", 8080))
    host: str = field(default_factory=lambda: os.environ.get("BIND_HOST", "0.0.0.0"))
    # The HTTP API (/model, /conversations, ...) is enabled only with a token.
    api_token: str = field(default_factory=lambda: os.environ.get("RASA_API_TOKEN", ""))
    cors_origins: list[str] = field(default_factory=lambda: _list("CORS_ORIGINS", DEFAULT_CORS))
    action_url: str = field(default_factory=lambda: os.environ.get("ACTION_SERVER_URL", ""))
    log_level: str = field(default_factory=lambda: os.environ.get("LOG_LEVEL", "INFO").upper())
    # Largest HTTP body accepted by the Rasa server (bytes); bigger gets 413.
    max_request_bytes: int = field(default_factory=lambda: _int("MAX_REQUEST_BYTES", 64 * 1024))
    # Longest user message handled (characters); longer gets a polite refusal.
    max_message_chars: int = field(default_factory=lambda: _int("MAX_MESSAGE_CHARS", 2000))

    @property
    def action_endpoint(self) -> str:
        return self.action_url or f"http://127.0.0.1:{self.action_port}/webhook"

    @property
    def sqlite_path(self) -> Path:
        return Path(os.environ.get("TRACKER_SQLITE_PATH", str(VAR_DIR / "tracker.db")))


def load() -> Settings:
    return Settings()
