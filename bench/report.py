"""Write docs/benchmarks.md and the PNG charts beside it, from the raw results in var/bench/*.json."""

from __future__ import annotations

import math
import os
import shlex
from pathlib import Path
from typing import Dict, List, Optional

from bench.settings import Settings, load_result

GOALS = {
    "macro_f1": 0.95,
    "latency_p95_ms": 100.0,
    "throughput": 35.0,  # issue 18: one Rasa server, the bench's 9-turn script
    "throughput_prod": 50.0,  # issue 18: the production layout (nginx + 2 Rasa servers)
    "train_s": 150.0,
    "ready_s": 20.0,
    "p95_20_ms": 500.0,
    "p99_20_ms": 1000.0,  # issue 18: tail latency at 20 concurrent conversations
}
# docs/benchmarks.md is written anew by each run; what follows this line in it (hand-written
# analyses, e.g. issue 18's profile) is kept as it is.
KEEP_MARKER = "<!-- hand-written below: bench/report.py keeps what follows this line -->"
SECTIONS = ("## 1. NLU quality", "## 2. Latency", "## 3. Throughput", "## 4. Cost")


def _f(value, digits: int = 0, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}{unit}".replace(",", " ")


def _ms(spread: Dict[str, float], digits: int = 0) -> str:
    """median (min–max) over repetitions."""
    if not spread or not spread.get("runs"):
        return "–"
    if spread["runs"] == 1:
        return _f(spread["median"], digits)
    return f"**{_f(spread['median'], digits)}** ({_f(spread['min'], digits)}–{_f(spread['max'], digits)})"


def _load(entry: dict) -> str:
    """1-minute load average at the end of each repetition (2 cores: above 2, other jobs were queued too)."""
    values = [r.get("load_average") for r in entry.get("runs", []) if r.get("load_average") is not None]
    return (
        "–"
        if not values
        else "–".join(_f(v, 1) for v in (min(values), max(values)))
        if len(values) > 1
        else _f(values[0], 1)
    )


def _met(ok: Optional[bool]) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


