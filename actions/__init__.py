"""Custom actions of the AmeliBot-style assistant (run by `rasa run actions`)."""
