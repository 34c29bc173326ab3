"""Logging for our processes: one format, and a filter that masks personal data.

Our own code logs events, sizes and ids, never a message's text. The filter is a second line of
defence for what third-party libraries might log (an exception that quotes a payload, say).
"""

from __future__ import annotations

import logging

from desk.common.pii import mask_personal_data

_FORMATTER = logging.Formatter()


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # A database error quotes the statement's parameters: a relayed message, a phone.
            record.exc_text = mask_personal_data(_FORMATTER.formatException(record.exc_info))
        return True


# Our own packages log at the level asked for; they never log a message's text.
OWN_PACKAGES = ("actions", "bot", "desk", "launcher")


def configure_logging(level: str = "INFO") -> None:
    """One handler with the masking filter. Libraries log at INFO at most, whatever LOG_LEVEL
    says: at DEBUG rasa_sdk logs slot values, aiogram whole updates, SQLAlchemy parameters."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    asked = logging.getLevelName(level.upper())
    asked = asked if isinstance(asked, int) else logging.INFO
    root.setLevel(max(asked, logging.INFO))
    for package in OWN_PACKAGES:
        logging.getLogger(package).setLevel(asked)
    # Warnings (a library's UserWarning may quote a value) go through the same filter.
    logging.captureWarnings(True)
    # aiogram logs every update's full payload at INFO ("Update id=… is handled"); keep it quiet.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
