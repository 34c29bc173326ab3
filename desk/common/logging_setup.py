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


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # aiogram logs every update's full payload at INFO ("Update id=… is handled"); keep it quiet.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
