"""What the desk does with a follower's message: hand it to the Gateway, and answer within
WeChat's rules.

WeChat waits five seconds for the HTTP answer, then gives up and tries again (three deliveries
in all). An answer ready within PASSIVE_SECONDS that fits one text goes back in the HTTP answer
(a passive reply); otherwise the endpoint answers "success" at once and the answer follows
through the 客服消息 API. A message is handled once however often it is delivered: a repeat
gets the first delivery's passive reply (WeChat only repeats a delivery whose answer it did not
get), or "success" when the answer goes through the API. Each chat's messages are answered one
after another, so answers keep their order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator

from sqlalchemy.exc import SQLAlchemyError
from wechatpy.events import BaseEvent, ClickEvent, SubscribeEvent, SubscribeScanEvent
from wechatpy.messages import BaseMessage, TextMessage, VoiceMessage

from bot.gateway import Gateway
from bot.messages import Button, OutgoingMessage, Unreachable
from bot.notifier import keep_for_later
from bot.options import ChatOptions
from bot.wechat.api import OUT_OF_WINDOW, CustomerService, pieces
from desk.common import replies
from desk.common.chats import wechat_chat
from desk.storage import outbox
from desk.storage.db import session_scope

logger = logging.getLogger(__name__)

PASSIVE_SECONDS = 4.5  # WeChat's window is five seconds, from its side of the network
# What a follower's attachment is called in the transcript and to the lawyer.
ATTACHMENT_KINDS = {
    "image": "图片",
    "voice": "语音",
    "video": "视频",
    "shortvideo": "视频",
    "location": "位置",
    "link": "链接",
    "file": "文件",
}
NOT_COPIED = "（在微信里发的，服务台转不过来；需要的话请让工友用文字说明，或另约方式提供）"
TELL_IN_WORDS = "这个{what}没法直接转给律师。请用文字把要点发给我，我会转给律师。"


Passive = asyncio.Future[str | None]  # the passive reply's text; cancelled: too late for one


class Deliveries:
    """Messages received lately with their passive replies, bounded: WeChat repeats a delivery
    within about fifteen seconds, and an answer is at most 2 KB."""

    def __init__(self, capacity: int = 5_000) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[str, Passive] = OrderedDict()

    def remember(self, key: str, passive: Passive) -> Passive | None:
        """None for a new message (remembered with its reply to come); for a repeat, the
        first delivery's reply."""
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = passive
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return None


def delivery_key(message: BaseMessage) -> str:
    """WeChat's advice: a message by its MsgId, an event by its sender and time."""
    if message.id:
        return f"{message.source}:{message.id}"
    event = getattr(message, "event", message.type)
    return f"{message.source}:{message.time}:{event}:{getattr(message, 'key', '')}"


