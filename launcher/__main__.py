"""python -m launcher run|serve|train: what `make run`, `make serve` and `make train` do."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import secrets
import signal
import sys
import threading
from types import FrameType

from bot.web.app import page_url
from desk.common.chats import GATEWAY_TOKEN_ENV
from desk.common.private_files import keep_new_files_private, make_private
from desk.settings import PROJECT_ROOT, get_settings
from desk.storage.db import ensure_database
from desk.storage.migrate import upgrade_database
from launcher.processes import ChildFailed, ProcessGroup
from launcher.stack import StackConfig, start_stack, wait_stack_ready
from launcher.training import ensure_model

GATEWAY_READY_TIMEOUT = 60.0


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(chat_here: bool) -> int:
    settings = get_settings()
    make_private(settings.data_dir)
    # Rasa, the gateway and the terminal chat here all read the gateway's secret from it.
    os.environ.setdefault(GATEWAY_TOKEN_ENV, secrets.token_urlsafe(32))
    model = ensure_model()
    upgrade_database()
    config = StackConfig(
        rasa_port=settings.rasa_port,
        action_port=settings.action_server_port,
        database_url=settings.database_url,
        tracker_db=settings.data_dir / "rasa_tracker.db",
        log_dir=settings.data_dir / "log",
        model=model,
        data_dir=settings.data_dir,
        instances=settings.rasa_instances,
        tracker_url=settings.rasa_tracker_url,
        redis_url=settings.redis_url,
    )
    if settings.action_server_token:  # a fixed one (systemd units share desk.env)
        config = dataclasses.replace(config, action_token=settings.action_server_token)
    group = ProcessGroup(config.log_dir)
    stopped = threading.Event()
    # Explicit handlers: a launcher started in the background inherits SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        if config.instances > 1:
            ensure_database(config.tracker_url or "")
        seconds = wait_stack_ready(group, config, start_stack(group, config))
        print(
            f"Rasa 已就绪 / ready in {seconds:.0f} s: {config.rasa_url}"
            f"  (日志 / logs: {config.log_dir})"
        )
        web = page_url(settings.web_host, settings.web_port)
        in_process = chat_here and not settings.telegram_bot_token
        if not in_process:
            # The gateway talks to the Rasa started here, whatever port RASA_PORT chose.
            gateway_env = dict(os.environ, RASA_URL=config.rasa_url)
            gateway = group.start(
                "gateway", [sys.executable, "-m", "bot"], gateway_env, PROJECT_ROOT
            )
            group.wait_http_ready(
                gateway, f"{web}healthz", GATEWAY_READY_TIMEOUT, "网关启动中 / gateway starting"
            )
        # From here on a process that dies is restarted (with back-off); the others go on.
        threading.Thread(target=group.supervise, args=(stopped,), daemon=True).start()
        if in_process:
            from bot.__main__ import main_async

            # The terminal chat and the web page, in this process.
            try:
                asyncio.run(main_async("terminal", config.rasa_url))
            except OSError as failure:  # the web page's port is taken
                print(f"网页聊天无法启动 / web chat: {web}: {failure} (WEB_PORT)", file=sys.stderr)
                return 1
            return 0
        print(f"网页聊天 / web chat: {web}")
        print(f"律师和工作人员的控制台 / console: {web}console")
        if settings.telegram_bot_token:
            print("Telegram 网关已启动 / Telegram gateway polling.")
        if settings.wechat_enabled:
            print(f"微信公众号服务器地址 / WeChat server URL: {web}wechat")
        print("Ctrl-C 停止 / to stop.")
        stopped.wait()
        return 0
    except ChildFailed as failure:
        print(f"启动失败 / start failed: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stopped.set()
        print("正在停止所有进程 / stopping all processes …", flush=True)
        group.stop_all()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m launcher")
    parser.add_argument("command", choices=["run", "serve", "train", "migrate"])
    command = parser.parse_args().command
    keep_new_files_private()  # the children inherit it: databases and logs are 0600
    # Progress and "ready" lines must show as they happen also when stdout is a pipe or a log.
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    if command == "train":
        ensure_model()
    elif command == "migrate":
        upgrade_database()
    else:
        sys.exit(serve(chat_here=command == "run"))


if __name__ == "__main__":
    main()
