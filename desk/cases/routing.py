"""What the gateway asks the core before handing a message to the bot: is it part of a case
with a lawyer (relay), the follow-up of a closed case (rating), or a lawyer's command?"""

from __future__ import annotations

from desk.cases import feedback, lawyer_commands, relay
from desk.cases.tickets import PAYLOAD_PREFIX
from desk.common.replies import Reply
from desk.storage.db import session_scope

EXPIRED = "这个按钮已经失效了。有需要请直接告诉我。"
# The lawyer commands a channel should route here; /lawyer lists them. Anyone who is not a
# registered lawyer gets one polite refusal for each.
LAWYER_COMMANDS = (*lawyer_commands.COMMANDS, "lawyer")


def on_text(
    url: str | None, sender_id: str, text: str, reply_to: str | None = None
) -> list[Reply] | None:
    """The replies when the core handles the message itself; None: the bot answers it.

    text is as the person wrote it. A lawyer's "/colse …" (a mistyped command) gets the list of
    commands rather than being relayed to the worker.
    """
    lawyer_id = lawyer_commands.lawyer_id_of(url, sender_id) if text.startswith("/") else None
    if lawyer_id is not None:
        command, _, args = text[1:].partition(" ")
        return lawyer_commands.run_as(url, lawyer_id, command, args)
    with session_scope(url) as session:
        relayed = relay.route(session, sender_id, text, reply_to)
        if relayed is not None:
            return relayed
        return feedback.on_text(session, sender_id, text)


def on_attachment(
    url: str | None, sender_id: str, what: str, reply_to: str | None = None
) -> relay.Forward | list[Reply] | None:
    """A photo or file: copied to the other side of a case (evidence for the lawyer, say);
    None when there is no case to relay it in."""
    with session_scope(url) as session:
        return relay.route_attachment(session, sender_id, what, reply_to)


def on_payload(url: str | None, sender_id: str, payload: str) -> list[Reply] | None:
    """Buttons of the casework (ticket:…); None for the bot's own buttons."""
    if not payload.startswith(PAYLOAD_PREFIX):
        return None
    pressed = lawyer_commands.press(url, sender_id, payload)
    if pressed is not None:
        return pressed
    with session_scope(url) as session:
        return feedback.on_payload(session, sender_id, payload) or [Reply(EXPIRED)]


def on_command(url: str | None, sender_id: str, command: str, args: str) -> list[Reply]:
    """/queue, /take, … — for registered lawyers only."""
    return lawyer_commands.run(url, sender_id, command, args)
