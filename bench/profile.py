"""`make profile`: where a loaded Rasa server spends its CPU (py-spy), written under var/profile/.

    .venv/bin/python -m bench.profile [--users=10] [--seconds=25] [--rate=100] [--out=var/profile] [--prod]

Starts the Rasa server and the action server the way the bench does (bench/servers.py) — or, with
`--prod` (PROFILE_PROD=1), the production layout of `make run-prod` on free ports (nginx in front of
2 Rasa servers sharing the PostgreSQL tracker store and the Redis lock store, 2 action servers; the
samples of both Rasa servers are added up, and every process's CPU is read, PostgreSQL's backends
and the whole machine included) —, warms them up, then drives the bench's throughput scenario (bench/load.py: `users` concurrent 9-turn
conversations for `seconds`) while `py-spy record` samples both servers. Writes:
- rasa.svg, actions.svg: flame graphs (wider = more samples; hover a frame for its share);
- rasa.collapsed, actions.collapsed: the raw samples (one stack per line, `frame;frame;... count`);
- profile.md: msg/s, p95/p99, CPU ms per message of each server, the load average, and the top
  functions of the Rasa server by inclusive and by own (self) samples; profile.json: the same.

py-spy attaches to the running process (`--pid`, root in this container; elsewhere it may need
`sudo` or `kernel.yama.ptrace_scope=0`) and samples without pausing it (`--nonblocking`: far
less overhead on a busy server; a few stacks may be torn). Idle samples are left out (no
`--idle`), so shares are of the time the server's threads were running Python, on a core.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import signal
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Tuple

from bench.load import CONVERSATION, SCENARIOS, conversations, latency_once
from bench.servers import bot, locator_env
from bench.settings import BIN, ROOT, log

Stacks = List[Tuple[List[str], int]]


def read_collapsed(path: Path) -> Stacks:
    """py-spy's raw format: `frame;frame;...;leaf count` per line (root first)."""
    stacks: Stacks = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    return stacks


