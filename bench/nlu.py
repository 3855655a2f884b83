"""NLU quality: k-fold cross-validation of three pipelines on the same folds, and the held-out set.

- project: config.yml (CRF entities, TF-IDF linear SVM intents), trained/tested with Rasa's Python API in a worker process;
- default: the pipeline `rasa init` writes (rasa/cli/initial_project/config.yml), language fr;
- tfidf: TF-IDF word + char n-grams with logistic regression (scikit-learn).

The folds are stratified by intent with a fixed seed and written as Rasa YAML files
(var/bench/nlu/folds/<k>/{train,test}.yml); the regexes, lookups and synonyms go into every
training file. Predictions are scored like `rasa test nlu`: a FallbackClassifier prediction is
undone (the classifier's own top intent counts). Entity F1: exact (entity, start, end) matches.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from bench.settings import BIN, ROOT, Settings, log, median_spread, save

SEED = 2024

DEFAULT_PIPELINE = """\
# The pipeline `rasa init` writes (rasa/cli/initial_project/config.yml), with language fr.
recipe: default.v1
assistant_id: bench_default_pipeline
language: fr
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: 100
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies: []
"""

LABELS = {
    "project": "project pipeline (config.yml: CRF entities, TF-IDF + linear SVM intents)",
    "default": "Rasa default pipeline (`rasa init`, no spaCy)",
    "tfidf": "TF-IDF word + char n-grams, logistic regression",
}


# ---- data and folds -------------------------------------------------------------------------


def _load(path: Path):
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(path), language="fr")


def _examples(data) -> List[dict]:
    out = []
    for message in data.intent_examples:
        out.append(
            {
                "text": message.get("text"),
                "intent": message.get("intent"),
                "entities": [
                    {"entity": e["entity"], "start": e["start"], "end": e["end"], "value": e.get("value")}
                    for e in message.get("entities") or []
                ],
            }
        )
    return out


def _write(path: Path, messages, data=None) -> None:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.training_data import TrainingData

    extra = {}
    if data is not None:
        extra = dict(
            entity_synonyms=data.entity_synonyms, regex_features=data.regex_features, lookup_tables=data.lookup_tables
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    RasaYAMLWriter().dump(str(path), TrainingData(training_examples=list(messages), **extra))


def _subset(messages, per_intent: int):
    if not per_intent:
        return list(messages)
    kept, seen = [], Counter()
    for message in messages:  # first N of each intent: deterministic
        if seen[message.get("intent")] < per_intent:
            kept.append(message)
            seen[message.get("intent")] += 1
    return kept


def make_folds(settings: Settings, work: Path) -> Dict[str, object]:
    """Write the fold files and the full training file; return what was written."""
    from sklearn.model_selection import StratifiedKFold

    data = _load(ROOT / "data" / "nlu")
    messages = _subset(data.intent_examples, settings.nlu_per_intent)
    intents = [m.get("intent") for m in messages]
    counts = Counter(intents)
    folds = StratifiedKFold(n_splits=settings.folds, shuffle=True, random_state=SEED)
    for k, (train_idx, test_idx) in enumerate(folds.split(messages, intents)):
        if settings.fold_limit and k >= settings.fold_limit:
            break
        _write(work / "folds" / str(k) / "train.yml", [messages[i] for i in train_idx], data)
        _write(work / "folds" / str(k) / "test.yml", [messages[i] for i in test_idx])
    _write(work / "all" / "train.yml", messages, data)
    return {
        "examples": len(messages),
        "intents": len(counts),
        "smallest_intent": min(counts.values()),
        "folds": settings.folds,
        "evaluated_folds": min(settings.fold_limit or settings.folds, settings.folds),
        "seed": SEED,
    }


def _configs(settings: Settings, work: Path) -> Dict[str, Path]:
    import yaml

    texts = {"project": (ROOT / "config.yml").read_text(), "default": DEFAULT_PIPELINE}
    paths = {}
    for name, text in texts.items():
        config = yaml.safe_load(text)
        if settings.epochs:
            for component in config["pipeline"]:
                if "epochs" in component or str(component["name"]).endswith(("DIETClassifier", "ResponseSelector")):
                    component["epochs"] = settings.epochs
        config["policies"] = []  # NLU only
        paths[name] = work / f"config-{name}.yml"
        paths[name].write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return paths


# ---- scoring ---------------------------------------------------------------------------------


def score(predictions: List[dict]) -> Dict[str, object]:
    """predictions: [{text, intent, predicted, entities, predicted_entities}] -> figures."""
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    truth = [p["intent"] for p in predictions]
    guess = [p["predicted"] for p in predictions]
    labels = sorted(set(truth))
    _, _, f1s, support = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    figures = {
        "n": len(predictions),
        "macro_f1": f1_score(truth, guess, labels=labels, average="macro", zero_division=0),
        "accuracy": accuracy_score(truth, guess),
        "per_intent_f1": {label: float(f) for label, f in zip(labels, f1s)},
        "support": {label: int(s) for label, s in zip(labels, support)},
    }
    if any("predicted_entities" in p for p in predictions):
        tp = fp = fn = 0
        per_type = defaultdict(lambda: [0, 0, 0])
        for p in predictions:
            gold = {(e["entity"], e["start"], e["end"]) for e in p["entities"]}
            found = {(e["entity"], e["start"], e["end"]) for e in p.get("predicted_entities", [])}
            for e in gold & found:
                per_type[e[0]][0] += 1
            for e in found - gold:
                per_type[e[0]][1] += 1
            for e in gold - found:
                per_type[e[0]][2] += 1
            tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)

        def f1(t, p_, n):
            return 2 * t / (2 * t + p_ + n) if t + p_ + n else float("nan")

        figures["entity_f1"] = f1(tp, fp, fn)
        figures["entity_counts"] = {"gold": tp + fn, "predicted": tp + fp, "correct": tp}
        figures["entity_f1_per_type"] = {k: f1(*v) for k, v in sorted(per_type.items())}
    return figures


def confusions(predictions: List[dict], top: int = 10) -> List[Tuple[str, str, int]]:
    pairs = Counter((p["intent"], p["predicted"]) for p in predictions if p["intent"] != p["predicted"])
    return [(a, b, n) for (a, b), n in pairs.most_common(top)]


# ---- the Rasa pipelines (worker process) -----------------------------------------------------


async def _predict(model: str, test_file: Path) -> List[dict]:
    from rasa.core.agent import Agent
    from rasa.nlu.classifiers import fallback_classifier

    agent = Agent.load(model)
    out = []
    for example in _examples(_load(test_file)):
        result = await agent.parse_message(example["text"])
        fallback = fallback_classifier.is_fallback_classifier_prediction(result)
        if fallback:
            result = fallback_classifier.undo_fallback_prediction(result)
        out.append(
            {
                **example,
                "predicted": (result.get("intent") or {}).get("name"),
                "fallback": fallback,
                "ranking": [[r["name"], round(float(r["confidence"]), 5)] for r in result.get("intent_ranking") or []],
                "predicted_entities": [
                    {"entity": e["entity"], "start": e["start"], "end": e["end"]}
                    for e in result.get("entities", [])
                    if "start" in e and "end" in e
                ],
            }
        )
    return out


def worker(config: str, work: str, folds: int, heldout: str, out: str) -> None:
    """Train and test one Rasa pipeline on every fold (and on all data -> held-out set)."""
    from rasa.model_training import train_nlu

    work_path = Path(work)
    results = {"folds": []}
    with tempfile.TemporaryDirectory(prefix="bench-nlu-") as tmp:
        jobs = [
            (str(k), work_path / "folds" / str(k) / "train.yml", work_path / "folds" / str(k) / "test.yml")
            for k in range(folds)
        ]
        if heldout:
            jobs.append(("heldout", work_path / "all" / "train.yml", Path(heldout)))
        for name, train_file, test_file in jobs:
            if name == "heldout" and heldout.endswith(".tar.gz"):
                model, seconds = heldout, None
                test_file = ROOT / "tests" / "nlu"
            else:
                started = time.monotonic()
                model = train_nlu(config, str(train_file), str(Path(tmp) / name), fixed_model_name=name)
                seconds = time.monotonic() - started
            started = time.monotonic()
            predictions = asyncio.run(_predict(model, test_file))
            entry = {
                "name": name,
                "train_seconds": seconds,
                "test_seconds": time.monotonic() - started,
                "predictions": predictions,
            }
            if name == "heldout":
                results["heldout"] = entry
            else:
                results["folds"].append(entry)
            Path(out + ".partial").write_text(
                json.dumps(results, ensure_ascii=False)
            )  # an interrupted run keeps its folds
            print(
                f"    {Path(config).stem} {name}: trained in {seconds or 0:.0f} s, "
                f"macro-F1 {score(predictions)['macro_f1']:.3f}",
                flush=True,
            )
    Path(out).write_text(json.dumps(results, ensure_ascii=False))


# ---- the TF-IDF baseline ---------------------------------------------------------------------


def _tfidf_pipeline():
    # the pipeline's features with a logistic regression: the project's intent model until round 9
    # averaged it with DIET; kept as the plain scikit-learn reference
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from nlu_components.linear_intents import tfidf_features

    return make_pipeline(tfidf_features(), LogisticRegression(C=10.0, max_iter=2000))


def tfidf(work: Path, folds: int, heldout: bool) -> Dict[str, object]:
    results = {"folds": []}
    jobs = [(str(k), work / "folds" / str(k) / "train.yml", work / "folds" / str(k) / "test.yml") for k in range(folds)]
    if heldout:
        jobs.append(("heldout", work / "all" / "train.yml", ROOT / "tests" / "nlu"))
    for name, train_file, test_file in jobs:
        train, test = _examples(_load(train_file)), _examples(_load(test_file))
        started = time.monotonic()
        model = _tfidf_pipeline().fit([e["text"] for e in train], [e["intent"] for e in train])
        seconds = time.monotonic() - started
        guesses = model.predict([e["text"] for e in test])
        entry = {
            "name": name,
            "train_seconds": seconds,
            "predictions": [{**e, "predicted": g} for e, g in zip(test, guesses)],
        }
        if name == "heldout":
            results["heldout"] = entry
        else:
            results["folds"].append(entry)
    return results


# ---- driver ----------------------------------------------------------------------------------


def _summarise(raw: Dict[str, object]) -> Dict[str, object]:
    folds = raw["folds"]
    pooled = [p for f in folds for p in f["predictions"]]
    per_fold = [score(f["predictions"]) for f in folds]
    out = {
        "pooled": score(pooled),
        "macro_f1_folds": median_spread([s["macro_f1"] for s in per_fold]),
        "accuracy_folds": median_spread([s["accuracy"] for s in per_fold]),
        "train_seconds_folds": median_spread([f["train_seconds"] for f in folds if f.get("train_seconds")]),
        "worst_confusions": confusions(pooled),
        "fallback_share": (sum(1 for p in pooled if p.get("fallback")) / len(pooled)) if pooled else None,
    }
    if any("entity_f1" in s for s in per_fold):
        out["entity_f1_folds"] = median_spread([s["entity_f1"] for s in per_fold if "entity_f1" in s])
    if raw.get("heldout"):
        out["heldout"] = score(raw["heldout"]["predictions"])
        out["heldout"]["train_seconds"] = raw["heldout"].get("train_seconds")
        out["heldout"]["worst_confusions"] = confusions(raw["heldout"]["predictions"], 5)
    out["folds_evaluated"] = len(folds)
    return out


def common_folds(raws: Dict[str, dict]) -> Dict[str, object]:
    """When a pipeline ran fewer folds: every pipeline's pooled figures on the folds they all ran."""
    k = min((len(raw["folds"]) for raw in raws.values()), default=0)
    if not k or all(len(raw["folds"]) == k for raw in raws.values()):
        return {}
    figures = {}
    for name, raw in raws.items():
        pooled = score([p for f in raw["folds"][:k] for p in f["predictions"]])
        figures[name] = {"macro_f1": pooled["macro_f1"], "accuracy": pooled["accuracy"], "n": pooled["n"]}
    return {"folds": k, "pipelines": figures}


