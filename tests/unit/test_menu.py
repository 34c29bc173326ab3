import yaml

from desk.menu import menu_buttons
from desk.settings import PROJECT_ROOT


def test_menu_offers_the_five_services_in_order() -> None:
    titles = [button["title"] for button in menu_buttons()]
    assert titles == ["法律咨询", "申请入会", "申请帮扶/救助", "转人工律师", "查询进度"]


def test_every_menu_payload_is_an_intent_of_the_domain() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    for button in menu_buttons():
        assert button["payload"].removeprefix("/") in domain["intents"]


def test_the_intake_questions_of_the_domain_are_those_of_the_core() -> None:
    from desk.cases import intake

    responses = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
    for field in intake.ANSWERS:
        assert responses[f"utter_ask_{field.slot}"][0]["text"] == field.question
