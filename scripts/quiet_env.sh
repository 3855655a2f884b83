# Sourced by the scripts that start Python processes (and mirrored in the Makefile): the console
# shows the project's progress lines and real errors; third-party noise is switched off at its source.
# Errors, tracebacks and Rasa's own warnings about the data or the config are never hidden.
export TF_CPP_MIN_LOG_LEVEL=3               # TensorFlow's C++ notices (CUDA, TensorRT, CPU features)
# Deprecation warnings of the libraries (pyparsing, SQLAlchemy, setuptools…): not the user's business.
# sanic re-enables DeprecationWarning when imported: scripts/rasa_cli.py sets these filters again after it.
export PYTHONWARNINGS=ignore::DeprecationWarning,ignore::PendingDeprecationWarning,ignore::FutureWarning
export SQLALCHEMY_SILENCE_UBER_WARNING=1    # SQLAlchemy 1.4's "MovedIn20Warning" banner (Rasa's caching)
export RASA_TELEMETRY_ENABLED=false         # no usage telemetry for this project, hence no boxed notice
RASA=(.venv/bin/python scripts/rasa_cli.py)  # `rasa` with the filters above: "${RASA[@]}" train …
