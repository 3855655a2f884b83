"""Custom NLU components of the assistant (loaded by config.yml)."""
