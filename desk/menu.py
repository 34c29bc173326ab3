"""The main menu: the desk's services and their buttons; and the applications a reply to a
labour question offers because the worker's message speaks of them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desk.common.text import fold


@dataclass(frozen=True)
class Service:
    key: str  # also the Rasa intent its button triggers
    title: str


SERVICES: tuple[Service, ...] = (
    Service("ask_legal", "法律咨询"),
    Service("apply_membership", "申请入会"),
    Service("apply_aid", "申请帮扶/救助"),
    Service("request_human", "转人工律师"),
    Service("check_status", "查询进度"),
)

MENU_PROMPT = "请选择您需要的服务，也可以直接用文字告诉我："


def menu_buttons() -> list[dict[str, str]]:
    """Buttons in the shape Rasa sends them: the payload is the service's intent."""
    return [{"title": service.title, "payload": f"/{service.key}"} for service in SERVICES]


# ── Offers with a legal reply ─────────────────────────────────────────────────────────────────

Button = tuple[str, str]  # (title, payload)
JOIN_OFFER: Button = ("现在申请入会", "/apply_membership")
AID_OFFER: Button = ("现在申请帮扶/救助", "/apply_aid")
# 外卖员能不能入工会, 工会收不收我们这些跑腿的, 挂到你们这儿: asking whether one may join.
_ABOUT_JOINING = re.compile(
    r"入会|入工会|进工会|加入工会|参加工会|加工会|成为会员|当会员|会员证|会籍|工会收不收|"
    r"工会要不要|算进工会|挂(?:到|靠)|工会[^。？?]*(?:参加|加入)|(?:参加|加入)[^。？?]*工会"
)
# 单子少…工会能补助吗, 学费拿不出来, 日子过不下去: hardship the aid programmes are for.
_HARDSHIP = re.compile(
    r"补助|补贴|救助|救济|帮扶|接济|助学|互助|慰问|困难|揭不开锅|过不下去|活不下去|"
    r"学费|医药费|住院费|治病|没收入|没有收入|交不起|拿不出|还不上|单子?(?:一直|很|太)?少|没单|派单"
)
_FROM_THE_UNION = re.compile(r"工会|申请|领|能不能|有没有|帮|拿不出|交不起|过不下去|揭不开锅")
# Progress of something already filed is a status question, not an offer.
_STATUS = re.compile(
    r"进度|批了|批没批|批下来|审核|审批|通过了|到哪|有消息|办好了|状态|怎么样了|什么时候能到|发了没"
)


def offers_for(text: str) -> tuple[Button, ...]:
    """The applications to offer with a legal reply to this message: joining when it asks
    about joining, aid when it tells of hardship and asks for help (高温天气有补贴吗 does not)."""
    folded = fold(text)
    if _STATUS.search(folded):
        return ()
    offers = []
    if _ABOUT_JOINING.search(folded):
        offers.append(JOIN_OFFER)
    if _HARDSHIP.search(folded) and _FROM_THE_UNION.search(folded):
        offers.append(AID_OFFER)
    return tuple(offers)


def with_offers(buttons: Sequence[Button], text: str) -> tuple[Button, ...]:
    """A legal reply's buttons with the applications the message speaks of offered first, each
    once (an answer about joining already ends with its offer)."""
    given = {payload for _, payload in buttons}
    offered = tuple(offer for offer in offers_for(text) if offer[1] not in given)
    return (*offered, *buttons)
