"""Backup and restore of the desk's database and Rasa's conversations (`python -m desk backup
DIR`, `python -m desk restore DIR`).

SQLite: SQLite's online backup API, so a copy taken while the desk runs is consistent (a plain
file copy of a database in WAL mode may not be). PostgreSQL: pg_dump in its custom format and
pg_restore (Debian's postgresql-client). Restore with the desk stopped: it replaces the data.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

DESK, CONVERSATIONS = "desk", "rasa_tracker"


class BackupError(RuntimeError):
    """The message is for staff."""


@dataclass(frozen=True)
class Database:
    name: str  # the file name in the backup folder, without suffix
    url: str  # SQLAlchemy URL

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    def file_in(self, folder: Path) -> Path:
        return folder / f"{self.name}{'.db' if self.is_sqlite else '.dump'}"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(f"not a SQLite file: {url}")
    return Path(database)


def _libpq(url: str) -> str:
    """pg_dump and pg_restore take libpq's URL: no SQLAlchemy driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(argv: list[str]) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupError(f"{argv[0]} is missing: apt-get install postgresql-client")
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()}")


def back_up(database: Database, folder: Path) -> Path | None:
    """A consistent copy of the database in folder; None if the database does not exist yet."""
    folder.mkdir(parents=True, exist_ok=True)
    target = database.file_in(folder)
    if database.is_sqlite:
        source_path = _sqlite_path(database.url)
        if not source_path.exists():
            return None
        with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        source.close()
        copy.close()
    else:
        _run(["pg_dump", "--format=custom", f"--file={target}", _libpq(database.url)])
    target.chmod(0o600)  # it holds personal data
    return target


def restore(database: Database, folder: Path) -> bool:
    """Puts the copy in folder back in place of the database; False if folder has none."""
    source = database.file_in(folder)
    if not source.exists():
        return False
    if database.is_sqlite:
        target_path = _sqlite_path(database.url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as copy, sqlite3.connect(target_path) as target:
            copy.backup(target)
        copy.close()
        target.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_libpq(database.url)}",
                str(source),
            ]
        )
    return True
