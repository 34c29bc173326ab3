"""The main menu: the desk's services and their buttons."""

from __future__ import annotations

from dataclasses import dataclass


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
