"""Settings read from the environment, with the single-machine defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
MODELS_DIR = ROOT / "models"

DEFAULT_CORS = "http://localhost:8080,http://127.0.0.1:8080"


@dataclass(frozen=True)
class Settings:
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080
    host: str = "0.0.0.0"
    # The HTTP API (/model, /conversations, ...) is enabled only with a token.
    api_token: str = ""
    cors_origins: tuple[str, ...] = tuple(DEFAULT_CORS.split(","))
    action_url: str = ""
    sqlite_path: Path = VAR_DIR / "tracker.db"
    # Largest HTTP body accepted by the Rasa server (bytes); bigger gets 413.
    max_request_bytes: int = 64 * 1024
    # Longest user message handled (characters); longer gets a polite refusal.
    max_message_chars: int = 2000

    @property
    def action_endpoint(self) -> str:
        return self.action_url or f"http://127.0.0.1:{self.action_port}/webhook"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from None


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    origins = env.get("CORS_ORIGINS", DEFAULT_CORS)
    return Settings(
        rasa_port=_int(env, "RASA_PORT", 5005),
        action_port=_int(env, "ACTION_PORT", 5055),
        web_port=_int(env, "WEB_PORT", 8080),
        host=env.get("BIND_HOST", "0.0.0.0"),
        api_token=env.get("RASA_API_TOKEN", ""),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        action_url=env.get("ACTION_SERVER_URL", ""),
        sqlite_path=Path(env.get("TRACKER_SQLITE_PATH", str(VAR_DIR / "tracker.db"))),
        max_request_bytes=_int(env, "MAX_REQUEST_BYTES", 64 * 1024),
        max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 2000),
    )
