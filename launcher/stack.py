"""The desk's server processes: how each one is started, and when it counts as ready."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

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

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"


def _base_env(config: StackConfig) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=config.database_url,
        DATA_DIR=str(config.data_dir),
        PYTHONUNBUFFERED="1",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    return env


def start_stack(group: ProcessGroup, config: StackConfig) -> tuple[Child, Child]:
    """Starts the action server and Rasa; returns them without waiting."""
    env = _base_env(config)
    actions = group.start(
        "actions",
        [sys.executable, "-m", "actions", "--host", "127.0.0.1", "--port", str(config.action_port)],
        env,
        PROJECT_ROOT,
    )
    env.update(
        ACTION_SERVER_URL=f"http://127.0.0.1:{config.action_port}/webhook",
        RASA_TRACKER_DIALECT="sqlite",
        RASA_TRACKER_DB=str(config.tracker_db),
    )
    config.tracker_db.parent.mkdir(parents=True, exist_ok=True)
    rasa = group.start(
        "rasa",
        [
            *RASA_SERVER,
            "run",
            "--model",
            str(config.model),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
            "--interface",
            "127.0.0.1",
            "--port",
            str(config.rasa_port),
        ],
        env,
        PROJECT_ROOT,
    )
    return actions, rasa


def wait_stack_ready(
    group: ProcessGroup, config: StackConfig, actions: Child, rasa: Child
) -> float:
    """Waits for both servers; returns how long Rasa took."""
    group.wait_http_ready(
        actions,
        f"http://127.0.0.1:{config.action_port}/health",
        ACTIONS_READY_TIMEOUT,
        "动作服务器启动中",
    )
    return group.wait_http_ready(
        rasa,
        f"{config.rasa_url}/webhooks/rest/",
        RASA_READY_TIMEOUT,
        "Rasa 正在加载模型（约需数十秒）/ Rasa is loading the model",
    )
