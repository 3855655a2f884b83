#!/usr/bin/env python
"""Where cold NLU training time goes, and what a cheaper pipeline costs in quality: ONE fold.

    .venv/bin/python -m scripts.nlu_one_fold baseline epochs30 ...   (variants: VARIANTS below)

Fold 0 of the bench's stratified 5-fold split (bench/nlu.py, seed 2024; the files are written
once to var/probe/folds). Each variant is config.yml with a few changes (policies removed: NLU
only), trained in its own process with Rasa's Python API; the wall and CPU time of every graph
node are recorded, then the held-back fifth is scored like `make bench` (macro-F1, fallback undone).
One JSON line per variant is appended to var/probe/results.jsonl and printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORK = ROOT / "var" / "probe"
DIET = "nlu_components.fast_load_diet.FastLoadDIETClassifier"

# name -> (changes per component name, TF-IDF n-gram ranges (word, char) or None for the project's)
VARIANTS = {
    "baseline": ({}, None),
    "epochs40": ({DIET: {"epochs": 40}}, None),
    "epochs30": ({DIET: {"epochs": 30}}, None),
    "epochs30_batch128": ({DIET: {"epochs": 30, "batch_size": [64, 256]}}, None),
    "no_char_cv": ({"drop": "char_wb"}, None),
    "epochs30_no_char_cv": ({DIET: {"epochs": 30}, "drop": "char_wb"}, None),
    "epochs20_no_char_cv": ({DIET: {"epochs": 20}, "drop": "char_wb"}, None),
    "epochs20_no_char_cv_tfidf_char24": ({DIET: {"epochs": 20}, "drop": "char_wb"}, ((1, 2), (2, 4))),
    "tfidf_char24": ({}, ((1, 2), (2, 4))),
    "epochs30_tfidf_char24": ({DIET: {"epochs": 30}}, ((1, 2), (2, 4))),
    "epochs40_tfidf_char24": ({DIET: {"epochs": 40}}, ((1, 2), (2, 4))),
    "epochs20": ({DIET: {"epochs": 20}}, None),
    "epochs30_b128_512": ({DIET: {"epochs": 30, "batch_size": [128, 512]}}, None),
    "epochs40_b128_512": ({DIET: {"epochs": 40, "batch_size": [128, 512]}}, None),
    "epochs30_t0": ({DIET: {"epochs": 30, "number_of_transformer_layers": 0}}, None),
    "epochs20_t0": ({DIET: {"epochs": 20, "number_of_transformer_layers": 0}}, None),
    "epochs30_t0_nocrf": (
        {DIET: {"epochs": 30, "number_of_transformer_layers": 0, "entity_recognition": False}},
        None,
    ),
}


def make_fold() -> None:
    from bench.nlu import make_folds
    from bench.settings import Settings

    if not (WORK / "folds" / "0" / "test.yml").is_file():
        make_folds(Settings(fold_limit=1), WORK)


def write_config(name: str) -> Path:
    import yaml

    changes, _ = VARIANTS[name]
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    if changes.get("drop") == "char_wb":  # the character n-gram CountVectorsFeaturizer
        config["pipeline"] = [c for c in config["pipeline"] if c.get("analyzer") != "char_wb"]
    for component in config["pipeline"]:
        component.update(changes.get(component["name"], {}))
    config["policies"] = []
    path = WORK / f"config-{name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return path


def run_variant(name: str) -> dict:
    """In this process: patch, train, time every node, score."""
    import asyncio
    import tempfile

    from rasa.engine.graph import GraphNode
    from rasa.model_training import train_nlu

    from bench.nlu import _predict, score

    _, ngrams = VARIANTS[name]
    if ngrams:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        import nlu_components.intent_ensemble as ensemble

        def tfidf_model(c: float = 10.0):
            return make_pipeline(
                make_union(
                    TfidfVectorizer(analyzer="word", ngram_range=ngrams[0], sublinear_tf=True),
                    TfidfVectorizer(analyzer="char_wb", ngram_range=ngrams[1], sublinear_tf=True),
                ),
                LogisticRegression(C=c, max_iter=2000),
            )

        ensemble.tfidf_model = tfidf_model

    nodes = {}
    original = GraphNode.__call__

    def timed(self, *args, **kwargs):
        wall, cpu = time.monotonic(), time.process_time()
        try:
            return original(self, *args, **kwargs)
        finally:
            entry = nodes.setdefault(self._node_name, [0.0, 0.0])
            entry[0] += time.monotonic() - wall
            entry[1] += time.process_time() - cpu

    GraphNode.__call__ = timed
    config = write_config(name)
    with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
        wall, cpu = time.monotonic(), time.process_time()
        model = train_nlu(str(config), str(WORK / "folds" / "0" / "train.yml"), tmp, fixed_model_name=name)
        train_wall, train_cpu = time.monotonic() - wall, time.process_time() - cpu
        size = Path(model).stat().st_size
        GraphNode.__call__ = original
        predictions = asyncio.run(_predict(model, WORK / "folds" / "0" / "test.yml"))
    figures = score(predictions)
    slow = sorted(((k, round(w, 1), round(c, 1)) for k, (w, c) in nodes.items() if w >= 0.5), key=lambda item: -item[1])
    return {
        "variant": name,
        "train_wall_s": round(train_wall, 1),
        "train_cpu_s": round(train_cpu, 1),
        "macro_f1": round(figures["macro_f1"], 4),
        "accuracy": round(figures["accuracy"], 4),
        "entity_f1": round(figures.get("entity_f1", float("nan")), 4),
        "model_mb": round(size / 1e6, 1),
        "nodes_wall_cpu_s": slow,
        "load": os.getloadavg()[0],
    }


def main(argv) -> int:
    if len(argv) == 2 and argv[0] == "--worker":
        print("RESULT " + json.dumps(run_variant(argv[1])), flush=True)
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    make_fold()
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "RASA_TELEMETRY_ENABLED": "false"}
    for name in argv or ["baseline"]:
        if name not in VARIANTS:
            print(f"unknown variant {name}; known: {', '.join(VARIANTS)}", file=sys.stderr)
            return 2
        log = WORK / f"{name}.log"
        with log.open("w") as out:
            subprocess.run(
                [sys.executable, "-m", "scripts.nlu_one_fold", "--worker", name],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                check=False,
            )
        lines = [line for line in log.read_text().splitlines() if line.startswith("RESULT ")]
        if not lines:
            print(f"{name}: failed, see {log}", file=sys.stderr)
            continue
        result = json.loads(lines[-1][7:])
        with (WORK / "results.jsonl").open("a") as out:
            out.write(json.dumps(result) + "\n")
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
