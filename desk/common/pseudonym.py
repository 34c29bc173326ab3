"""Keyed hashes: statistics count chats without storing their ids, and duplicate checks find
an ID number through its hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from desk.settings import get_settings


@lru_cache(maxsize=1)
def _secret() -> bytes:
    settings = get_settings()
    if settings.secret_key:
        return settings.secret_key.encode()
    path = settings.data_dir / "secret.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def keyed_hash(value: str) -> str:
    """Equal inputs give equal hashes; without the secret the input cannot be guessed back."""
    return hmac.new(_secret(), value.encode(), hashlib.sha256).hexdigest()


def chat_pseudonym(chat_id: str) -> str:
    return keyed_hash(chat_id)[:32]
