"""What Rasa does when the action server cannot run an action (it is down, restarting, or
failed): the turn is dropped whole instead of half-done.

Rasa 3.6 logs the failure and carries on without the action's events: the worker's message
stays in the conversation as if answered, a form's answer is taken but never checked, and the
reply is empty or half. Here the turn stops at the first action that could not run, nothing of
it is saved (Rasa saves the tracker only after the whole turn), and the REST answer is one
marker message, UNAVAILABLE, that the gateway turns into its apology. The worker sends the
message again once the action server is back (the launcher or systemd restarts it within
seconds) and the conversation goes on from where it was.
"""

from __future__ import annotations

import contextvars
import logging
from typing import Any

logger = logging.getLogger(__name__)

# What the REST answer holds instead of replies: [{"recipient_id": …, "custom": UNAVAILABLE}].
UNAVAILABLE = {"desk": "unavailable"}

_failed_action: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "desk_failed_action", default=None
)


class ActionServerUnavailable(Exception):
    """An action of this turn could not run; the turn is abandoned unsaved."""


def apply() -> None:
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.processor import MessageProcessor
    from rasa.shared.exceptions import RasaException

    rasa_remote_run = RemoteAction.run
    rasa_run_action = MessageProcessor._run_action
    rasa_handle_message = MessageProcessor.handle_message

    async def remote_run(self: RemoteAction, *args: Any, **kwargs: Any) -> list[Any]:
        try:
            return await rasa_remote_run(self, *args, **kwargs)
        except ActionExecutionRejection:
            raise  # a form's "not this slot": part of a normal turn
        except RasaException as error:
            # Returned, not raised: Rasa would log it with a traceback and go on regardless.
            logger.warning("action %s could not run: %s", self.name(), type(error).__name__)
            _failed_action.set(self.name())
            return []

    async def run_action(self: MessageProcessor, *args: Any, **kwargs: Any) -> bool:
        # Also catches a failure of this turn's slot extraction, which ran before.
        carry_on = await rasa_run_action(self, *args, **kwargs)
        failed = _failed_action.get()
        if failed is not None:
            raise ActionServerUnavailable(failed)
        return carry_on

    async def handle_message(self: MessageProcessor, message: Any) -> Any:
        _failed_action.set(None)
        try:
            return await rasa_handle_message(self, message)
        except ActionServerUnavailable:
            channel = message.output_channel
            if isinstance(channel, CollectingOutputChannel):
                channel.messages.clear()  # half a turn's replies would mislead
            await channel.send_custom_json(message.sender_id, UNAVAILABLE)
            return None

    RemoteAction.run = remote_run  # type: ignore[method-assign]
    MessageProcessor._run_action = run_action  # type: ignore[method-assign]
    MessageProcessor.handle_message = handle_message  # type: ignore[method-assign]
