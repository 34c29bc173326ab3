"""Settings from environment variables (documented in the README's configuration table)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

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
    action_server_token: str | None = Field(
        default=None,
        description="Shared secret Rasa sends the action server (X-Desk-Token); the launcher "
        "makes a new one each start when unset.",
    )
    rasa_port: int = Field(default=5005, description="Rasa server port (used by the launcher).")
    telegram_bot_token: str | None = Field(
        default=None, description="Bot token; without it `make run` chats in the terminal."
    )
    telegram_api_url: str | None = Field(
        default=None, description="Base URL of a Telegram Bot API server (tests use a stand-in)."
    )
    wechat_app_id: str | None = Field(
        default=None,
        description="WeChat 公众号 AppID; with the secret and the token the channel is on.",
    )
    wechat_app_secret: str | None = Field(
        default=None, description="WeChat 公众号 AppSecret (for the access token)."
    )
    wechat_token: str | None = Field(
        default=None, description="The Token set in the 公众号's server configuration (signatures)."
    )
    wechat_aes_key: str | None = Field(
        default=None,
        description="EncodingAESKey (43 characters) for 安全模式 (encrypted messages).",
    )
    wechat_api_url: str | None = Field(
        default=None, description="Base URL of the WeChat API (tests use a stand-in)."
    )
    web_host: str = Field(
        default="127.0.0.1", description="Address the web chat page listens on (the gateway)."
    )
    web_port: int = Field(default=8080, description="Port of the web chat page.")
    max_message_chars: int = Field(
        default=2000, gt=0, description="Longer messages are cut to this length before NLU."
    )
    chat_burst: int = Field(
        default=20,
        gt=0,
        description="Messages one chat may send at once before the flood limit applies.",
    )
    chat_messages_per_second: float = Field(
        default=1.0,
        gt=0,
        description="Messages per second one chat may send after its burst; more get a "
        "notice once and are not read (other chats are not slowed).",
    )
    ticket_remind_after_minutes: float = Field(
        default=30.0,
        gt=0,
        description="A case nobody has taken after this long is brought to the lawyers' notice "
        "(and again after each further period).",
    )
    retention_days: int = Field(
        default=730,
        ge=1,
        description="Personal data of finished applications and closed cases is erased this many "
        "days after their last change (python -m desk purge).",
    )
    conversation_retention_days: int = Field(
        default=180,
        ge=1,
        description="Conversations (Rasa's tracker store) and delivered notices are deleted this "
        "many days after their last message.",
    )
    staff_see_cases: Literal["none", "summary", "full"] = Field(
        default="summary",
        description="What union staff see of lawyers' cases (console and command line): none; "
        "summary, the queue line without the story; full, the whole case with personal numbers "
        "masked.",
    )
    log_level: str = Field(default="INFO", description="Log level of our processes.")
    secret_key: str | None = Field(
        default=None,
        description="Salt for pseudonymous chat ids in statistics; generated under var/ if unset.",
    )
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Databases, logs, secrets.")
    knowledge_dir: Path = Field(default=PROJECT_ROOT / "knowledge", description="Knowledge data.")

    @property
    def wechat_enabled(self) -> bool:
        return bool(self.wechat_app_id and self.wechat_app_secret and self.wechat_token)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
