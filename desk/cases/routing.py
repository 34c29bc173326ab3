"""What the gateway asks the core before handing a message to the bot: is it part of a case
with a lawyer (relay), the follow-up of a closed case (rating), or a lawyer's command?

Each function runs in the caller's unit of work: one session per incoming message.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desk.cases import feedback, lawyer_commands, relay
from desk.cases.tickets import PAYLOAD_PREFIX
from desk.common.replies import Reply

EXPIRED = "这个按钮已经失效了。有需要请直接告诉我。"
# The lawyer commands a channel should route here; /lawyer lists them. Anyone who is not a
# registered lawyer gets one polite refusal for each.
LAWYER_COMMANDS = (*lawyer_commands.COMMANDS, "lawyer")


def on_text(
    session: Session, sender_id: str, text: str, reply_to: int | None = None
) -> list[Reply] | None:
    """The replies when the core handles the message itself; None: the bot answers it.

    text is as the person wrote it. A lawyer's "/colse …" (a mistyped command) gets the list of
    commands rather than being relayed to the worker.
    """
    lawyer_id = lawyer_commands.lawyer_id_of(session, sender_id) if text.startswith("/") else None
    if lawyer_id is not None:
        command, _, args = text[1:].partition(" ")
        return lawyer_commands.run_as(session, lawyer_id, command, args)
    relayed = relay.route(session, sender_id, text, reply_to)
    if relayed is not None:
        return relayed
    return feedback.on_text(session, sender_id, text)


def on_attachment(
    session: Session, sender_id: str, what: str, reply_to: int | None = None
) -> relay.Forward | list[Reply] | None:
    """A photo or file: copied to the other side of a case (evidence for the lawyer, say);
    None when there is no case to relay it in."""
    return relay.route_attachment(session, sender_id, what, reply_to)


def on_payload(session: Session, sender_id: str, payload: str) -> list[Reply] | None:
    """Buttons of the casework (ticket:…); None for the bot's own buttons."""
    if not payload.startswith(PAYLOAD_PREFIX):
        return None
    pressed = lawyer_commands.press(session, sender_id, payload)
    if pressed is not None:
        return pressed
    return feedback.on_payload(session, sender_id, payload) or [Reply(EXPIRED)]


def on_command(session: Session, sender_id: str, command: str, args: str) -> list[Reply]:
    """/queue, /take, … — for registered lawyers only."""
    return lawyer_commands.run(session, sender_id, command, args)
