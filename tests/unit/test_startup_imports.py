"""What the gateway and the staff's command line load when they start: not the libraries that
only a report's charts (matplotlib), an arbitration draft (python-docx, lxml) or a configured
WeChat channel (wechatpy) need."""

from __future__ import annotations

import subprocess
import sys

from desk.settings import PROJECT_ROOT

HEAVY = ("matplotlib", "docx", "lxml", "wechatpy")


def test_the_gateway_and_the_cli_start_without_the_libraries_of_rarer_work() -> None:
    code = (
        "import sys, bot.__main__, desk.staff.cli; "
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
