"""The main menu: the desk's services, their buttons and what each says until it is built."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    key: str  # also the Rasa intent its button triggers
    title: str
    coming_soon: str | None  # what the desk says while the service is not built; None once it is


SERVICES: tuple[Service, ...] = (
    Service("ask_legal", "法律咨询", None),
    Service("apply_membership", "申请入会", None),
    Service("apply_aid", "申请帮扶/救助", None),
    Service(
        "request_human",
        "转人工律师",
        "转接工会律师的功能正在建设中，很快就能用。急需法律援助可以拨打 12348 法律援助热线，"
        "或到所在区县总工会法律援助窗口。",
    ),
    Service("check_status", "查询进度", None),
)

MENU_PROMPT = "请选择您需要的服务，也可以直接用文字告诉我："


def service_by_key(key: str) -> Service | None:
    return next((service for service in SERVICES if service.key == key), None)


def menu_buttons() -> list[dict[str, str]]:
    """Buttons in the shape Rasa sends them: the payload is the service's intent."""
    return [{"title": service.title, "payload": f"/{service.key}"} for service in SERVICES]
