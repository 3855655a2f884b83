"""Quick NLU check: the pipeline's intent model (TF-IDF word + char n-grams, linear SVM:
nlu_components/linear_intents.py) alone, without Rasa.

Same data as the pipeline (data/nlu, tests/nlu), 5 stratified folds; runs in seconds, so it is the
quick check after every data change. Prints the cross-validated macro-F1, the held-out macro-F1,
the weakest intents and the top confusions.
Usage: .venv/bin/python -m scripts.nlu_baseline [--all] [--errors N]
"""

import argparse
import collections
import glob
import re

import yaml
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from nlu_components.linear_intents import tfidf_svm


def load(paths):
    X, y = [], []
    for p in sorted(paths):
        d = yaml.safe_load(open(p, encoding="utf-8"))
        for item in d.get("nlu", []) or []:
            if "intent" in item:
                for line in item["examples"].splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        X.append(re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line[2:]))
                        y.append(item["intent"])
    return X, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--all", action="store_true", help="print every intent, not only the 12 weakest")
    ap.add_argument("--errors", type=int, default=0, help="print up to N misclassified examples")
    a = ap.parse_args()
    X, y = load(glob.glob("data/nlu/*.yml"))
    Xh, yh = load(glob.glob("tests/nlu/*.yml"))
    pipe = tfidf_svm()  # the pipeline's intent model
    pred = cross_val_predict(pipe, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    labels = sorted(set(y))
    f1 = dict(zip(labels, f1_score(y, pred, labels=labels, average=None)))
    conf = collections.Counter((t, p) for t, p in zip(y, pred) if t != p)
    print(len(X), "examples, intents", len(labels), "| CV macro-F1", round(f1_score(y, pred, average="macro"), 3))
    pipe.fit(X, y)
    ph = pipe.predict(Xh)
    print("holdout macro-F1", round(f1_score(yh, ph, average="macro"), 3), "on", len(Xh), "examples")
    support = collections.Counter(y)
    for i in sorted(labels, key=f1.get)[: None if a.all else 12]:
        print(f"  {i:22s} {f1[i]:.3f}  n={support[i]}")
    print("top confusions (true -> predicted):")
    for (t, p), n in conf.most_common(15):
        print(f"  {n:3d} {t} -> {p}")
    for t, p, x in [(t, p, x) for t, p, x in zip(y, pred, X) if t != p][: a.errors]:
        print(f"  [{t} -> {p}] {x}")
    # The held-out examples themselves are never printed: whoever edits data/nlu must not see them.


if __name__ == "__main__":
    main()
