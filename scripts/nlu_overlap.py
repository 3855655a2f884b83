"""Check that the held-out NLU set (tests/nlu) does not overlap the training data (data/nlu).

Compares normalised texts (lower case, no accents, no punctuation, entity markup removed):
exact duplicates and near duplicates (difflib ratio >= --threshold) are listed; exit 1 if any.
With --within, lists instead the near-duplicate pairs inside data/nlu (same intent: the copy adds
nothing and inflates cross-validation; two intents: a minimal pair, or a labelling conflict to check).
Usage: .venv/bin/python scripts/nlu_overlap.py [--threshold 0.9] [--within]
"""

import argparse
import difflib
import glob
import re
import sys
import unicodedata

import yaml


def examples(pattern):
    out = []
    for p in sorted(glob.glob(pattern)):
        for item in (yaml.safe_load(open(p, encoding="utf-8")) or {}).get("nlu", []) or []:
            if "intent" in item:
                for line in item["examples"].splitlines():
                    if line.strip().startswith("- "):
                        out.append((item["intent"], line.strip()[2:]))
    return out


def norm(text):
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\{[^}]+\}", r"\1", text)
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


def near(sm, other, threshold):
    sm.set_seq2(other)
    return sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold and sm.ratio() >= threshold


def within(train, threshold):
    """Near-duplicate pairs inside the training data; informational (exit 0)."""
    counts = {"same intent": 0, "two intents": 0}
    for k, (i, t, n) in enumerate(train):
        if not n:  # emoji or punctuation only: nothing to compare
            continue
        sm = difflib.SequenceMatcher(None, n, "", autojunk=False)
        for j, u, m in train[k + 1 :]:
            if m and near(sm, m, threshold):
                kind = "same intent" if i == j else "two intents"
                counts[kind] += 1
                print(f"{kind.upper():12s} [{i}] {t!r} ~ [{j}] {u!r} ({sm.ratio():.2f})")
    print(", ".join(f"{v} near-duplicate pairs of {k}" for k, v in counts.items()))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument("--within", action="store_true", help="near duplicates inside data/nlu instead")
    a = ap.parse_args()
    train = [(i, t, norm(t)) for i, t in examples("data/nlu/*.yml")]
    if a.within:
        return within(train, a.threshold)
    exact = {n: (i, t) for i, t, n in train}
    bad = 0
    for intent, text in examples("tests/nlu/*.yml"):
        n = norm(text)
        if n in exact:
            print(f"EXACT  [{intent}] {text!r} = [{exact[n][0]}] {exact[n][1]!r}")
            bad += 1
            continue
        sm = difflib.SequenceMatcher(None, n, "", autojunk=False)
        for i, t, m in train:
            if near(sm, m, a.threshold):
                print(f"NEAR   [{intent}] {text!r} ~ [{i}] {t!r} ({sm.ratio():.2f})")
                bad += 1
                break
    print(f"{bad} overlapping held-out examples")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
