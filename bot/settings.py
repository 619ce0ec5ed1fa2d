"""Settings read from the environment, with the single-machine defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import parse_qsl, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
MODELS_DIR = ROOT / "models"

DEFAULT_CORS = "http://localhost:8080,http://127.0.0.1:8080"


@dataclass(frozen=True)
class Database:
    """PostgreSQL tracker store (from DATABASE_URL or DB_HOST/DB_PORT/DB_NAME/...)."""
    host: str
    port: int = 5432
    name: str = "rasa"
    user: str = ""
    password: str = field(default="", repr=False)
    # Extra libpq options from the URL's query string, e.g. sslmode=require.
    query: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Redis:
    """Redis lock store (from REDIS_URL or REDIS_HOST/REDIS_PORT/REDIS_DB/...)."""
    host: str
    port: int = 6379
    db: int = 1
    password: str = field(default="", repr=False)
    use_ssl: bool = False
    # Alphanumeric (Rasa's rule); lets several deployments share one Redis.
    key_prefix: str = ""


@dataclass(frozen=True)
class RabbitMQ:
    """Optional event broker (RABBITMQ_URL), for analytics consumers."""
    host: str
    port: int = 5672
    user: str = "guest"
    password: str = field(default="guest", repr=False)
    queue: str = "rasa_events"


@dataclass(frozen=True)
class Channel:
    """A messaging channel: on when its first variable is set; the others it
    needs are then required. Values reach Rasa as ${VARS} (bot/credentials.py),
    so no token or secret is written to disk."""
    name: str
    connector: str  # InputChannel class
    required: tuple[str, ...]
    api_url_var: str = ""  # the platform API's base URL (a test points it at a fake)
    api_url_default: str = ""
    optional: tuple[str, ...] = ()


# Messaging channels (bot/messaging/). Every inbound request is authenticated
# with the secret listed here; SENDER_HASH_KEY keys the pseudonyms of senders.
CHANNELS = (
    Channel("telegram", "bot.messaging.telegram.TelegramInput",
            ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_SECRET_TOKEN"),
            "TELEGRAM_API_URL", "https://api.telegram.org"),
    Channel("messenger", "bot.messaging.messenger.MessengerInput",
            ("MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN"),
            "MESSENGER_API_URL", "https://graph.facebook.com/v19.0"),
    Channel("twilio", "bot.messaging.twilio.TwilioInput",
            ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER", "TWILIO_WEBHOOK_URL"),
            "TWILIO_API_URL", "https://api.twilio.com", optional=("TWILIO_WHATSAPP_NUMBER",)),
    Channel("slack", "bot.messaging.slack.SlackInput",
            ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
            "SLACK_API_URL", "https://slack.com/api"),
    Channel("callback", "bot.messaging.callback.CallbackInput",
            ("CALLBACK_URL", "CALLBACK_SECRET")),
)
MIN_SECRET_CHARS = 16


@dataclass(frozen=True)
class Settings:
    rasa_port: int = 5005
    action_port: int = 5055
    web_port: int = 8080
    host: str = "0.0.0.0"
    # The action server has no authentication: it runs any action on any tracker
    # it is sent. Local only by default; a container on a private network sets
    # ACTION_BIND_HOST=0.0.0.0 (deploy/).
    action_host: str = "127.0.0.1"
    # The HTTP API (/model, /conversations, ...) is enabled only with a token.
    api_token: str = field(default="", repr=False)
    cors_origins: tuple[str, ...] = tuple(DEFAULT_CORS.split(","))
    action_url: str = ""
    sqlite_path: Path = VAR_DIR / "tracker.db"
    # Largest HTTP body accepted by the Rasa server (bytes); bigger gets 413.
    max_request_bytes: int = 64 * 1024
    # Largest tracker the action server accepts from Rasa (bytes).
    action_max_request_bytes: int = 16 * 1024 * 1024
    # Longest user message handled (characters); longer gets a polite refusal.
    max_message_chars: int = 2000
    # Production stores; None = the single-machine defaults (SQLite, in-memory locks).
    database: Optional[Database] = None
    redis: Optional[Redis] = None
    rabbitmq: Optional[RabbitMQ] = None
    # An endpoints file given by the operator wins over the generated one.
    endpoints_file: str = ""
    # Conversations inactive for longer are deleted by `make purge`, and by
    # `python -m bot run` at start-up and then daily unless AUTO_PURGE=0.
    retention_days: int = 30
    auto_purge: bool = True
    # Rasa URL the demo page gives the widget ("" = the page's host on rasa_port).
    public_rasa_url: str = ""
    # How long a store waits for the database to come back before giving up (s),
    # and for the event broker to take one event (s).
    db_retry_seconds: float = 15.0
    event_publish_timeout: float = 5.0
    # Messaging channels switched on by their variables (names from CHANNELS),
    # and their optional variables that are set.
    channels: tuple[str, ...] = ()
    channel_options: tuple[str, ...] = ()
    # Keys the pseudonyms of messaging senders (bot/messaging/senders.py).
    sender_hash_key: str = field(default="", repr=False)

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


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...]):
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not parts.hostname:
        raise SystemExit(f"{name} must look like {schemes[0]}://user:password@host:port/..., "
                         f"got scheme {parts.scheme!r}")
    try:
        parts.port
    except ValueError:
        raise SystemExit(f"{name} has an invalid port") from None
    return parts


def _database(env: Mapping[str, str]) -> Optional[Database]:
    url = _url(env, "DATABASE_URL", ("postgresql", "postgres", "postgresql+psycopg2"))
    if url:
        return Database(
            host=url.hostname, port=url.port or 5432,
            name=unquote(url.path.lstrip("/")) or "rasa",
            user=unquote(url.username or ""), password=unquote(url.password or ""),
            query=tuple(parse_qsl(url.query)),
        )
    if env.get("DB_HOST", "").strip():
        return Database(
            host=env["DB_HOST"].strip(), port=_int(env, "DB_PORT", 5432),
            name=env.get("DB_NAME", "").strip() or "rasa",
            user=env.get("DB_USER", "").strip(), password=env.get("DB_PASSWORD", ""),
        )
    return None


def _redis(env: Mapping[str, str]) -> Optional[Redis]:
    prefix = env.get("REDIS_KEY_PREFIX", "").strip()
    if prefix and not prefix.isalnum():
        raise SystemExit(f"REDIS_KEY_PREFIX must be alphanumeric, got {prefix!r}")
    url = _url(env, "REDIS_URL", ("redis", "rediss"))
    if url:
        db = url.path.lstrip("/")
        if db and not db.isdigit():
            raise SystemExit(f"REDIS_URL: the database must be a number, got {db!r}")
        return Redis(host=url.hostname, port=url.port or 6379, db=int(db or 1),
                     password=unquote(url.password or ""), use_ssl=url.scheme == "rediss",
                     key_prefix=prefix)
    if env.get("REDIS_HOST", "").strip():
        return Redis(host=env["REDIS_HOST"].strip(), port=_int(env, "REDIS_PORT", 6379),
                     db=_int(env, "REDIS_DB", 1), password=env.get("REDIS_PASSWORD", ""),
                     key_prefix=prefix)
    return None


def _rabbitmq(env: Mapping[str, str]) -> Optional[RabbitMQ]:
    url = _url(env, "RABBITMQ_URL", ("amqp", "amqps"))
    if not url:
        return None
    if url.path.strip("/") not in ("", "%2F", "%2f"):
        # Rasa's Pika broker connects to the default virtual host only.
        raise SystemExit("RABBITMQ_URL: only the default virtual host (/) is supported")
    return RabbitMQ(host=url.hostname, port=url.port or 5672,
                    user=unquote(url.username or "guest"),
                    password=unquote(url.password or "guest"),
                    queue=env.get("RABBITMQ_QUEUE", "").strip() or "rasa_events")


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name} must be 1/0 (or true/false), got {raw!r}")


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    origins = env.get("CORS_ORIGINS", DEFAULT_CORS)
    return Settings(
        rasa_port=_int(env, "RASA_PORT", 5005),
        action_port=_int(env, "ACTION_PORT", 5055),
        web_port=_int(env, "WEB_PORT", 8080),
        host=env.get("BIND_HOST", "0.0.0.0"),
        action_host=env.get("ACTION_BIND_HOST", "").strip() or "127.0.0.1",
        api_token=env.get("RASA_API_TOKEN", ""),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        action_url=env.get("ACTION_SERVER_URL", ""),
        sqlite_path=Path(env.get("TRACKER_SQLITE_PATH", str(VAR_DIR / "tracker.db"))),
        max_request_bytes=_int(env, "MAX_REQUEST_BYTES", 64 * 1024),
        action_max_request_bytes=_int(env, "ACTION_MAX_REQUEST_BYTES", 16 * 1024 * 1024),
        max_message_chars=_int(env, "MAX_MESSAGE_CHARS", 2000),
        database=_database(env),
        redis=_redis(env),
        rabbitmq=_rabbitmq(env),
        endpoints_file=env.get("RASA_ENDPOINTS", "").strip(),
        retention_days=_positive(env, "RETENTION_DAYS", 30),
        auto_purge=_flag(env, "AUTO_PURGE", True),
        public_rasa_url=env.get("PUBLIC_RASA_URL", "").strip(),
        db_retry_seconds=_seconds(env, "DB_RETRY_SECONDS", 15.0),
        event_publish_timeout=_seconds(env, "EVENT_PUBLISH_TIMEOUT", 5.0),
        channels=_channels(env),
        channel_options=tuple(v for c in CHANNELS for v in c.optional if env.get(v, "").strip()),
        sender_hash_key=env.get("SENDER_HASH_KEY", "").strip(),
    )


def _channels(env: Mapping[str, str]) -> tuple[str, ...]:
    """The messaging channels whose first variable is set; refuses a half
    configuration (a channel without its secret would accept anyone)."""
    on = []
    for channel in CHANNELS:
        if not env.get(channel.required[0], "").strip():
            continue
        missing = [v for v in channel.required if not env.get(v, "").strip()]
        if missing:
            raise SystemExit(f"{channel.name}: {channel.required[0]} is set but {', '.join(missing)} "
                             f"{'is' if len(missing) == 1 else 'are'} not (see README, \"Canaux de messagerie\")")
        on.append(channel.name)
    if on and len(env.get("SENDER_HASH_KEY", "").strip()) < MIN_SECRET_CHARS:
        raise SystemExit(f"SENDER_HASH_KEY (at least {MIN_SECRET_CHARS} characters) is required with the "
                         f"messaging channels ({', '.join(on)}): senders' phone numbers and account ids "
                         f"are stored as a keyed hash")
    return tuple(on)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < 0:
        raise SystemExit(f"{name} must not be negative, got {raw!r}")
    return value


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, got {value}")
    return value
