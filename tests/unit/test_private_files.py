"""Files the desk creates or finds are readable by its own user only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desk.common.private_files import make_private


def test_files_left_readable_by_an_older_version_are_tightened(tmp_path: Path) -> None:
    (tmp_path / "log").mkdir(mode=0o755)
    database, log = tmp_path / "desk.db", tmp_path / "log" / "rasa.log"
    for path in (database, log):
        path.write_text("x")
        path.chmod(0o644)
    make_private(tmp_path)
    assert database.stat().st_mode & 0o777 == 0o600 and log.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "log").stat().st_mode & 0o777 == 0o700


def test_the_staff_command_line_creates_its_database_private(tmp_path: Path) -> None:
    env = dict(os.environ, DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/desk.db")
    subprocess.run(
        [sys.executable, "-m", "desk", "lawyers", "list"], env=env, check=True, capture_output=True
    )
    assert (tmp_path / "desk.db").stat().st_mode & 0o077 == 0
