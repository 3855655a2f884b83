"""How IntentEnsemble's weight and the FallbackClassifier's threshold were chosen (docs/nlu-evaluation.md, round 5).

Input: the fold files of `make bench` (var/bench/nlu/folds) and the predictions of a pipeline with
DIET alone on those folds, rankings included, e.g. config.yml with `diet_weight: 1.0`:
    .venv/bin/python -m bench.nlu worker <that config> var/bench/nlu 5 "" var/bench/nlu/raw-diet.json
For each DIET weight: the macro-F1 of the average with the TF-IDF model; for each fallback setting: the
share of turns sent to the fallback, the errors it catches and the right answers it holds back.
Usage: .venv/bin/python -m scripts.nlu_ensemble_tune [var/bench/nlu/raw-diet.json]
"""

import json
import sys
from pathlib import Path

from sklearn.metrics import f1_score

from bench import nlu
from nlu_components.intent_ensemble import combine, tfidf_model

ROOT = Path(__file__).resolve().parents[1]

WORK = ROOT / "var" / "bench" / "nlu"


def rows(raw_path: Path):
    out = []
    for k, fold in enumerate(json.loads(raw_path.read_text())["folds"]):
        train = nlu._examples(nlu._load(WORK / "folds" / str(k) / "train.yml"))
        model = tfidf_model().fit([e["text"] for e in train], [e["intent"] for e in train])
        texts = [p["text"] for p in fold["predictions"]]
        for p, probs in zip(fold["predictions"], model.predict_proba(texts)):
            out.append(
                (
                    p["intent"],
                    [{"name": n, "confidence": c} for n, c in p["ranking"]],
                    dict(zip(model.classes_, map(float, probs))),
                )
            )
    return out


def main() -> None:
    data = rows(Path(sys.argv[1]) if len(sys.argv) > 1 else WORK / "raw-diet.json")
    labels = sorted({t for t, _, _ in data})
    for w in (1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.0):
        truth, guess = zip(*((t, combine(r, p, w)[0]["name"]) for t, r, p in data))
        print(f"DIET weight {w:.1f}: macro-F1 {f1_score(truth, guess, labels=labels, average='macro'):.4f}")
    print("fallback (weight, threshold, ambiguity): share of turns, errors caught, right answers held back")
    for w in (1.0, 0.5):
        for threshold in (0.6, 0.5, 0.45, 0.4):
            for ambiguity in (0.1, 0.05):
                sent = caught = held = errors = 0
                for t, r, p in data:
                    ranking = combine(r, p, w)
                    fallback = ranking[0]["confidence"] < threshold or (
                        len(ranking) > 1 and ranking[0]["confidence"] - ranking[1]["confidence"] < ambiguity
                    )
                    wrong = ranking[0]["name"] != t
                    errors, sent = errors + wrong, sent + fallback
                    caught, held = caught + (fallback and wrong), held + (fallback and not wrong)
                print(
                    f"  {w} {threshold} {ambiguity}: {sent / len(data):.3f} of turns, "
                    f"{caught}/{errors} errors caught, {held} right answers held back"
                )


if __name__ == "__main__":
    main()
