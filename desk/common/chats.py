"""How the desk names a conversation: "<channel prefix><the channel's own id>", so that ids of
different channels never collide. Lawyers work in Telegram and are known by their user id."""

from __future__ import annotations

import hmac

TELEGRAM_PREFIX = "tg:"
# Rasa's REST endpoint answers anyone on the machine. Only the gateway, which knows the secret
# in GATEWAY_TOKEN_ENV (sent as GATEWAY_TOKEN_HEADER), names the chat it speaks for; any other
# caller's sender is put under REST_PREFIX, so it cannot pose as a Telegram chat or a lawyer.
REST_PREFIX = "rest:"
GATEWAY_TOKEN_ENV = "GATEWAY_TOKEN"
GATEWAY_TOKEN_HEADER = "X-Desk-Gateway"


def rest_sender(sender: str, token_given: str | None, token_expected: str | None) -> str:
    """The conversation a REST caller speaks in: its own sender when it is the gateway,
    rest:<sender> otherwise."""
    vouched = bool(token_expected) and hmac.compare_digest(
        (token_given or "").encode(), (token_expected or "").encode()
    )
    if vouched or sender.startswith(REST_PREFIX):
        return sender
    return REST_PREFIX + sender


# A web chat is "web:" + a random token of fixed length (bot/web/identity.py): so the outbox's
# prefix match on one chat's full id finds that chat's notices and no other's.
WEB_PREFIX = "web:"
# A WeChat 公众号 follower is "wx:" + their openid (the account's own id for them).
WECHAT_PREFIX = "wx:"


def wechat_chat(openid: str) -> str:
    return f"{WECHAT_PREFIX}{openid}"


def telegram_chat(telegram_id: int) -> str:
    """The desk's id of a Telegram chat (a private chat's id is its user's id)."""
    return f"{TELEGRAM_PREFIX}{telegram_id}"


def telegram_id(chat_id: str) -> int | None:
    """The Telegram id inside a desk chat id; None for chats of other channels."""
    if not chat_id.startswith(TELEGRAM_PREFIX):
        return None
    try:
        return int(chat_id.removeprefix(TELEGRAM_PREFIX))
    except ValueError:
        return None
