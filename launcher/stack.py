"""The desk's server processes: how each one is started, and when it counts as ready."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from desk.common.chats import GATEWAY_TOKEN_ENV
from desk.settings import PROJECT_ROOT
from launcher.processes import Child, ProcessGroup
from launcher.training import RASA_SERVER

RASA_READY_TIMEOUT = 180.0
ACTIONS_READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class StackConfig:
    rasa_port: int
    action_port: int
    database_url: str
    tracker_db: Path
    log_dir: Path
    model: Path
    data_dir: Path
    # Scale-out (README, "Production"): several Rasa instances, each with its own action server,
    # sharing a PostgreSQL tracker store; Rasa's Redis lock store keeps each conversation's
    # turns in order whichever instance receives them. Ports count up from the ones above.
    instances: int = 1
    tracker_url: str | None = None
    redis_url: str | None = None
    # How Rasa is started: through rasa_runtime (with the speedups), or a benchmark's plain rasa.
    rasa_command: tuple[str, ...] = RASA_SERVER
    # The secret Rasa sends the action server with every call (endpoints.yml): a process that
    # does not know it cannot run the desk's actions in a worker's name.
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    # The gateway's secret towards Rasa (desk.common.chats): the one already in the
    # environment (a gateway started elsewhere knows it), else a new one.
    gateway_token: str = field(
        default_factory=lambda: os.environ.get(GATEWAY_TOKEN_ENV) or secrets.token_urlsafe(32)
    )

    def __post_init__(self) -> None:
        if self.instances > 1 and not (self.tracker_url and self.redis_url):
            raise ValueError("several Rasa instances need RASA_TRACKER_URL and REDIS_URL")

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{self.rasa_port + i}" for i in range(self.instances)]

    @property
    def rasa_url(self) -> str:
        """What the gateway is given: every instance, comma-separated."""
        return ",".join(self.rasa_urls)


@dataclass(frozen=True)
class Stack:
    actions: list[Child]
    rasa: list[Child]


def base_env(config: StackConfig) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=config.database_url,
        DATA_DIR=str(config.data_dir),
        ACTION_SERVER_TOKEN=config.action_token,
        GATEWAY_TOKEN=config.gateway_token,
        PYTHONUNBUFFERED="1",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    return env


def _stores_env(config: StackConfig) -> dict[str, str]:
    """endpoints.yml reads its tracker and lock store from these."""
    if config.instances == 1:
        config.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        return {
            "RASA_TRACKER_DIALECT": "sqlite",
            "RASA_TRACKER_URL": "",
            "RASA_TRACKER_DB": str(config.tracker_db),
            "RASA_LOCK_STORE": "in_memory",
            "RASA_REDIS_HOST": "",
            "RASA_REDIS_PORT": "6379",
            "RASA_REDIS_DB": "0",
        }
    tracker = make_url(config.tracker_url or "")
    redis = urlsplit(config.redis_url or "")
    return {
        "RASA_TRACKER_DIALECT": "postgresql",
        # Rasa's environment has psycopg2, its SQLAlchemy's default PostgreSQL driver.
        "RASA_TRACKER_URL": tracker.set(drivername="postgresql").render_as_string(False),
        "RASA_TRACKER_DB": tracker.database or "",
        "RASA_LOCK_STORE": "redis",
        "RASA_REDIS_HOST": redis.hostname or "127.0.0.1",
        "RASA_REDIS_PORT": str(redis.port or 6379),
        "RASA_REDIS_DB": redis.path.strip("/") or "0",
    }


def _instance_name(kind: str, index: int) -> str:
    return kind if index == 0 else f"{kind}-{index + 1}"


def _actions_argv(port: int) -> list[str]:
    return [sys.executable, "-m", "actions", "--host", "127.0.0.1", "--port", str(port)]


def _rasa_argv(config: StackConfig, port: int) -> list[str]:
    files = ["--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
    listen = ["--interface", "127.0.0.1", "--port", str(port)]
    return [*config.rasa_command, "run", "--model", str(config.model), *files, *listen]


def start_stack(group: ProcessGroup, config: StackConfig) -> Stack:
    """Starts the action servers and Rasa instances; returns them without waiting."""
    stack = Stack([], [])
    for index in range(config.instances):
        env = base_env(config)
        action_port = config.action_port + index
        actions = group.start(
            _instance_name("actions", index), _actions_argv(action_port), env, PROJECT_ROOT
        )
        env.update(_stores_env(config), ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook")
        rasa = group.start(
            _instance_name("rasa", index),
            _rasa_argv(config, config.rasa_port + index),
            env,
            PROJECT_ROOT,
        )
        stack.actions.append(actions)
        stack.rasa.append(rasa)
    return stack


def wait_stack_ready(group: ProcessGroup, config: StackConfig, stack: Stack) -> float:
    """Waits for every server; returns how long the Rasa instances took."""
    for index, actions in enumerate(stack.actions):
        group.wait_http_ready(
            actions,
            f"http://127.0.0.1:{config.action_port + index}/health",
            ACTIONS_READY_TIMEOUT,
            "动作服务器启动中",
        )
    return sum(
        group.wait_http_ready(
            rasa,
            f"{url}/webhooks/rest/",
            RASA_READY_TIMEOUT,
            "Rasa 正在加载模型（约需数十秒）/ Rasa is loading the model",
        )
        for rasa, url in zip(stack.rasa, config.rasa_urls, strict=True)
    )