class _Turns:
    """One lock per chat while it has messages in hand, then forgotten."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @contextlib.asynccontextmanager
    async def of(self, chat: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._users[chat] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat] -= 1
            if not self._users[chat]:
                del self._users[chat], self._locks[chat]


class WeChatChannel:
    def __init__(
        self,
        gateway: Gateway,
        service: CustomerService,
        passive_seconds: float = PASSIVE_SECONDS,
    ) -> None:
        self.gateway = gateway
        self.service = service
        self.passive_seconds = passive_seconds
        self.options = ChatOptions()
        self._deliveries = Deliveries()
        self._turns = _Turns()
        self._jobs: set[asyncio.Task[None]] = set()

    async def receive(self, message: BaseMessage) -> str | None:
        """The text of the passive reply; None: answer "success" (nothing now, or later through
        the 客服 API)."""
        ready: Passive = asyncio.get_running_loop().create_future()
        earlier = self._deliveries.remember(delivery_key(message), ready)
        if earlier is not None:  # a repeat: the first delivery's answer, never a second one
            await asyncio.wait({earlier}, timeout=self.passive_seconds)
            return earlier.result() if earlier.done() and not earlier.cancelled() else None
        job = asyncio.create_task(self._answer(message, ready))
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
        try:
            await asyncio.wait({ready}, timeout=self.passive_seconds)
        finally:
            if not ready.done():
                ready.cancel()  # too late for a passive reply: the job sends it
        return None if ready.cancelled() else ready.result()

    async def close(self) -> None:
        for job in list(self._jobs):
            job.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)

    async def _answer(self, message: BaseMessage, ready: Passive) -> None:
        openid = message.source
        chat = wechat_chat(openid)
        async with self._turns.of(chat):
            try:
                await self._reachable_again(chat)
                answer = await self._dispatch(chat, message)
            except Exception:  # the follower hears an apology, never silence
                logger.exception("WeChat message not handled")
                answer = [OutgoingMessage(replies.RASA_UNAVAILABLE)]
            self.options.show(chat, answer)
            texts = pieces(answer)
            if not ready.done():
                ready.set_result(texts[0] if len(texts) == 1 else None)
                if len(texts) == 1:
                    return
            await self._send(openid, texts)

    async def _reachable_again(self, chat: str) -> None:
        """The follower wrote: notices parked because the 48 hours had passed (a lawyer's late
        reply) can go now."""
        try:
            revived = await asyncio.to_thread(self._revive, chat)
        except SQLAlchemyError:
            logger.exception("notification outbox unavailable")
            return
        if revived:
            logger.info("%d notices parked past the 48 hours go out again", revived)
            self.gateway.outbox_written.set()

    def _revive(self, chat: str) -> int:
        with session_scope(self.gateway.database_url) as session:
            return outbox.revive(session, chat, OUT_OF_WINDOW)

    async def _send(self, openid: str, texts: list[str]) -> None:
        """Through the 客服 API; what WeChat would not take goes to the outbox for later."""
        for index, text in enumerate(texts):
            try:
                await self.service.send(openid, text)
            except Unreachable:
                logger.warning("a WeChat follower cannot be reached; the answer is dropped")
                return
            except Exception as error:
                logger.warning("WeChat answer kept in the outbox: %s", type(error).__name__)
                rest = [OutgoingMessage(piece) for piece in texts[index:]]
                await asyncio.to_thread(
                    keep_for_later, self.gateway.database_url, wechat_chat(openid), rest
                )
                self.gateway.outbox_written.set()
                return

    async def _dispatch(self, chat: str, message: BaseMessage) -> list[OutgoingMessage]:
        if isinstance(message, TextMessage):
            return await self._text(chat, message.content or "")
        if isinstance(message, VoiceMessage) and (message.recognition or "").strip():
            return await self._text(chat, message.recognition)  # WeChat's speech recognition
        if isinstance(message, (SubscribeEvent, SubscribeScanEvent)):
            return await self.gateway.on_start(chat)  # the welcome and the menu
        if isinstance(message, ClickEvent):
            return await self.gateway.on_button(chat, message.key or "")  # 自定义菜单
        if isinstance(message, BaseEvent):
            return []  # unfollowing, opening a link, …: nothing to say
        return await self._attachment(chat, ATTACHMENT_KINDS.get(message.type, "消息"))

    async def _text(self, chat: str, text: str) -> list[OutgoingMessage]:
        option = self.options.chosen(chat, text)
        if option is not None:
            return await self.gateway.on_button(chat, option.payload)
        return await self.gateway.on_text(chat, text)

    async def _attachment(self, chat: str, what: str) -> list[OutgoingMessage]:
        """Outside a case the polite non-text reply; in one, the lawyer is told it came (WeChat's
        media cannot be copied into Telegram) and the worker asked to put it in words."""
        forward, answer = await self.gateway.on_attachment(chat, what)
        if forward is None:
            return answer
        note = OutgoingMessage(forward.label.rstrip("：") + NOT_COPIED)
        await asyncio.to_thread(keep_for_later, self.gateway.database_url, forward.to_chat, [note])
        self.gateway.outbox_written.set()
        return [*answer, OutgoingMessage(TELL_IN_WORDS.format(what=what))]

    async def notice(self, openid: str, text: str, buttons: tuple[Button, ...]) -> None:
        """The notifier's Send for WeChat chats (bot/notifier.py): a lawyer's reply, a decision,
        the rating (whose options then answer to digits)."""
        message = OutgoingMessage(text, buttons)
        for piece in pieces([message]):
            await self.service.send(openid, piece)
        self.options.notice(wechat_chat(openid), [message])
