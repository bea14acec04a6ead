#!/usr/bin/env python3
"""Surrogate benchmark of issue 15: on embedded models whose networks are wide (the JANOS enrollment
network and the WFP palatability network trained as 2x256 and 3x512 on the fixtures' seeded data), the
dense MILP (`nnmip solve --model`) against the surrogate search (`--surrogate prune=...`, with and
without `--finish-dense`), each given the same time limit. Run it through
benchmarks/embedding_surrogate.sh, which makes the venv and builds nnmip.

  embedding_surrogate.py [--out DIR] [--time-limit S] [--prune 0.9,0.8] [--janos-size N]
                         [--janos 2x256,3x512] [--diet 2x256,3x512] [--checkpoints 10,30,60] [--nnmip PATH]

Every run writes its trace (`solve --trace`: seconds since the command started, source, surrogate
objective, objective of the judged solution with the original networks' outputs) to
DIR/traces/; from it: the time to the first truly feasible solution (a dense solution, or a surrogate's
solution once repaired or polished, judged on the original networks), and the best such objective at
each checkpoint. Prints a Markdown table (also DIR/report.md) and draws DIR/traces.png and
DIR/traces.svg: the best objective over time, dense against surrogate, one panel per instance.
Seconds depend on the machine and its load; it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
import embedding as bench  # noqa: E402  (the instances and the process timing of benchmarks/embedding.py)

REPO = bench.REPO


def configurations(prune: str) -> dict[str, list[str]]:
    """The runs of each instance: their label and the flags they add to `solve --model`."""
    return {"dense": [],
            f"prune={prune}": ["--surrogate", f"prune={prune}"],
            f"prune={prune} --finish-dense": ["--surrogate", f"prune={prune}", "--finish-dense"]}


def read_trace(path: Path) -> list[tuple[float, float]]:
    """(seconds, objective) of every judged solution that holds on the original networks, in order."""
    if not path.exists():
        return []
    with open(path, newline="") as handle:
        return [(float(row["seconds"]), float(row["original_objective"])) for row in csv.DictReader(handle)
                if row["original_objective"] not in ("", "nan")]


def best_until(points: list[tuple[float, float]], seconds: float, maximize: bool) -> float | None:
    values = [v for t, v in points if t <= seconds]
    if not values:
        return None
    return max(values) if maximize else min(values)


def best_curve(points: list[tuple[float, float]], maximize: bool, end: float) -> tuple[list[float], list[float]]:
    """The best objective so far as a step function of time, to `end`."""
    times, values, best = [], [], None
    for t, v in points:
        if best is None or (v > best if maximize else v < best):
            best = v
            times.append(t)
            values.append(v)
    if times:
        times.append(max(end, times[-1]))
        values.append(values[-1])
    return times, values


def measure(nnmip: str, instance: dict, label: str, flags: list[str], time_limit: float, out: Path) -> dict:
    trace = out / "traces" / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', instance['instance'] + ' ' + label)}.csv"
    trace.parent.mkdir(parents=True, exist_ok=True)
    trace.unlink(missing_ok=True)
    command = [nnmip, "solve", "--model", str(instance["model"]), "--networks", str(instance["embed"]),
               "--time-limit", str(time_limit), "--trace", str(trace), *flags]
    process, wall, megabytes = bench.timed(command, timeout=time_limit * 3 + 600)
    fields = bench.report_fields(process.stdout) if process is not None else {}
    (trace.with_suffix(".log")).write_text((process.stdout + process.stderr) if process is not None else "timeout\n")
    return {"label": label, "status": fields.get("status", "failed"), "objective": fields.get("objective", ""),
            "gap": fields.get("gap", ""), "source": fields.get("source", "dense" if not flags else ""),
            "maximize": fields.get("sense", "").startswith("maximize"), "wall": wall, "mb": megabytes,
            "points": read_trace(trace), "trace": trace}


def number(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def report(results: list[tuple[dict, list[dict]]], checkpoints: list[float], time_limit: float) -> list[str]:
    header = (["instance", "run", "first feasible s"] + [f"best at {c:g} s" for c in checkpoints]
              + ["status", "gap", "wall s", "MB"])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for instance, runs in results:
        for run in runs:
            first = run["points"][0][0] if run["points"] else None
            bests = [number(best_until(run["points"], c, run["maximize"])) for c in checkpoints]
            gap = run["gap"] if run["gap"] not in ("", "-") else "-"
            lines.append("| " + " | ".join([instance["instance"], run["label"], "-" if first is None else f"{first:.2f}",
                                            *bests, run["status"], gap, f"{run['wall']:.1f}", f"{run['mb']:.0f}"]) + " |")
    return lines


def plot(results: list[tuple[dict, list[dict]]], time_limit: float, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columns = 2
    rows = math.ceil(len(results) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(6.4 * columns, 3.8 * rows), squeeze=False)
    for axis, (instance, runs) in zip(axes.flat, results):
        for run, style in zip(runs, ("-", "--", ":")):
            times, values = best_curve(run["points"], run["maximize"], time_limit)
            if times:
                axis.step(times, values, where="post", linestyle=style, linewidth=1.8, label=run["label"])
                axis.plot(times[:1], values[:1], "o", color=axis.lines[-1].get_color())
            else:
                axis.plot([], [], linestyle=style, label=f"{run['label']} (none)")
        sense = "max" if runs and runs[0]["maximize"] else "min"
        axis.set_title(f"{instance['instance']} ({sense}imize)")
        axis.set_xlabel("seconds since the command started")
        axis.set_ylabel("best objective, original networks")
        axis.set_xlim(0, time_limit * 1.02)
        axis.grid(alpha=0.3)
        axis.legend(fontsize="small")
    for axis in list(axes.flat)[len(results):]:
        axis.set_visible(False)
    figure.tight_layout()
    paths = [out / "traces.png", out / "traces.svg"]
    for path in paths:
        figure.savefig(path, dpi=110)
    return paths


def run(args) -> int:
    out = Path(args.out)
    instances = bench.write_instances(out, [args.janos_size] if args.janos else [], args.janos, args.diet, args.epochs)
    print(f"time limit {args.time_limit:g} s; nnmip: {args.nnmip}; surrogate prune={args.prune}", flush=True)
    results = []
    for instance in instances:
        runs = [measure(args.nnmip, instance, label, flags, args.time_limit, out)
                for label, flags in configurations(args.prune).items()]
        results.append((instance, runs))
        print("\n".join(report([(instance, runs)], args.checkpoints, args.time_limit)[2:]), flush=True)
    lines = report(results, args.checkpoints, args.time_limit)
    (out / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    for path in plot(results, args.time_limit, out):
        print(f"wrote {path}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    csv_numbers = lambda text: [float(v) for v in text.split(",") if v]  # noqa: E731
    csv_specs = lambda text: [v for v in text.split(",") if v and bench.hidden_layers(v)]  # noqa: E731
    p = parser
    p.add_argument("--out", default=str(REPO / "bench-out" / "embedding-surrogate"))
    p.add_argument("--time-limit", type=float, default=60.0)
    p.add_argument("--prune", default="0.9,0.8", help="the sparsities of --surrogate prune=...")
    p.add_argument("--janos-size", type=int, default=20, help="applicants (network copies) of the JANOS model")
    p.add_argument("--janos", type=csv_specs, default=["2x256", "3x512"], help="JANOS networks, LxW")
    p.add_argument("--diet", type=csv_specs, default=["2x256", "3x512"], help="diet networks (threshold 0.8), LxW")
    p.add_argument("--checkpoints", type=csv_numbers, default=[10.0, 30.0, 60.0])
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--nnmip", default=str(REPO / ".build" / "release" / "nnmip"))
    args = parser.parse_args()
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