def _name(frame: str) -> str:
    """`process (rasa/nlu/classifiers/diet_classifier.py)` -> shorter file path, same function."""
    function, _, where = frame.partition(" (")
    where = where.rstrip(")")
    for marker in ("site-packages/", "/work/", "lib/python3.10/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{function} ({where})" if where else function


# A leaf frame where a thread waits (py-spy's --nonblocking cannot always tell idle threads apart):
# the event loop in its selector, a thread pool's idle worker, a lock or a queue.
IDLE_LEAVES = (
    "serve (sanic/server/runners.py",
    "_worker (concurrent/futures/thread.py",
    "wait (threading.py",
    "select (selectors.py",
    "_bootstrap_inner (threading.py",
    "get (queue.py",
)

# Where a Rasa server's CPU goes, for the summary table: (label, frame prefix or prefixes). Inclusive shares
# (an indented line is part of the line above it).
CATEGORIES = (
    ("understanding the message (NLU graph)", "_parse_message_with_graph (rasa/core/processor.py"),
    ("  LinearIntentClassifier (TF-IDF linear SVM)", "process (nlu_components/linear_intents.py"),
    ("  CRFEntityExtractor", "process (rasa/nlu/extractors/crf_entity_extractor.py"),
    ("  LexicalSyntacticFeaturizer", "process (rasa/nlu/featurizers/sparse_featurizer/lexical_syntactic_featurizer.py"),
    ("  RegexFeaturizer", "process (rasa/nlu/featurizers/sparse_featurizer/regex_featurizer.py"),
    ("predicting the next actions (policy graph, each run)", "_predict_next_with_tracker (rasa/core/processor.py"),
    ("  RulePolicy", "predict_action_probabilities (rasa/core/policies/rule_policy.py"),
    ("  MemoizationPolicy", "predict_action_probabilities (rasa/core/policies/memoization.py"),
    ("  tracker states (featurizer)", "prediction_states (rasa/core/featurizers/tracker_featurizers.py"),
    ("running actions (`_run_action`, incl. action server calls)", "_run_action (rasa/core/processor.py"),
    ("  checking the action server's reply", ("_validate_action_result", "validate_action_result (server_ext")),
    ("tracker store: retrieve", "retrieve (rasa/core/tracker_store.py"),
    ("tracker store: save", "save_tracker (rasa/core/processor.py"),
    ("JSON encoding (anywhere)", "dumps (json/__init__.py"),
    ("JSON decoding (anywhere)", "loads (json/__init__.py"),
    ("logging (anywhere)", "_log (logging/__init__.py"),
)


def is_idle(frames: List[str]) -> bool:
    return bool(frames) and _name(frames[-1]).startswith(IDLE_LEAVES)


def categories(stacks: Stacks) -> List[Tuple[str, int, float]]:
    """CATEGORIES' inclusive samples and shares of the busy samples (idle ones left out)."""
    busy = [(frames, count) for frames, count in stacks if not is_idle(frames)]
    total = sum(c for _, c in busy) or 1
    rows = []
    for label, prefix in CATEGORIES:
        count = sum(c for frames, c in busy if any(_name(f).startswith(prefix) for f in frames))
        rows.append((label, count, 100.0 * count / total))
    return rows


def top(stacks: Stacks, n: int = 25) -> Dict[str, List[Tuple[str, int, float]]]:
    """The functions with the most samples: inclusive (on the stack) and self (the leaf)."""
    stacks = [(frames, count) for frames, count in stacks if not is_idle(frames)]
    total = sum(c for _, c in stacks) or 1
    inclusive: Counter = Counter()
    own: Counter = Counter()
    for frames, count in stacks:
        names = [_name(f) for f in frames if not f.startswith(("process ", "thread "))]  # py-spy's root labels
        for name in set(names):
            inclusive[name] += count
        if names:
            own[names[-1]] += count
    return {
        kind: [(name, c, 100.0 * c / total) for name, c in counter.most_common(n)]
        for kind, counter in (("inclusive", inclusive), ("self", own))
    }


def flamegraph(stacks: Stacks, path: Path, title: str, width: int = 1800, row: int = 16) -> None:
    """A plain SVG flame graph (root at the bottom); each frame's tooltip gives its samples and share."""
    tree: Dict = {"children": {}, "count": 0}
    for frames, count in stacks:
        node = tree
        node["count"] += count
        for frame in frames:
            node = node["children"].setdefault(_name(frame), {"children": {}, "count": 0})
            node["count"] += count
    total = tree["count"] or 1

    def depth(node) -> int:
        return 1 + max((depth(c) for c in node["children"].values()), default=0)

    height = (depth(tree) + 2) * row
    rects: List[str] = []

    def draw(node, name: str, x: float, level: int) -> None:
        w = width * node["count"] / total
        if w < 0.3:
            return
        y = height - (level + 1) * row
        hue = 10 + (hash(name.split(" (")[0]) % 50)
        label = html.escape(name)
        share = 100.0 * node["count"] / total
        text = html.escape(name[: int(w / 7)]) if w > 35 else ""
        rects.append(
            f"<g><title>{label} — {node['count']} samples, {share:.1f} %</title>"
            f'<rect x="{x:.1f}" y="{y}" width="{max(w - 0.5, 0.1):.1f}" height="{row - 1}" '
            f'fill="hsl({hue},80%,60%)"/>'
            + (f'<text x="{x + 3:.1f}" y="{y + row - 4}">{text}</text>' if text else "")
            + "</g>"
        )
        for child_name, child in sorted(node["children"].items()):
            draw(child, child_name, x, level + 1)
            x += width * child["count"] / total

    draw(tree, f"all ({total} samples)", 0.0, 0)
    path.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + row}" '
        f'font-family="monospace" font-size="11">'
        f'<text x="4" y="{row - 3}" font-size="13">{html.escape(title)}</text>' + "".join(rects) + "</svg>\n"
    )


