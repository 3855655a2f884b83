#!/usr/bin/env bash
# 5-fold cross-validation of the NLU pipeline on data/nlu; writes docs/nlu-crossval.md (generated:
# the figures of the last run, per intent). docs/nlu-evaluation.md is the written history of the
# rounds (what was tried, measured, kept): copy the headline figures there by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/quiet_env.sh  # no third-party warnings or telemetry notice; "${RASA[@]}" is rasa
out=var/results/crossval
mkdir -p "$out" var/log
args="--nlu data/nlu --config config.yml --folds 5"
cmd="rasa test nlu --cross-validation $args"
echo "==> $cmd (trains the NLU pipeline 5 times: about 8 minutes on 2 cores)"
start=$(date +%s)
# scripts/crossval.py: `rasa test nlu --cross-validation` without scoring each fold's training part
.venv/bin/python -m scripts.crossval $args --out "$out" 2>&1 | tee var/log/crossval.log | grep -E "Intent evaluation|F1|Accuracy" || true
echo "==> Done in $(( $(date +%s) - start )) s"
.venv/bin/python scripts/nlu_report.py "$out/intent_report.json" \
  --markdown docs/nlu-crossval.md --title "NLU 5-fold cross-validation ($(date -u +%F))" --command "$cmd"
