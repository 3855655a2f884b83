"""Custom actions of the AmeliBot-style assistant (run by `rasa run actions`).

Nothing happens on import. When the action server starts, rasa_sdk calls the hook of
rasa_sdk_plugins/, which installs the log redaction and builds the France Services index.
"""
