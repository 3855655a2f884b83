"""What every layer of the assistant shares: the lowest layer, imported by all the others.

Plain Python: no Rasa, no rasa_sdk, no SQLAlchemy import, and nothing of the project's other
packages (tests/test_layers.py checks it). Nothing here does work on import: no thread, no
file, no database, no environment read; each entry point calls what it needs.

- formats: what the codes and the NIR look like (lengths, the NIR pattern of data/nlu/regex.yml)
- names: the slots and entities that hold a secret (domain.yml's names)
- input_checks: messages that carry no question (empty, too long, emoji or markup only)
- secret_detector: what a secret looks like in what a person types; masking and redaction
- redaction: the rules that blank secrets out of tracker events and log lines
- log_redaction: the log record factory that applies them (installed by each entry point)
- crypto: the cipher of short secrets, its key kept off the databases
- settings: every setting read from the environment, by name, read when asked
- aio: `offload`, the one way to run blocking work (SQLAlchemy, scrypt) off an event loop
- lazy_imports: Rasa's TensorFlow-bound module imported on first use (installed by scripts/rasa_cli.py)
"""
