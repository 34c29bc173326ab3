"""The main menu and the honest answer for services that are not built yet."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.recording import record
from desk.menu import MENU_PROMPT, menu_buttons, service_by_key

BACK_TO_MENU = [{"title": "返回主菜单", "payload": "/help"}]


class ActionShowMenu(Action):
    def name(self) -> str:
        return "action_show_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=MENU_PROMPT, buttons=menu_buttons())
        await record(tracker.sender_id, "menu")
        return []


class ActionComingSoon(Action):
    def name(self) -> str:
        return "action_coming_soon"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name") or ""
        service = service_by_key(intent)
        if service is None or service.coming_soon is None:  # not a placeholder: show the menu
            dispatcher.utter_message(text=MENU_PROMPT, buttons=menu_buttons())
            return []
        dispatcher.utter_message(
            text=f"「{service.title}」{service.coming_soon}", buttons=BACK_TO_MENU
        )
        await record(tracker.sender_id, "coming_soon", service.key)
        return []
