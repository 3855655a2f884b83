"""Rasa-server-side extensions for production: redaction of secrets (tracker store, logs),
guarded REST / socket.io channels (body checks, size limit, rate limit per sender).

Importing the package installs the log redaction (see log_redaction.py).
"""

from . import log_redaction as _log_redaction

_log_redaction.install()
