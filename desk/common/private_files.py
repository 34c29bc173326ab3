"""Files only the desk's own user can read: databases, conversations, logs, the secret key.

Every process of the desk (launcher, gateway, action server, staff command line) sets a 0077
umask before it creates anything, so what it creates is 0600 (folders 0700) whoever starts it.
Files left world-readable by an older version are tightened when the launcher starts.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def keep_new_files_private() -> None:
    os.umask(PRIVATE_UMASK)


def make_private(folder: Path) -> None:
    """Takes group and other permissions off folder and everything under it."""
    if not folder.exists():
        return
    for path in (folder, *folder.rglob("*")):
        with contextlib.suppress(OSError):  # a file removed meanwhile, or not ours
            mode = path.lstat().st_mode
            if not stat.S_ISLNK(mode) and mode & 0o077:
                path.chmod(stat.S_IMODE(mode) & ~0o077)
