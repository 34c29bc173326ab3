"""Settings from environment variables (documented in the README's configuration table)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'desk.db'}",
        description="SQLAlchemy URL of the desk's own database.",
    )
    rasa_url: str = Field(
        default="http://127.0.0.1:5005",
        description="Rasa server base URL; several, comma-separated, to spread conversations.",
    )
    rasa_instances: int = Field(
        default=1,
        ge=1,
        le=16,
        description="Rasa instances the launcher starts (more than one needs PostgreSQL + Redis).",
    )
    rasa_tracker_url: str | None = Field(
        default=None,
        description="PostgreSQL database shared by the Rasa instances' tracker store.",
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/1",
        description="Redis for Rasa's lock store when there are several instances.",
    )
    rasa_timeout_seconds: float = Field(
        default=20.0, gt=0, description="How long the gateway waits for Rasa before apologising."
    )
    action_server_host: str = Field(default="127.0.0.1", description="Action server bind address.")
    action_server_port: int = Field(default=5055, description="Action server port.")
    rasa_port: int = Field(default=5005, description="Rasa server port (used by the launcher).")
    telegram_bot_token: str | None = Field(
        default=None, description="Bot token; without it `make run` chats in the terminal."
    )
    telegram_api_url: str | None = Field(
        default=None, description="Base URL of a Telegram Bot API server (tests use a stand-in)."
    )
    max_message_chars: int = Field(
        default=2000, gt=0, description="Longer messages are cut to this length before NLU."
    )
    ticket_remind_after_minutes: float = Field(
        default=30.0,
        gt=0,
        description="A case nobody has taken after this long is brought to the lawyers' notice "
        "(and again after each further period).",
    )
    log_level: str = Field(default="INFO", description="Log level of our processes.")
    secret_key: str | None = Field(
        default=None,
        description="Salt for pseudonymous chat ids in statistics; generated under var/ if unset.",
    )
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Databases, logs, secrets.")
    knowledge_dir: Path = Field(default=PROJECT_ROOT / "knowledge", description="Knowledge data.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