def run(settings: Settings) -> Dict[str, object]:
    work = settings.work_path / "nlu"
    started = time.monotonic()
    if settings.nlu_reuse and (work / "folds.json").is_file():
        data = json.loads((work / "folds.json").read_text())
    else:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        data = make_folds(settings, work)
        (work / "folds.json").write_text(json.dumps(data))
    log(f"NLU: {data['examples']} examples, {data['intents']} intents, {settings.folds} folds")
    configs = _configs(settings, work)
    result = {"data": data, "pipelines": {}, "labels": LABELS}
    raws: Dict[str, dict] = {}
    heldout_files = list((ROOT / "tests" / "nlu").glob("*.yml"))

    def wants_heldout(name: str) -> bool:
        return settings.heldout and name in settings.list("heldout_pipelines")

    def _source(name: str) -> str:
        if name == "project" and wants_heldout(name) and not settings.epochs and not settings.nlu_per_intent:
            return "models/amelibot.tar.gz (make train)"
        return "trained on all of data/nlu"

    for name in settings.list("pipelines"):
        step = time.monotonic()
        folds = settings.folds_of(name, data["evaluated_folds"])
        if name == "tfidf":
            raw = tfidf(work, folds, wants_heldout(name) and bool(heldout_files))
        else:
            heldout = ""
            if wants_heldout(name) and heldout_files:
                model = ROOT / "models" / "amelibot.tar.gz"
                use_model = (
                    name == "project" and model.is_file() and not settings.epochs and not settings.nlu_per_intent
                )
                heldout = str(model) if use_model else str(ROOT / "tests" / "nlu")
            raw_path = work / f"raw-{name}.json"
            if settings.nlu_reuse and raw_path.is_file():
                log(f"NLU: reusing {raw_path.relative_to(ROOT)}")
                raw = json.loads(raw_path.read_text())
                raws[name] = raw
                result["reused"] = result.get("reused", []) + [name]
                summary = _summarise(raw)
                summary["seconds"] = None
                summary["heldout_source"] = _source(name)
                result["pipelines"][name] = summary
                if name == "project":
                    result["project_predictions"] = [
                        {"intent": p["intent"], "predicted": p["predicted"]}
                        for f in raw["folds"]
                        for p in f["predictions"]
                    ]
                continue
            if not settings.nlu_train:
                partial = Path(str(raw_path) + ".partial")
                result.setdefault("not_measured", {})[name] = (
                    f"only {len(json.loads(partial.read_text())['folds'])} fold(s) finished"
                    if partial.is_file()
                    else "no fold finished"
                ) + " in the time available (its worker was stopped)"
                log(f"NLU: {name}: not measured ({result['not_measured'][name]})")
                continue
            log(
                f"NLU: training and testing the {name} pipeline on {folds} fold(s)"
                + (" and the held-out set" if heldout else "")
            )
            cmd = [
                str(BIN / "python"),
                "-m",
                "bench.nlu",
                "worker",
                str(configs[name]),
                str(work),
                str(folds),
                heldout,
                str(raw_path),
            ]
            if settings.nice:
                cmd = ["nice", "-n", str(settings.nice), *cmd]
            logfile = settings.work_path / f"nlu-{name}.log"
            with logfile.open("w") as handle:
                # RASA_MAX_CACHE_SIZE=0: no training cache, so a fold seen by an earlier run is trained again
                env = {
                    **os.environ,
                    "LOG_LEVEL": "WARNING",
                    "TF_CPP_MIN_LOG_LEVEL": "3",
                    "PYTHONWARNINGS": "ignore",
                    "RASA_MAX_CACHE_SIZE": "0",
                }
                done = subprocess.run(cmd, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env)
            if done.returncode:
                raise RuntimeError(f"NLU worker for {name} failed, see {logfile}:\n" + logfile.read_text()[-3000:])
            raw = json.loads(raw_path.read_text())
        raws[name] = raw
        summary = _summarise(raw)
        summary["seconds"] = time.monotonic() - step
        summary["heldout_source"] = _source(name)
        result["pipelines"][name] = summary
        # pooled predictions of the project pipeline: the confusion-matrix chart
        if name == "project":
            result["project_predictions"] = [
                {"intent": p["intent"], "predicted": p["predicted"]} for f in raw["folds"] for p in f["predictions"]
            ]
        log(f"NLU: {name}: macro-F1 {summary['pooled']['macro_f1']:.3f} ({summary['seconds']:.0f} s)")
    result["common_folds"] = common_folds(raws)
    result["seconds"] = time.monotonic() - started
    save(settings, "nlu", result)
    return result


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6])
    else:
        raise SystemExit("usage: python -m bench.nlu worker CONFIG WORKDIR FOLDS HELDOUT OUT")
