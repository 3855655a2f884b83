"""Rasa-server-side extensions for production: the guarded REST / socket.io channels (body checks,
size limit, rate limit per sender), the redacting tracker store, the atomic Redis lock store, the
response generator that never repeats itself, and the Rasa server's speed-ups.

Nothing happens on import. Rasa builds these objects from credentials.yml and endpoints.yml when
it starts: that is when the log redaction (common/log_redaction.py) and the speed-ups are
installed (channels.install_server_extensions). The redaction rules themselves live in common/.
One is installed earlier, by the entry point before Rasa starts (scripts/rasa_cli.py):
no_tensorflow, which keeps TensorFlow out of a process whose model has no TensorFlow component.
"""
