"""The 公众号's 自定义菜单: the desk's five services (desk/menu.py), each a click that sends its
service's payload to the Gateway, as the menu buttons do in the other channels.

WeChat allows three top-level entries of at most 16 bytes (four characters show in full) and
five entries under each, of at most 60 bytes; a click key is at most 128 bytes.
Installed with `python -m bot wechat-menu`.
"""

from __future__ import annotations

from typing import Any

from desk.menu import SERVICES, Service

_BY_KEY = {service.key: service for service in SERVICES}
# (top-level title, the services under it); a single service is itself the top-level entry.
LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("法律咨询", ("ask_legal",)),
    ("我要办理", ("apply_membership", "apply_aid", "check_status")),
    ("找律师", ("request_human",)),
)


def _click(service: Service, title: str | None = None) -> dict[str, str]:
    return {"type": "click", "name": title or service.title, "key": f"/{service.key}"}


def menu_definition() -> dict[str, Any]:
    """The body of menu/create."""
    buttons: list[dict[str, Any]] = []
    for title, keys in LAYOUT:
        services = [_BY_KEY[key] for key in keys]
        if len(services) == 1:
            buttons.append(_click(services[0], title))
        else:
            buttons.append({"name": title, "sub_button": [_click(s) for s in services]})
    return {"button": buttons}


def install_menu() -> None:
    """Replaces the 公众号's menu with the desk's (needs the WECHAT_ settings)."""
    import requests
    from wechatpy.exceptions import WeChatClientException

    from bot.wechat.api import DeskWeChatClient
    from desk.settings import get_settings

    settings = get_settings()
    if not (settings.wechat_app_id and settings.wechat_app_secret):
        raise SystemExit("需要 WECHAT_APP_ID 和 WECHAT_APP_SECRET / both must be set")
    client = DeskWeChatClient(
        settings.wechat_app_id, settings.wechat_app_secret, settings.wechat_api_url
    )
    try:
        client.menu.create(menu_definition())
    except WeChatClientException as error:
        refused = f"{error.errcode} {error.errmsg}"
        raise SystemExit(f"微信拒绝了菜单 / WeChat refused the menu: {refused}") from None
    except requests.RequestException as error:
        raise SystemExit(f"连不上微信 / WeChat unreachable: {type(error).__name__}") from None
