# The Rasa server (NLU + dialogue, REST and socket.io channels), with the project's custom
# components and stores. Build from the repository root after `make train` (the image serves
# the model in models/) and `web/install.sh` (the widget's socket.io client, for the web image):
#   docker build -f deploy/docker/rasa.Dockerfile -t amelibot-rasa .
# The same image runs the web widget's server (deploy/k8s/web.yaml: `python -m web.server`).
FROM rasa/rasa:3.6.21

WORKDIR /app
# root (uid 0) to install, then the image's own unprivileged user 1001 to run
USER 0

# The pinned runtime set (requirements.txt), with requirements.lock as constraints.
COPY requirements.txt requirements.lock ./
RUN pip install --no-cache-dir -r requirements.txt -c requirements.lock

COPY config.yml domain.yml credentials.yml endpoints.prod.yml ./
COPY common/ ./common/
COPY actions/ ./actions/
COPY server_ext/ ./server_ext/
COPY nlu_components/ ./nlu_components/
COPY web/ ./web/
COPY models/ ./models/
COPY scripts/rasa_cli.py ./scripts/rasa_cli.py

USER 1001
EXPOSE 5005
# Rasa's CLI as `make run` starts it (scripts/rasa_cli.py): TensorFlow is not imported (the model has
# no TensorFlow component: about 14 s less to start), third-party deprecation warnings are filtered.
ENV PYTHONPATH=/app
ENTRYPOINT ["python", "scripts/rasa_cli.py"]
# Every setting that differs between machines comes from the environment (endpoints.prod.yml).
CMD ["run", "--model", "models", "--endpoints", "endpoints.prod.yml", "--credentials", "credentials.yml", \
     "--port", "5005", "--cors", "*"]
