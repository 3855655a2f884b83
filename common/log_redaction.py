"""Log redaction: no code or NIR reaches a log line, at any level.

A logging.LogRecord factory (not a filter: a filter must be added to every handler and
every logger, and a library may add its own handler later). Every record created in the
process, by the stdlib `logging` or by structlog (Rasa 3.6 renders structlog events
through `structlog.stdlib.LoggerFactory`, so they become stdlib records too), has its
message merged with its args and redacted by `redaction.redact_log_text`; an exception's
traceback text is redacted too. Installed once per process, idempotent.

Installed by each entry point, when it starts (never on import):
- the action server: rasa_sdk_plugins (the hook rasa_sdk calls when `rasa run actions` starts);
- the Rasa server: the objects Rasa builds from credentials.yml and endpoints.yml (the guarded
  channels, the response generator, the tracker store, the lock store of server_ext/);
- the web widget's server (web/server.py main).
"""

from __future__ import annotations

import logging
from typing import Any

from common.redaction import redact_log_text

_MARK = "_server_ext_redacting"


def _redact_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep it visible, but redacted
        message = f"{record.msg!r} {record.args!r}"
    record.msg = redact_log_text(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact_log_text(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_log_text(record.stack_info)


def install() -> None:
    """Wrap the current LogRecord factory with redaction (once per process)."""
    current = logging.getLogRecordFactory()
    if getattr(current, _MARK, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        _redact_record(record)
        return record

    setattr(factory, _MARK, True)
    logging.setLogRecordFactory(factory)


def installed() -> bool:
    return bool(getattr(logging.getLogRecordFactory(), _MARK, False))
