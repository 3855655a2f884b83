#!/usr/bin/env bash
# 5-fold cross-validation of the NLU pipeline on data/nlu; writes docs/nlu-evaluation.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore
out=var/results/crossval
mkdir -p "$out" var/log
cmd="rasa test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5"
echo "==> $cmd (trains the NLU pipeline 5 times: about 10 minutes)"
start=$(date +%s)
.venv/bin/$cmd --out "$out" 2>&1 | tee var/log/crossval.log | grep -E "Intent evaluation|F1|Accuracy" || true
echo "==> Done in $(( $(date +%s) - start )) s"
.venv/bin/python scripts/nlu_report.py "$out/intent_report.json" \
  --markdown docs/nlu-evaluation.md --title "NLU 5-fold cross-validation ($(date -u +%F))" --command "$cmd"
