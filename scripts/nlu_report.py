"""Summarise a Rasa intent report: macro-F1, accuracy, weakest intents.

Usage: nlu_report.py REPORT.json [--min-macro-f1 0.90] [--markdown OUT.md --title T]
Exits 1 when the macro-F1 is below --min-macro-f1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def per_intent(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in SUMMARY_KEYS and isinstance(v, dict)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", type=Path)
    parser.add_argument("--min-macro-f1", type=float, default=None)
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--title", default="NLU evaluation")
    parser.add_argument("--command", default="")
    args = parser.parse_args()

    report = load(args.report)
    macro = report["macro avg"]["f1-score"]
    accuracy = report.get("accuracy", float("nan"))
    intents = per_intent(report)
    weakest = sorted(intents.items(), key=lambda kv: kv[1]["f1-score"])[:5]

    print(f"    intents: {len(intents)}  macro-F1: {macro:.3f}  accuracy: {accuracy:.3f}")
    print("    weakest: " + ", ".join(f"{n} {v['f1-score']:.2f}" for n, v in weakest))
    for name, values in weakest:
        confused = values.get("confused_with") or {}
        if confused:
            print(f"      {name} confused with {confused}")

    if args.markdown:
        lines = [
            f"# {args.title}",
            "",
            f"Command: `{args.command}`" if args.command else "",
            "",
            f"- intents: {len(intents)}",
            f"- **intent macro-F1: {macro:.3f}**",
            f"- accuracy: {accuracy:.3f}",
            "",
            "| intent | precision | recall | F1 | support | confused with |",
            "|---|---|---|---|---|---|",
        ]
        for name, v in sorted(intents.items(), key=lambda kv: kv[1]["f1-score"]):
            confused = ", ".join(f"{k} ({n})" for k, n in (v.get("confused_with") or {}).items())
            lines.append(
                f"| {name} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1-score']:.3f} "
                f"| {v['support']} | {confused} |"
            )
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"    written to {args.markdown}")

    if args.min_macro_f1 is not None and macro < args.min_macro_f1:
        print(f"FAILED: macro-F1 {macro:.3f} is below {args.min_macro_f1:.2f}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
