# The action server (custom actions, the practice sandbox, France Services locator), the way
# RasaHQ's demos ship theirs: rasa-sdk's image plus the actions package. No Rasa, no TensorFlow.
#   docker build -f deploy/docker/actions.Dockerfile -t amelibot-actions .
FROM rasa/rasa-sdk:3.6.2

WORKDIR /app
# root (uid 0) to install, then the image's own unprivileged user 1001 to run
USER 0

# The action server's pinned set (a subset of requirements.lock, checked by tests/test_packaging.py).
COPY requirements-actions.txt requirements.lock ./
RUN pip install --no-cache-dir -r requirements-actions.txt -c requirements.lock

# The actions, what every layer shares (common), and the start hook rasa_sdk finds by its name
# (rasa_sdk_plugins: log redaction, France Services index); actions ships the locator's data.
COPY common/ ./common/
COPY actions/ ./actions/
COPY rasa_sdk_plugins/ ./rasa_sdk_plugins/

USER 1001
EXPOSE 5055
CMD ["start", "--actions", "actions", "--port", "5055"]
