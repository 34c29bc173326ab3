"""python -m launcher run|serve|train: what `make run`, `make serve` and `make train` do."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
from types import FrameType

from desk.settings import PROJECT_ROOT, get_settings
from desk.storage.db import ensure_database
from desk.storage.migrate import upgrade_database
from launcher.processes import ChildFailed, ProcessGroup
from launcher.stack import StackConfig, start_stack, wait_stack_ready
from launcher.training import ensure_model


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(chat_here: bool) -> int:
    settings = get_settings()
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
    group = ProcessGroup(config.log_dir)
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
        if settings.telegram_bot_token:
            # The gateway talks to the Rasa started here, whatever port RASA_PORT chose.
            gateway_env = dict(os.environ, RASA_URL=config.rasa_url)
            group.start("gateway", [sys.executable, "-m", "bot"], gateway_env, PROJECT_ROOT)
            print("Telegram 网关已启动 / Telegram gateway polling. Ctrl-C 停止 / to stop.")
        elif chat_here:
            from bot.__main__ import main_async

            asyncio.run(main_async("terminal", config.rasa_url))
            return 0
        else:
            print("未设置 TELEGRAM_BOT_TOKEN：仅提供 REST 接口 / REST only. Ctrl-C 停止 / to stop.")
        while (exited := group.first_exited()) is None:
            time.sleep(1)
        print(f"{exited.name} 意外退出 / exited unexpectedly; see {exited.log}", file=sys.stderr)
        return 1
    except ChildFailed as failure:
        print(f"启动失败 / start failed: {failure}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        print("正在停止所有进程 / stopping all processes …", flush=True)
        group.stop_all()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m launcher")
    parser.add_argument("command", choices=["run", "serve", "train", "migrate"])
    command = parser.parse_args().command
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
