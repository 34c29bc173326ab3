"""Rasa's own log never holds what a worker wrote, whatever LOG_LEVEL or --debug asks for.

The pinned Rasa logs message texts, slot values and predictions at DEBUG (processor, policies,
SQL with its parameters), passes `text=` and `slot_values=` to structlog (masked only by Rasa
Pro's anonymisation plugin), and echoes an unknown intent, so a slash-prefixed message, in a
UserWarning. Here:
- DEBUG is off for the whole process (logging.disable): INFO is the most Rasa logs;
- structlog's fields that carry conversation data are replaced by "[redacted]", in Rasa's own
  anonymisation hook;
- warnings quoting an intent or entity from a message are dropped;
- every log record and warning that is left goes through desk.common.pii's masking, the same
  function our own processes' log filter uses (defence in depth: ID numbers, phones, cards).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from typing import Any

from desk.common.logging_setup import PersonalDataFilter
from desk.common.pii import mask_personal_data

REDACTED = "[redacted]"
# Rasa 3.6's list in rasa.utils.log_utils._anonymizer: the structlog fields with conversation data.
CONVERSATION_FIELDS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)
# Rasa's warnings that quote what the sender chose (a slash payload's intent or entities).
QUOTING_WARNINGS = (
    r"Parsed an intent '",
    r"Parsed an entity '",
    r"Invalid entity specification",
)


def redact_conversation(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key in CONVERSATION_FIELDS & event_dict.keys():
        event_dict[key] = REDACTED
    return event_dict


_make_record = logging.getLogRecordFactory()


_MASKING = PersonalDataFilter()  # our own processes' log filter, applied as records are made


def _masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _make_record(*args, **kwargs)
    # A malformed call (bad format arguments): logging reports it, we keep out.
    with contextlib.suppress(TypeError, ValueError):
        _MASKING.filter(record)
    return record


_show_warning = warnings.showwarning


def _masked_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    _show_warning(mask_personal_data(str(message)), category, filename, lineno, file, line)


def _quiet_warnings() -> None:
    for text in QUOTING_WARNINGS:
        warnings.filterwarnings("ignore", message=text)


def cap_level(level: Any) -> int:
    """INFO when DEBUG (or anything below) is asked for; a higher level is kept."""
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    return max(level, logging.INFO) if isinstance(level, int) else logging.INFO


def apply() -> None:
    from rasa.utils import common, log_utils

    rasa_configure = common.configure_logging_and_warnings
    rasa_structlog = log_utils.configure_structlog

    def configure_logging_and_warnings(log_level: Any = None, *args: Any, **kwargs: Any) -> None:
        import os

        os.environ["LOG_LEVEL"] = logging.getLevelName(cap_level(os.environ.get("LOG_LEVEL")))
        os.environ["LOG_LEVEL_LIBRARIES"] = logging.getLevelName(
            max(cap_level(os.environ.get("LOG_LEVEL_LIBRARIES", "ERROR")), logging.WARNING)
        )
        rasa_configure(None if log_level is None else cap_level(log_level), *args, **kwargs)
        _quiet_warnings()  # after Rasa's own filters, so ours come first
        logging.disable(logging.DEBUG)

    def configure_structlog(log_level: Any = None) -> None:
        rasa_structlog(None if log_level is None else cap_level(log_level))
        logging.disable(logging.DEBUG)

    common.configure_logging_and_warnings = configure_logging_and_warnings
    log_utils.configure_structlog = configure_structlog
    log_utils._anonymizer = redact_conversation
    logging.setLogRecordFactory(_masked_record)
    warnings.showwarning = _masked_warning
    _quiet_warnings()
    logging.disable(logging.DEBUG)
