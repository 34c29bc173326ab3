"""Runs the action server on loopback only (rasa-sdk's own CLI always binds 0.0.0.0)."""

from __future__ import annotations

import argparse
import sys

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

from actions.token import require_token
from desk.common.logging_setup import configure_logging
from desk.common.private_files import keep_new_files_private
from desk.settings import get_settings


def main() -> None:
    keep_new_files_private()
    settings = get_settings()
    parser = argparse.ArgumentParser(description="职工在线服务台 action server")
    parser.add_argument("--host", default=settings.action_server_host)
    parser.add_argument("--port", type=int, default=settings.action_server_port)
    args = parser.parse_args()
    if not settings.action_server_token:
        sys.exit("ACTION_SERVER_TOKEN is not set: Rasa and the action server share it.")

    configure_logging(settings.log_level)
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=None)
    require_token(app, settings.action_server_token)
    # Rasa keeps its connection to us (rasa_runtime/speedups.py) and drops it after 15 s idle:
    # closing first here could race with a call on its way in.
    app.config.KEEP_ALIVE_TIMEOUT = 75
    # One process: Sanic's worker manager would add a second one for nothing on 2 cores.
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
