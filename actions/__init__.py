"""Custom actions of the AmeliBot-style assistant (run by `rasa run actions`)."""

# Redact codes and NIRs from every log record of the action server (server_ext/log_redaction.py).
import server_ext  # noqa: F401
