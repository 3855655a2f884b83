"""deploy/: `make check-deploy` (scripts/check_deploy.sh) passes on the shipped files and fails on
a broken copy; the nginx template renders the stack's ports with the sticky socket.io cookie."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECK = ROOT / "scripts" / "check_deploy.sh"


def check(deploy: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHECK)], env={**os.environ, "DEPLOY_DIR": str(deploy)}, capture_output=True, text=True, timeout=300
    )


def test_the_shipped_deployment_files_pass_the_checks():
    result = check(ROOT / "deploy")
    assert result.returncode == 0, result.stdout + result.stderr


def broken_yaml(deploy: Path) -> None:
    path = deploy / "k8s" / "redis.yaml"
    path.write_text(path.read_text().replace("  replicas: 1\n", "  replicas: 1\n   bad-indent: 1\n"))


def wrong_schema(deploy: Path) -> None:
    path = deploy / "k8s" / "rasa.yaml"
    path.write_text(path.read_text().replace("replicas: 2", "replicas: two"))


def unlisted_manifest(deploy: Path) -> None:
    shutil.copy(deploy / "k8s" / "redis.yaml", deploy / "k8s" / "redis-copy.yaml")


def unpinned_base_image(deploy: Path) -> None:
    path = deploy / "docker" / "actions.Dockerfile"
    path.write_text(path.read_text().replace("FROM rasa/rasa-sdk:3.6.2", "FROM rasa/rasa-sdk"))


def stale_actions_proxy_conf(deploy: Path) -> None:
    path = deploy / "k8s" / "actions-proxy.conf"
    path.write_text(path.read_text().replace("proxy_read_timeout 60s;", "proxy_read_timeout 5s;"))


@pytest.mark.parametrize(
    "defect", [broken_yaml, wrong_schema, unlisted_manifest, unpinned_base_image, stale_actions_proxy_conf]
)
def test_a_broken_copy_fails(tmp_path, defect):
    deploy = tmp_path / "deploy"
    shutil.copytree(ROOT / "deploy", deploy)
    defect(deploy)
    result = check(deploy)
    assert result.returncode != 0, f"{defect.__name__} passed:\n{result.stdout}{result.stderr}"


def test_kubernetes_runs_at_least_two_rasa_and_two_action_servers_with_sticky_socketio():
    docs = {}
    for path in (ROOT / "deploy" / "k8s").glob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            docs[(doc["kind"], doc.get("metadata", {}).get("name"))] = doc
    assert docs[("Deployment", "rasa")]["spec"]["replicas"] >= 2
    assert docs[("Deployment", "actions")]["spec"]["replicas"] >= 2
    # the Rasa servers reach them through the proxy that answers when none is up
    assert docs[("ConfigMap", "amelibot-config")]["data"]["AMELIBOT_ACTION_URL"] == "http://actions-proxy:5054/webhook"
    proxy = (ROOT / "deploy" / "k8s" / "actions-proxy.conf").read_text()
    assert "server actions:5055;" in proxy and "error_page 500 502 503 504 = @down;" in proxy
    assert ("StatefulSet", "postgres") in docs and ("Deployment", "redis") in docs
    annotations = docs[("Ingress", "rasa")]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    paths = {p["path"] for rule in docs[("Ingress", "rasa")]["spec"]["rules"] for p in rule["http"]["paths"]}
    assert "/socket.io/" in paths


def test_the_nginx_template_renders_every_server_of_the_stack(tmp_path):
    from scripts.prod.stack import ROUTE_COOKIE, Ports, nginx_conf

    ports = Ports(nginx=18080, actions_proxy=18054, rasa=[15005, 15006, 15007], actions=[15055, 15056], web_api=18081)
    conf = nginx_conf(ports, tmp_path, tmp_path / "log")
    assert "{{" not in conf and "{%" not in conf
    for port in (*ports.rasa, *ports.actions):
        assert f"server 127.0.0.1:{port} " in conf
    assert f"listen 127.0.0.1:{ports.nginx};" in conf and f"listen 127.0.0.1:{ports.actions_proxy};" in conf
    assert f"map $cookie_{ROUTE_COOKIE} $route_key" in conf
    # The scripts' words are built by the web server (actions/web_answers.py), not read from web/static.
    texts = conf.split("location = /static/texts.js {", 1)[1].split("}", 1)[0]
    assert f"proxy_pass http://127.0.0.1:{ports.web_api};" in texts


def test_one_machine_and_kubernetes_share_the_database_names():
    from scripts.prod import stack

    settings = stack.shared_settings()
    assert settings["AMELIBOT_PG_TRACKER_DB"] == stack.TRACKER_DB
    assert settings["AMELIBOT_PG_USER"] == stack.PG_USER
    init = (ROOT / "deploy" / "k8s" / "config.yaml").read_text()
    assert f"CREATE DATABASE {stack.SANDBOX_DB} OWNER {stack.PG_USER};" in init
    assert not {"AMELIBOT_PG_HOST", "AMELIBOT_REDIS_PORT"} & set(settings)  # this machine's own