def _pyspy(pid: int, rate: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "py-spy"),
            "record",
            "--pid",
            str(pid),
            "--rate",
            str(rate),
            "--format",
            "raw",
            "--function",
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
    try:
        output, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
    return output or ""


def _machine_cpu_seconds() -> float:
    """CPU time used so far by the whole machine, every process (user, nice, system, irq, softirq)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return sum(int(fields[i]) for i in (0, 1, 2, 5, 6)) / os.sysconf("SC_CLK_TCK")


def _table(rows: Iterable[Tuple[str, int, float]]) -> List[str]:
    return [
        "| function (file) | samples | share |",
        "|---|---|---|",
        *[f"| `{name}` | {count} | {share:.1f} % |" for name, count, share in rows],
    ]


@contextlib.contextmanager
def _layout(prod: bool, tmp: Path) -> Iterator[Tuple[List[str], Dict[str, List[int]], Dict[str, int]]]:
    """The servers to load and watch: (urls to send to, pids to sample by role, pids whose CPU to read).

    prod=False: one Rasa server and one action server (bench/servers.py). prod=True: the production
    layout (scripts/prod/stack.py: nginx in front of 2 Rasa servers, PostgreSQL tracker store, Redis
    lock store, 2 action servers), whose every process's CPU is read, PostgreSQL's backends included."""
    if not prod:
        with bot(tmp) as server:
            yield (
                [server.url],
                {"rasa": [server.pids["Rasa server"]], "actions": [server.pids["action server"]]},
                dict(server.pids),
            )
        return
    from scripts.prod import stack as prod_stack

    os.chmod(tmp, 0o755)  # the postgres user must reach its data directory
    with prod_stack.Stack(tmp, prod_stack.Ports.free(), extra_env=locator_env(tmp), quiet=True) as the_stack:
        pids = {n: s.proc.pid for n, s in the_stack.services.items() if s.proc is not None}
        pids["postgres"] = the_stack.postgres_pid() or 0
        spied = {
            "rasa": [pids[n] for n in the_stack.rasa_names()],
            "actions": [pids[n] for n in the_stack.action_names()],
        }
        yield [the_stack.nginx_url], spied, {n: p for n, p in pids.items() if p}


def run(users: int, seconds: float, rate: int, out: Path, top_n: int, prod: bool = False) -> Dict[str, object]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        with _layout(prod, Path(tmp)) as (urls, spied, watched):
            log(f"servers up: {', '.join(urls)}; warm-up")
            asyncio.run(conversations(urls, 1, 0.1))
            for scenario in SCENARIOS:
                asyncio.run(latency_once(urls[0], scenario, 1, 2))
            spies = {
                f"{role}-{i}": _pyspy(pid, rate, out / f"{role}-{i}.collapsed")
                for role, role_pids in spied.items()
                for i, pid in enumerate(role_pids)
            }
            time.sleep(1.0)  # py-spy attached
            load_before = os.getloadavg()
            machine_before = _machine_cpu_seconds()
            log(f"load: {users} conversations for {seconds:.0f} s, py-spy at {rate} Hz on {', '.join(spies)}")
            result = asyncio.run(conversations(urls, users, seconds, watched, browsers=prod))
            machine = _machine_cpu_seconds() - machine_before
            messages = {name: _stop(proc).strip().splitlines()[-2:] for name, proc in spies.items()}
    for role, role_pids in spied.items():  # one file per role: the servers of a role run the same code
        with open(out / f"{role}.collapsed", "w") as merged:
            for i in range(len(role_pids)):
                part = out / f"{role}-{i}.collapsed"
                if part.is_file():
                    merged.write(part.read_text())
                    part.unlink()
    layout = "production layout (nginx, 2 Rasa servers, PostgreSQL, Redis)" if prod else "one Rasa server"
    result["cpu_ms_per_msg"]["whole machine"] = machine * 1000 / max(result["messages"], 1)
    summary: Dict[str, object] = {
        "layout": layout,
        "users": users,
        "seconds": seconds,
        "rate": rate,
        "conversation": CONVERSATION,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        **{k: result[k] for k in ("messages", "msg_per_s", "p50", "p95", "p99", "errors", "cpu_ms_per_msg")},
        "py-spy": messages,
        "top": {},
    }
    lines = [
        f"# Profile of the Rasa server under the bench's throughput load, {layout} ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"`make profile`: {users} concurrent conversations of the bench's {len(CONVERSATION)}-turn script "
        f"for {seconds:.0f} s, py-spy at {rate} Hz (`--nonblocking`).",
        "",
        f"- {result['messages']} messages, {result['msg_per_s']:.1f} msg/s, p50 {result['p50']:.0f} ms, "
        f"p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, errors {result['errors']}",
        "- CPU per message: " + ", ".join(f"{k} {v:.1f} ms" for k, v in result["cpu_ms_per_msg"].items()),
        f"- load average before {' '.join(f'{x:.2f}' for x in load_before)}, after "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared machine)",
        "",
    ]
    for name in ("rasa", "actions"):
        path = out / f"{name}.collapsed"
        if not path.stat().st_size:
            lines += [
                f"{name}: no samples ({'; '.join(' '.join(m) for k, m in messages.items() if k.startswith(name))})",
                "",
            ]
            continue
        stacks = read_collapsed(path)
        label = "Rasa server" if name == "rasa" else "action server"
        flamegraph(stacks, out / f"{name}.svg", f"{label}: {users} conversations, {seconds:.0f} s, {rate} Hz")
        tops = top(stacks, 4 * top_n)
        samples = sum(c for _, c in stacks)
        idle = sum(c for frames, c in stacks if is_idle(frames))
        # the frames every request goes through (server, dask, graph node) say nothing: leave out > 60 %
        inclusive = [row for row in tops["inclusive"] if row[2] <= 60.0][: top_n if name == "rasa" else 10]
        summary["top"][name] = {"inclusive": inclusive, "self": tops["self"][:top_n], "samples": samples, "idle": idle}
        lines += [
            f"## {label}: {samples} samples, {idle} of them idle ({name}.svg)",
            "",
            "Shares are of the busy samples (idle ones left out).",
            "",
        ]
        if name == "rasa":
            summary["categories"] = categories(stacks)
            lines += [
                "Where the time goes:",
                "",
                "| part of a turn | samples | share |",
                "|---|---|---|",
                *[f"| {label_} | {count} | {share:.1f} % |" for label_, count, share in summary["categories"]],
                "",
            ]
        lines += [
            "Inclusive (the function and what it calls; frames above 60 % left out):",
            "",
            *_table(inclusive),
            "",
            "Self (the function's own code):",
            "",
            *_table(tops["self"][: top_n if name == "rasa" else 10]),
            "",
        ]
    (out / "profile.md").write_text("\n".join(lines) + "\n")
    (out / "profile.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False, default=str))
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("PROFILE_USERS", 10)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("PROFILE_SECONDS", 25)))
    parser.add_argument("--rate", type=int, default=int(os.environ.get("PROFILE_RATE", 100)))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", default=os.environ.get("PROFILE_OUT", "var/profile"))
    parser.add_argument(
        "--prod",
        action="store_true",
        default=os.environ.get("PROFILE_PROD") == "1",
        help="the production layout (make run-prod's stack on free ports) instead of one Rasa server",
    )
    args = parser.parse_args(argv)
    out = (ROOT / args.out) if not os.path.isabs(args.out) else Path(args.out)
    summary = run(args.users, args.seconds, args.rate, out, args.top, args.prod)
    log(
        f"{summary['msg_per_s']:.1f} msg/s, CPU per message "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in summary["cpu_ms_per_msg"].items())
        + f"; written: {out}/profile.md, rasa.svg, actions.svg"
    )
    print((out / "profile.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
