"""Check that the held-out NLU set (tests/nlu) does not overlap the training data (data/nlu).

Compares normalised texts (lower case, no accents, no punctuation, entity markup removed):
exact duplicates and near duplicates (difflib ratio >= --threshold) are listed; exit 1 if any.
Usage: .venv/bin/python scripts/nlu_overlap.py [--threshold 0.9]
"""
import argparse, difflib, glob, re, sys, unicodedata

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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=0.9)
    a = ap.parse_args()
    train = [(i, t, norm(t)) for i, t in examples("data/nlu/*.yml")]
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
            sm.set_seq2(m)
            if sm.real_quick_ratio() >= a.threshold and sm.quick_ratio() >= a.threshold and sm.ratio() >= a.threshold:
                print(f"NEAR   [{intent}] {text!r} ~ [{i}] {t!r} ({sm.ratio():.2f})")
                bad += 1
                break
    print(f"{bad} overlapping held-out examples")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