# ---- charts ------------------------------------------------------------------------------------


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def chart_confusion(predictions: List[dict], path: Path) -> None:
    import numpy as np
    from sklearn.metrics import confusion_matrix

    plt = _plt()
    labels = sorted({p["intent"] for p in predictions} | {p["predicted"] for p in predictions if p["predicted"]})
    truth = [p["intent"] for p in predictions]
    guess = [p["predicted"] or "(none)" for p in predictions]
    if "(none)" in guess:
        labels.append("(none)")
    matrix = confusion_matrix(truth, guess, labels=labels).astype(float)
    rows = matrix.sum(axis=1, keepdims=True)
    shares = np.divide(matrix, rows, out=np.zeros_like(matrix), where=rows > 0)
    size = max(6, 0.28 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if matrix[i, j] and i != j:
                ax.text(j, i, int(matrix[i, j]), ha="center", va="center", fontsize=6, color="darkred")
    ax.set_xlabel("predicted intent")
    ax.set_ylabel("true intent")
    ax.set_title("Project pipeline, cross-validation: share of each true intent (red: error counts)")
    fig.colorbar(image, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_per_intent(nlu: dict, path: Path) -> None:
    import numpy as np

    plt = _plt()
    names = [n for n in ("project", "default", "tfidf") if n in nlu["pipelines"]]
    intents = sorted(nlu["pipelines"][names[0]]["pooled"]["per_intent_f1"])
    fig, ax = plt.subplots(figsize=(8, max(5, 0.3 * len(intents))))
    height = 0.8 / len(names)
    for k, name in enumerate(names):
        values = [nlu["pipelines"][name]["pooled"]["per_intent_f1"].get(i, 0) for i in intents]
        ax.barh(np.arange(len(intents)) + k * height, values, height=height, label=name)
    ax.set_yticks(np.arange(len(intents)) + 0.4 - height / 2, intents, fontsize=7)
    ax.invert_yaxis()
    ax.axvline(GOALS["macro_f1"], color="grey", linestyle="--", linewidth=0.8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("F1 (cross-validation, pooled folds)")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_latency(latency: dict, path: Path) -> None:
    import numpy as np

    plt = _plt()
    scenarios = list(latency["scenarios"])
    users = list(next(iter(latency["scenarios"].values())))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.8 / (2 * len(users))
    k = 0
    for u in users:
        for q in ("p50", "p95"):
            med = [latency["scenarios"][s][u][q]["median"] for s in scenarios]
            low = [m - latency["scenarios"][s][u][q]["min"] for s, m in zip(scenarios, med)]
            high = [latency["scenarios"][s][u][q]["max"] - m for s, m in zip(scenarios, med)]
            ax.bar(
                np.arange(len(scenarios)) + k * width,
                med,
                width,
                yerr=[low, high],
                capsize=3,
                label=f"{q}, {u} user{'s' if u != '1' else ''}",
            )
            k += 1
    ax.axhline(
        GOALS["latency_p95_ms"], color="grey", linestyle="--", linewidth=0.8, label="goal: p95 ≤ 100 ms at 1 user"
    )
    ax.set_xticks(np.arange(len(scenarios)) + 0.4 - width / 2, scenarios)
    ax.set_ylabel("ms (median of repetitions; bars: min–max)")
    ax.set_yscale("log")
    ax.legend(fontsize=8)
    ax.set_title("REST latency, action server running, loopback")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def chart_throughput(throughput: dict, path: Path) -> None:
    plt = _plt()
    levels = list(throughput["levels"])
    x = [int(v) for v in levels]
    rate = [throughput["levels"][v]["msg_per_s"]["median"] for v in levels]
    low = [r - throughput["levels"][v]["msg_per_s"]["min"] for r, v in zip(rate, levels)]
    high = [throughput["levels"][v]["msg_per_s"]["max"] - r for r, v in zip(rate, levels)]
    p95 = [throughput["levels"][v]["p95"]["median"] for v in levels]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.errorbar(x, rate, yerr=[low, high], marker="o", capsize=3, label="msg/s (one Rasa + one action server)")
    ax.axhline(
        GOALS["throughput"], color="grey", linestyle="--", linewidth=0.8, label=f"goal: {GOALS['throughput']:.0f} msg/s"
    )
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("messages per second")
    ax.set_ylim(bottom=0)
    other = ax.twinx()
    other.plot(x, p95, color="tab:red", marker="s", linestyle=":", label="p95 latency (ms)")
    other.set_ylabel("p95 ms", color="tab:red")
    other.set_ylim(bottom=0)
    lines = ax.get_legend_handles_labels()
    lines2 = other.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=8, loc="center right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---- markdown ----------------------------------------------------------------------------------


def _nlu(nlu: Optional[dict], out: Path, stem: str, lines: List[str], goals: List[list]) -> None:
    lines.append(SECTIONS[0])
    if not nlu:
        lines += ["", "Not measured in this run (section left out).", ""]
        return
    data, pipes = nlu["data"], nlu["pipelines"]
    lines += [
        "",
        f"Data: `data/nlu`, {data['examples']} intent examples, {data['intents']} intents "
        f"(smallest: {data['smallest_intent']} examples); {data['folds']} stratified folds "
        f"(seed {data['seed']}), the same fold files for every pipeline (`var/bench/nlu/folds/`)"
        + (
            f"; **only the first {data['evaluated_folds']} of the {data['folds']} folds were evaluated** "
            "(`BENCH_FOLD_LIMIT`, to fit the time available; each still trains on 4/5 of the data)"
            if data.get("evaluated_folds", data["folds"]) < data["folds"]
            else ""
        )
        + ". "
        "Held-out set: `tests/nlu` (never trained on). A FallbackClassifier prediction is undone, as "
        "`rasa test nlu` does. Entity F1: exact (entity, start, end) matches, micro-averaged.",
        "",
        "| pipeline | folds | intent macro-F1, pooled folds | macro-F1 per fold: median (min–max) | accuracy | "
        "entity F1 per fold | held-out macro-F1 | training per fold (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, p in pipes.items():
        held = p.get("heldout") or {}
        lines.append(
            f"| {nlu['labels'].get(name, name)} | {p.get('folds_evaluated', data.get('evaluated_folds', data['folds']))} "
            f"| **{_f(p['pooled']['macro_f1'], 3)}** | {_ms(p['macro_f1_folds'], 3)} | "
            f"{_f(p['pooled']['accuracy'], 3)} | {_ms(p.get('entity_f1_folds'), 3) if p.get('entity_f1_folds') else 'n/a'} | "
            f"{_f(held.get('macro_f1'), 3)} | {_ms(p['train_seconds_folds'], 1)} |"
        )
    for name, why in (nlu.get("not_measured") or {}).items():
        lines.append(f"| {nlu['labels'].get(name, name)} | | not measured in this run: {why} | | | | | |")
    lines.append("")
    common = nlu.get("common_folds") or {}
    if common:
        k = common["folds"]
        lines += [
            f"Some pipelines ran fewer folds (`BENCH_PIPELINE_FOLDS`: one fold of Rasa's default pipeline takes "
            f"well over a quarter of an hour of CPU here). On the first {k} fold(s), which every pipeline ran (same training and test "
            "examples):",
            "",
            "| pipeline | intent macro-F1 | accuracy | test examples |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {nlu['labels'].get(n, n)} | **{_f(c['macro_f1'], 3)}** | {_f(c['accuracy'], 3)} | {c['n']} |"
            for n, c in common["pipelines"].items()
        ]
        lines.append("")
    project = pipes.get("project")
    if project:
        f1 = project["pooled"]["macro_f1"]

        def versus(name: str):  # (project, baseline) on the folds both ran
            if common and pipes[name].get("folds_evaluated") != project.get("folds_evaluated"):
                return common["pipelines"]["project"]["macro_f1"], common["pipelines"][name]["macro_f1"]
            return f1, pipes[name]["pooled"]["macro_f1"]

        pairs = {n: versus(n) for n in pipes if n != "project"}
        ahead = all(a > b for a, b in pairs.values())
        goals.append(
            [
                "intent macro-F1, cross-validation (project pipeline)",
                _f(f1, 3),
                "≥ 0.95 and ahead of both baselines"
                + (" (" + ", ".join(nlu.get("not_measured")) + ": not measured)" if nlu.get("not_measured") else ""),
                _met(f1 >= GOALS["macro_f1"] and ahead),
            ]
        )
        if project.get("heldout"):
            goals.append(
                [
                    "intent macro-F1, held-out `tests/nlu`",
                    _f(project["heldout"]["macro_f1"], 3),
                    "≥ 0.95",
                    _met(project["heldout"]["macro_f1"] >= GOALS["macro_f1"]),
                ]
            )
        lines += [
            f"Held-out figures: the project pipeline is scored with {project.get('heldout_source')}; "
            "the baselines are trained on all of `data/nlu`.",
            "",
        ]
        lines += [
            f"![per-intent F1]({stem}-nlu-per-intent.png)",
            "",
            f"![confusion matrix]({stem}-nlu-confusion.png)",
            "",
            "The 10 worst confusions of the project pipeline (pooled folds):",
            "",
            "| true intent | predicted | count |",
            "|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {n} |" for a, b, n in project["worst_confusions"]]
        lines += [
            "",
            "<details><summary>Per-intent F1 (pooled folds)</summary>",
            "",
            "| intent | examples | " + " | ".join(pipes) + " |",
            "|---|---|" + "---|" * len(pipes),
        ]
        for intent in sorted(project["pooled"]["per_intent_f1"]):
            lines.append(
                f"| {intent} | {project['pooled']['support'][intent]} | "
                + " | ".join(_f(pipes[n]["pooled"]["per_intent_f1"].get(intent), 2) for n in pipes)
                + " |"
            )
        lines += ["", "</details>", ""]
        if project["pooled"].get("entity_f1_per_type"):
            lines += [
                "Entity F1 per type (project pipeline, pooled folds): "
                + ", ".join(f"`{k}` {_f(v, 2)}" for k, v in project["pooled"]["entity_f1_per_type"].items())
                + ".",
                "",
            ]
        if not (f1 >= GOALS["macro_f1"] and ahead):
            weakest = sorted(project["pooled"]["per_intent_f1"].items(), key=lambda kv: kv[1])[:5]
            lines += [
                "**Goal missed.** "
                + (
                    "The project pipeline is not ahead of "
                    + "; ".join(
                        f"{nlu['labels'].get(n, n)} ({_f(b, 3)} against the project's {_f(a, 3)} on the same folds)"
                        for n, (a, b) in pairs.items()
                        if a <= b
                    )
                    + ". "
                    if not ahead
                    else ""
                )
                + "What dominates: the weakest intents are "
                + ", ".join(f"`{k}` ({_f(v, 2)})" for k, v in weakest)
                + "; the confusions above are between intents whose examples overlap (the exercise intents and "
                "the questions they practise, small talk). What would fix it: the data, more than the model — "
                "merge or re-scope the overlapping intents, relabel examples that name two topics, add varied "
                "examples to the weakest intents (see [nlu-evaluation.md](nlu-evaluation.md)).",
                "",
            ]


def _latency(latency: Optional[dict], stem: str, lines: List[str], goals: List[list]) -> None:
    lines.append(SECTIONS[1])
    if not latency:
        lines += ["", "Not measured in this run (section left out).", ""]
        return
    n = str(latency["users"])
    lines += [
        "",
        "Through Rasa's REST channel (`/webhooks/rest/webhook`) with the action server running, "
        "on loopback, a fresh sandbox database and the France Services list. Each cell: **median** over "
        "repetitions (min–max); ms. Errors: non-200, timeouts, empty replies; "
        "« unexpected »: an answer without its marker text.",
        "",
        "| scenario | users | requests | p50 | p95 | p99 | max | errors | unexpected | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for scenario, entry in latency["scenarios"].items():
        for users, e in entry.items():
            lines.append(
                f"| {latency['labels'].get(scenario, scenario)} | {users} | {e['requests']} | {_ms(e['p50'])} | "
                f"{_ms(e['p95'])} | {_ms(e['p99'])} | {_ms(e['max'])} | {e['errors']} | {e['unexpected']} | {_load(e)} |"
            )
    lines += ["", f"![latency]({stem}-latency.png)", ""]
    worst = max(latency["scenarios"].items(), key=lambda kv: kv[1]["1"]["p95"]["median"])
    p95 = worst[1]["1"]["p95"]["median"]
    goals.append(
        [
            "latency p95 at 1 user (worst scenario: " + worst[0] + ")",
            _f(p95, 0, " ms"),
            "≤ 100 ms",
            _met(p95 <= GOALS["latency_p95_ms"]),
        ]
    )
    errors = sum(e["errors"] for entry in latency["scenarios"].values() for e in entry.values())
    goals.append([f"latency errors (all scenarios, 1 and {n} users)", str(errors), "0", _met(errors == 0)])
    profile = latency.get("profile")
    if profile:
        lines += [
            "What a webhook call is made of (1 user, median of the profile rounds, ms): "
            "`/model/parse` (the whole NLU pipeline: tokenizer, featurizers, CRF, linear intent model, "
            "guards, over HTTP), the custom actions of that turn called again directly on the action server, "
            "and the rest (dialogue policies predicting each next action, tracker handling, the hop to the "
            "action server and back).",
            "",
            "| scenario | full webhook | NLU parse | action server | rest: policies + hops "
            "| one policy run (`/predict`) × actions predicted |",
            "|---|---|---|---|---|---|",
        ]
        for scenario, row in profile.items():
            lines.append(
                f"| {scenario} | {_f(row['webhook_ms'], 1)} | {_f(row['parse_ms'], 1)} | "
                f"{_f(row['action_ms'], 1)} "
                f"({', '.join(row['actions']) or 'none'}) | {_f(row['rest_ms'], 1)} | "
                + (f"{_f(row['policy_ms'], 1)} × {row.get('bot_actions')}" if row.get("policy_ms") else "–")
                + " |"
            )
        lines.append("")
    elif latency.get("profile_error"):
        lines += [f"Profile not measured: {latency['profile_error']}", ""]
    if p95 > GOALS["latency_p95_ms"] and profile:
        row = profile[worst[0]]
        lines += [
            f"**Goal missed** for « {worst[0]} ». What dominates: of a {_f(row['webhook_ms'], 0)} ms call, "
            f"NLU takes {_f(row['parse_ms'], 0)} ms, the action server "
            f"{_f(row['action_ms'], 0)} ms, and the rest — the policies run once per predicted action "
            f"(a form turn predicts several) and each custom action is an HTTP hop — "
            f"{_f(row['rest_ms'], 0)} ms. What would fix it: "
            + (
                "fewer policy runs per turn (rules that end the turn in one action; TEDPolicy is already "
                "out) and a machine with no other load; the NLU and the action code are not the bottleneck."
                if row["rest_ms"] >= row["parse_ms"] + row["action_ms"]
                else "a lighter NLU pipeline (the parse dominates: fewer featurizers, guards) or a "
                "faster action (the action server's share above), and a machine with no other load."
            ),
            "",
        ]


def _throughput(throughput: Optional[dict], stem: str, lines: List[str], goals: List[list]) -> None:
    lines.append(SECTIONS[2])
    if not throughput:
        lines += ["", "Not measured in this run (section left out).", ""]
        return
    lines += [
        "",
        f"Bounded loops of a {len(throughput['conversation'])}-turn conversation ("
        + " → ".join(f"« {t} »" for t in throughput["conversation"])
        + f"), each concurrent conversation with a fresh sender, for {_f(throughput['duration'], 0)} s per "
        "level and repetition; the client (aiohttp) runs on the same 2 cores. **Median** (min–max) over "
        "repetitions.",
        "",
        "CPU per message: ms of CPU time (user + system, from /proc) each server used during the level, "
        "divided by the messages answered — the figure least disturbed by other jobs on the machine "
        "(a message costs the same CPU whether or not it waited for a core).",
        "",
        "| set-up | concurrent conversations | msg/s | p50 ms | p95 ms | p99 ms | Rasa server CPU ms/msg "
        "| action server CPU ms/msg | messages | errors | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for users, e in throughput["levels"].items():
        cpu = e.get("cpu_ms_per_msg") or {}
        lines.append(
            f"| one Rasa server + one action server | {users} | {_ms(e['msg_per_s'], 1)} | {_ms(e['p50'])} | "
            f"{_ms(e['p95'])} | {_ms(e.get('p99'))} | {_ms(cpu.get('Rasa server'), 1)} | "
            f"{_ms(cpu.get('action server'), 1)} | {e['messages']} | {e['errors']} | {_load(e)} |"
        )
    prod = throughput.get("production")
    if prod:
        where = prod.get("via") or f"{len(prod['urls'])} URLs ({', '.join(prod['urls'])})"
        for label, levels in (
            (f"production: {where}, each user keeping nginx's route cookie (as a browser)", prod["levels"]),
            (f"production: {where}, no cookie kept (each message to either server)", prod.get("without_cookie") or {}),
        ):
            for users, e in levels.items():
                cpu = e.get("cpu_ms_per_msg") or {}  # all Rasa servers together, all action servers together
                lines.append(
                    f"| {label} | {users} | "
                    f"{_ms(e['msg_per_s'], 1)} | – | {_ms(e['p95'])} | {_ms(e.get('p99'))} | "
                    f"{_ms(cpu.get('Rasa server'), 1)} | {_ms(cpu.get('action server'), 1)} | – | "
                    f"{e['errors']} | {_load(e)} |"
                )
    else:
        lines.append(
            "| two Rasa servers (production mode) | – | not measured: production mode not available "
            "(scripts/prod/install.sh, or set `BENCH_RASA_URLS` to its Rasa URLs) | | | | | | | | |"
        )
    lines += ["", f"![throughput]({stem}-throughput.png)", ""]
    if prod and prod.get("memory"):
        lines += [
            "Resident memory of the production stack after its load (MiB): "
            + ", ".join(f"{name} {mib:.0f}" for name, mib in sorted(prod["memory"].items()))
            + ".",
            "",
        ]
    best = max(e["msg_per_s"]["median"] for e in throughput["levels"].values())
    errors = sum(e["errors"] for e in throughput["levels"].values())
    goals.append(
        [
            "throughput, one Rasa server (best level)",
            _f(best, 1, " msg/s"),
            f"≥ {GOALS['throughput']:.0f} msg/s, zero errors",
            _met(best >= GOALS["throughput"] and errors == 0),
        ]
    )
    if prod:
        prod_best = max(e["msg_per_s"]["median"] for e in prod["levels"].values())
        prod_errors = sum(e["errors"] for e in prod["levels"].values())
        goals.append(
            [
                "throughput, production layout (best level; each user keeps nginx's route cookie)",
                _f(prod_best, 1, " msg/s"),
                f"≥ {GOALS['throughput_prod']:.0f} msg/s, zero errors",
                _met(prod_best >= GOALS["throughput_prod"] and prod_errors == 0),
            ]
        )
    at20 = throughput["levels"].get("20")
    if at20 and at20.get("p99"):
        goals.append(
            [
                "throughput at 20 concurrent conversations: p95 / p99",
                f"{_f(at20['p95']['median'], 0)} / {_f(at20['p99']['median'], 0)} ms",
                "≤ 500 / ≤ 1 000 ms",
                _met(at20["p95"]["median"] <= GOALS["p95_20_ms"] and at20["p99"]["median"] <= GOALS["p99_20_ms"]),
            ]
        )
    cpu = {u: (e.get("cpu_ms_per_msg") or {}).get("Rasa server") for u, e in throughput["levels"].items()}
    if any(cpu.values()):
        goals.append(
            [
                "Rasa server CPU per message (throughput levels, median)",
                " / ".join(f"{_f(v['median'], 1)} ms at {u}" for u, v in cpu.items() if v),
                "reported",
                "–",
            ]
        )
    if best < GOALS["throughput"]:
        lines += [
            f"**Goal missed**: {_f(best, 1)} msg/s at best. What dominates: one `rasa run` is one Python "
            "process with one event loop, so it uses one of the 2 cores; each message costs the NLU "
            "pipeline plus one policy-ensemble run per predicted action (see the latency profile), and the "
            "action server and the load client share the other core. Rising concurrency only lengthens the "
            "queue (p95 grows, msg/s stays flat). What would fix it: several Rasa server processes behind a "
            "load balancer with a shared tracker store (the production set-up), fewer policy runs per turn, "
            "and more cores.",
            "",
        ]
    if prod and prod_best < GOALS["throughput_prod"]:
        one = [v["median"] for v in cpu.values() if v]
        both = [
            ((e.get("cpu_ms_per_msg") or {}).get("Rasa server") or {}).get("median") for e in prod["levels"].values()
        ]
        both = [v for v in both if v]
        lines += [
            f"**Goal missed** (production layout): {_f(prod_best, 1)} msg/s at best. What dominates: the two "
            "Rasa servers, two action servers, PostgreSQL, Redis, nginx and the load client share the same 2 "
            "cores, and a message costs the Rasa servers "
            + (f"{_f(min(both), 1)}–{_f(max(both), 1)} ms of CPU " if both else "more CPU ")
            + (
                f"(one server with the in-memory tracker store: {_f(min(one), 1)}–{_f(max(one), 1)} ms): "
                if one
                else ""
            )
            + "the stores' round trips (PostgreSQL, Redis) block each Rasa server's event loop, and 8 processes "
            "share 2 cores (`PROFILE_PROD=1 make profile` shows where each server's CPU goes). What would fix it: "
            "more cores (the layout scales out; on 2 cores its processes can only share them).",
            "",
        ]
    if at20 and at20.get("p99") and at20["p95"]["median"] > GOALS["p95_20_ms"]:
        lines += [
            f"**Goal missed** (latency at 20 conversations): p95 {_f(at20['p95']['median'], 0)} ms. What dominates: "
            "each conversation sends its next message as soon as it is answered, so the mean latency is about "
            f"20 ÷ msg/s whatever the order of service ({_f(20000 / at20['msg_per_s']['median'], 0)} ms at "
            f"{_f(at20['msg_per_s']['median'], 1)} msg/s); and the 20 conversations run the same script in step, "
            "so at the script's dearest turns (a form cancelled, a France Services search) all 20 queue behind "
            "turns of that cost: p95 follows the dearest turns' CPU. What would fix it: cheaper turns, or more "
            "Rasa server cores.",
            "",
        ]


def _cost(cost: Optional[dict], memory: Optional[dict], lines: List[str], goals: List[list]) -> None:
    lines.append(SECTIONS[3])
    if not cost:
        lines += ["", "Not measured in this run (section left out).", ""]
        return
    training, ready = cost["training"], cost["ready"]
    cold = training.get("cold")
    lines += ["", "| what | figure |", "|---|---|"]
    if cold:
        lines.append(
            f"| `rasa train --force` cold (NLU + core, nice -n 10) | {_f(cold['seconds'], 0)} s wall, "
            f"{_f(cold.get('cpu_seconds'), 0)} s CPU, peak {_f(cold['peak_mib'], 0)} MiB ({cold['tool']}; "
            f"load average {_f(cold.get('load_average_after'), 1)} when it ended) |"
        )
    else:
        lines.append("| `rasa train --force` cold | not measured in this run (cold_train off) |")
    nc = training["no_change"]
    lines.append(f"| `make train`, nothing changed | {_f(nc['seconds'], 1)} s, peak {_f(nc['peak_mib'], 0)} MiB |")
    lines.append(f"| model size (`models/amelibot.tar.gz`) | {_f(training.get('model_mib'), 1)} MiB |")
    lines.append(f"| `make run` → first REST answer (installed, trained) | {_ms(ready['seconds'], 1)} s |")
    for phase in ready.get("phases", [])[:1]:
        lines.append(
            "| start-up detail (first `make run`) | "
            + ", ".join(
                f"{k} {_f(v, 1)}" + (" s" if k.endswith("up") or k == "first answer" else "") for k, v in phase.items()
            )
            + " |"
        )
    for name, mem in (ready.get("memory") or {}).items():
        lines.append(f"| resident memory after warm-up: {name} (`make run`) | {_f(mem['rss'], 0)} MiB |")
    if memory:
        for name, mem in memory.get("after load", {}).items():
            lines.append(
                f"| resident memory after the load tests: {name} | {_f(mem['rss'], 0)} MiB "
                f"(peak {_f(mem['peak'], 0)} MiB) |"
            )
    lines.append("")
    if cold:
        goals.append(
            [
                "`rasa train` cold",
                _f(cold["seconds"], 0, " s"),
                f"≤ {GOALS['train_s']:.0f} s",
                _met(cold["seconds"] <= GOALS["train_s"]),
            ]
        )
    goals.append(
        [
            "`make run` → first answer",
            _f(ready["seconds"]["median"], 1, " s"),
            "≤ 20 s",
            _met(ready["seconds"]["median"] <= GOALS["ready_s"]),
        ]
    )
    if cold and cold.get("components"):
        parts = sorted(cold["components"].items(), key=lambda kv: -kv[1])
        lines += [
            "Cold training per component, wall time (from the `rasa train` log): "
            + ", ".join(f"{k} {_f(v, 0)} s" for k, v in parts[:6] if v >= 1)
            + ".",
            "",
        ]
    if cold and cold["seconds"] > GOALS["train_s"]:
        parts = sorted((cold.get("components") or {}).items(), key=lambda kv: -kv[1])
        top = ", ".join(k for k, _ in parts[:2]) or "the slowest components"
        cores = os.cpu_count() or 1
        cpu = cold.get("cpu_seconds")
        if not cpu:
            cpu_note = ""
        elif cpu / cores > GOALS["train_s"]:
            cpu_note = (
                f" Its CPU time is {_f(cpu, 0)} s, more than {cores} cores can do in {GOALS['train_s']:.0f} s: "
                "the goal is missed even on an idle machine."
            )
        elif cpu > cold["seconds"]:
            cpu_note = (
                f" Its CPU time is {_f(cpu, 0)} s: the training already used both cores, so only less "
                "work reaches the goal."
            )
        else:
            cpu_note = (
                f" Its CPU time is {_f(cpu, 0)} s: on an idle machine with its {cores} cores free it could "
                "come near the goal, the rest of the wall time is waiting for the CPU."
            )
        lines += [
            f"**Goal missed**: {_f(cold['seconds'], 0)} s.{cpu_note} What dominates: {top}. What would fix it: "
            "`rasa train` only for the part that changed (`rasa train nlu` / `core`, which the fingerprint of "
            "`make train` could choose), and a machine with no other load.",
            "",
        ]
    if ready["seconds"]["median"] > GOALS["ready_s"]:
        phase = (ready.get("phases") or [{}])[0]
        lines += [
            f"**Goal missed**: {_f(ready['seconds']['median'], 1)} s to the first answer. What dominates: "
            "starting the Rasa server"
            + (
                f" ({_f(phase['Rasa server CPU s'], 0)} s of CPU: TensorFlow import, model unpacking and "
                "loading, the first prediction)"
                if phase.get("Rasa server CPU s")
                else " (TensorFlow import, model unpacking and loading)"
            )
            + f"; the `make` checks take {_f(nc['seconds'], 1)} s (the no-change `make train` above)"
            + (
                f" and the action server is up after {_f(phase['action server up'], 1)} s"
                if phase.get("action server up")
                else ""
            )
            + ". What would fix it: a pre-unpacked model, fewer graph components to build, and the servers "
            "kept running (`make run` once, then talk): the start-up is paid once.",
            "",
        ]


def _sandbox(sandbox: Optional[dict], lines: List[str], goals: List[list]) -> None:
    """A learner's own world (issue 14): how long making one takes on SQLite."""
    if not sandbox:
        return
    ms = sandbox["world_creation_ms"]
    lines += [
        f"Sandbox: making a learner's world (six demo dossiers, one account) on SQLite takes "
        f"{_f(ms['median'], 1)} ms (median of {sandbox['worlds']}; spread {_f(ms.get('min'), 1)}–"
        f"{_f(ms.get('max'), 1)} ms).",
        "",
    ]
    goals.append(["sandbox world creation (SQLite)", _f(ms["median"], 1, " ms"), "< 50 ms", _met(ms["median"] < 50)])


def write(settings: Settings) -> Path:
    out = settings.out_path
    out.parent.mkdir(parents=True, exist_ok=True)
    stem = out.stem
    meta = load_result(settings, "meta") or {}
    nlu, latency = load_result(settings, "nlu"), load_result(settings, "latency")
    throughput, cost = load_result(settings, "throughput"), load_result(settings, "cost")
    memory = (throughput or {}).get("memory") or load_result(settings, "memory")
    if nlu and "project" in nlu["pipelines"]:
        chart_per_intent(nlu, out.parent / f"{stem}-nlu-per-intent.png")
        if nlu.get("project_predictions"):
            chart_confusion(nlu["project_predictions"], out.parent / f"{stem}-nlu-confusion.png")
    if latency:
        chart_latency(latency, out.parent / f"{stem}-latency.png")
    if throughput:
        chart_throughput(throughput, out.parent / f"{stem}-throughput.png")
    machine = meta.get("machine", {})
    s = meta.get("settings", {})
    body: List[str] = []
    goals: List[list] = []
    _nlu(nlu, out, stem, body, goals)
    _latency(latency, stem, body, goals)
    _throughput(throughput, stem, body, goals)
    _cost(cost, memory, body, goals)
    _sandbox(load_result(settings, "sandbox"), body, goals)
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(os.environ.items()) if k.startswith("BENCH_"))
    head = [
        f"# Benchmarks ({machine.get('date', '?')})",
        "",
        f"Command: `{(env + ' ') if env else ''}"
        + (
            ".venv/bin/python -m bench " + " ".join(meta["argv"])
            if meta.get("argv")
            else meta.get("command", "make bench")
        )
        + "`"
        f" — the whole run took {_f((meta.get('seconds') or 0) / 60, 1)} min.",
        "",
        *(
            [
                (
                    "This report joins runs of parts of the bench: "
                    + "; ".join(
                        f"`{'.venv/bin/python -m bench ' + ' '.join(r['argv']) if r.get('argv') else r.get('command')}` "
                        f"({r.get('sections')}, {r.get('date')}, "
                        f"{_f((r.get('seconds') or 0) / 60, 1)} min)"
                        for r in meta.get("runs", [])
                    )
                    + "."
                ),
                "",
            ]
            if len(meta.get("runs", [])) > 1
            else []
        ),
        f"Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, {machine.get('memory', '?')} RAM, "
        f"{machine.get('os', '?')}; Python {machine.get('python', '?')}, Rasa {machine.get('rasa', '?')}; "
        f"git {machine.get('git', '?')}; load average at start {machine.get('load_at_start', '?')} "
        "(the machine is shared: other jobs ran at the same time, hence medians over repetitions and "
        "their spread).",
        "",
        f"Settings: {s.get('folds')} folds, {s.get('repeats')} repetitions, latency {s.get('latency_requests')} "
        f"requests at 1 user and {s.get('latency_per_user')} per user at {s.get('latency_users')} users, "
        f"throughput levels {s.get('levels')} for {s.get('duration')} s each"
        + (" — **smoke run: tiny settings, figures not meaningful**" if s.get("smoke") else "")
        + ". "
        "Settings are env vars `BENCH_*` or flags (`bench/settings.py`); raw results: `var/bench/*.json`.",
        "",
        "## Goals",
        "",
        "| measure | figure | goal | |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in goals],
        "",
    ]
    notes = settings.work_path / "notes.md"  # hand-written remarks on a particular run, if any
    if notes.is_file():
        body += ["## Notes on this run", "", notes.read_text().strip(), ""]
    kept = ""
    if out.is_file() and KEEP_MARKER in out.read_text():
        kept = "\n" + KEEP_MARKER + out.read_text().split(KEEP_MARKER, 1)[1].rstrip() + "\n"
    out.write_text("\n".join(head + body).rstrip() + "\n" + kept)
    return out
