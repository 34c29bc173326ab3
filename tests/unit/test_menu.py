import yaml

from desk.menu import SERVICES, menu_buttons, service_by_key
from desk.settings import PROJECT_ROOT


def test_menu_offers_the_five_services_in_order() -> None:
    titles = [button["title"] for button in menu_buttons()]
    assert titles == ["法律咨询", "申请入会", "申请帮扶/救助", "转人工律师", "查询进度"]


def test_every_menu_payload_is_an_intent_of_the_domain() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    for button in menu_buttons():
        assert button["payload"].removeprefix("/") in domain["intents"]


def test_every_service_not_built_yet_has_an_honest_placeholder() -> None:
    assert service_by_key("ask_legal").coming_soon is None  # type: ignore[union-attr]
    for service in SERVICES:
        assert service.coming_soon is None or "建设中" in service.coming_soon
        assert service_by_key(service.key) is service
    assert service_by_key("nonsense") is None
