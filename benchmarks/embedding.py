#!/usr/bin/env python3
"""Benchmark of issue 15: the JANOS enrollment model with n copies of an MLP, solved by PySCIPOpt-ML
+ SCIP (its SOS1 default and its big-M) and by nnmip (`compile --model` and `solve --model`), in the
same run. Run it through benchmarks/embedding.sh, which makes the venv and builds nnmip.

  embedding.py run [--out DIR] [--time-limit S] [--sizes 50,100,500,1000] [--networks 1x10,2x10,3x10]
                   [--nnmip PATH] [--reuse-peers]
      generates every instance (the fixture script's functions: networks trained as the fixtures'
      janos_LxW.onnx, the model written by highspy, embed.json), then measures each side in its own
      process under /usr/bin/time (wall seconds, peak resident memory) and prints a Markdown table;
      results.csv in DIR keeps the figures. --reuse-peers takes the peers' figures from the
      results.csv of an earlier run (same time limit) and measures nnmip only.
  embedding.py table [--out DIR]
      prints the table again from DIR/results.csv, with the issue's targets met or missed.
  embedding.py instances DIR [--sizes ...] [--networks ...] [--diet 2x256,3x512] [--epochs N]
      only writes the instances (the surrogate benchmark's wide networks: --networks 2x256,3x512
      for JANOS, --diet 2x256,3x512 for the palatable diet at threshold 0.8).
  embedding.py peer MODEL EMBED --formulation sos|bigm [--time-limit S] [--sense maximize|minimize]
      one PySCIPOpt-ML + SCIP solve; prints its figures as one JSON line.

A network is written LxW: L hidden layers of W ReLUs.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts" / "fixtures"))
import embedding_common as ec  # noqa: E402  (first: pins the thread pools before numpy loads)
import embedding_diet as diet  # noqa: E402
import embedding_janos as janos  # noqa: E402
import embedding_reference as reference  # noqa: E402

DATA = REPO.parent / "shared" / "realnets" / "embedding"
JANOS_SEED = 0
DIET_THRESHOLD = 0.8  # binding, as the fixtures' diet_t80
NNMIP_MISSING = "n/a (nnmip lacks --model)"
AGREEMENT = 1e-6  # relative difference of two proven optima that still agree


def hidden_layers(spec: str) -> tuple[int, ...]:
    match = re.fullmatch(r"(\d+)x(\d+)", spec)
    if not match:
        raise argparse.ArgumentTypeError(f"network {spec!r} is not LxW (L hidden layers of W units)")
    return (int(match.group(2)),) * int(match.group(1))


def write_instances(out: Path, sizes: list[int], networks: list[str], diet_networks: list[str],
                    epochs: int) -> list[dict]:
    """Every JANOS instance (n, network) and diet instance; networks already in `out` are reused."""
    out.mkdir(parents=True, exist_ok=True)
    instances = []
    if sizes and networks:
        training = janos.load_training(DATA)
        for spec in networks:
            onnx_path = out / f"janos_{spec}.onnx"
            if not onnx_path.exists():
                mlp = ec.train_mlp(training.features, training.enroll, hidden_layers(spec), janos.TRAINING_SEED,
                                   max_iter=epochs)
                ec.export_onnx(mlp, onnx_path, training.features[:1000])
        for n in sizes:
            model = out / f"janos_n{n}.mps"
            janos.write_model_highspy(model, n)
            applicants = janos.load_applicants(DATA, training, n, JANOS_SEED)
            for spec in networks:
                embed = out / f"janos_n{n}_{spec}.embed.json"
                ec.write_embed_json(embed, janos.networks(applicants, f"janos_{spec}.onnx"))
                instances.append({"instance": f"janos n={n} {spec}", "n": n, "network": spec,
                                  "model": model, "embed": embed})
    if diet_networks:
        foods = diet.load(DATA)
        foods.threshold = DIET_THRESHOLD
        model = out / "diet_t80.mps"
        columns, palatability = diet.write_model_pyomo(model, foods)
        for spec in diet_networks:
            onnx_path = out / f"diet_{spec}.onnx"
            if not onnx_path.exists():
                mlp = ec.train_mlp(foods.baskets, foods.palatability, hidden_layers(spec), diet.SEED, max_iter=epochs)
                ec.export_onnx(mlp, onnx_path, foods.baskets[:1000])
            embed = out / f"diet_t80_{spec}.embed.json"
            ec.write_embed_json(embed, diet.networks(columns, palatability, onnx_path.name))
            instances.append({"instance": f"diet {spec}", "n": 1, "network": spec, "model": model, "embed": embed})
    return instances


def timed(command: list[str], timeout: float) -> tuple[subprocess.CompletedProcess | None, float, float]:
    """Run under /usr/bin/time: (the process or None on timeout, wall seconds, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        try:
            process = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
                                     capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, timeout, float("nan")
        fields = report.read().split()
    seconds, kilobytes = (float(fields[-2]), float(fields[-1])) if len(fields) >= 2 else (float("nan"),) * 2
    return process, seconds, kilobytes / 1024


def measure_peer(instance: dict, formulation: str, time_limit: float) -> dict:
    command = [sys.executable, __file__, "peer", str(instance["model"]), str(instance["embed"]),
               "--formulation", formulation, "--time-limit", str(time_limit)]
    process, wall, megabytes = timed(command, timeout=time_limit * 3 + 600)
    if process is None or process.returncode != 0:
        reason = "timeout" if process is None else process.stderr.strip().splitlines()[-1:]
        return {"status": f"failed ({reason})", "wall": wall, "mb": megabytes}
    figures = json.loads(process.stdout.strip().splitlines()[-1])
    return {**figures, "wall": wall, "mb": megabytes}


def nnmip_supports_model(nnmip: str) -> bool:
    try:
        help_text = subprocess.run([nnmip, "compile", "--help"], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "--networks" in help_text


def report_fields(text: str) -> dict:
    """'key: value' lines of nnmip's text report."""
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^([a-z_ ]+): (.*)$", text, re.MULTILINE)}


def measure_nnmip(nnmip: str, instance: dict, time_limit: float, work: Path) -> dict:
    """compile --model (wall seconds, peak memory) and solve --model to the proven optimum, with
    --mip-gap 0 as SCIP's default gap limit is 0 (HiGHS's own default stops at 1e-4)."""
    common = ["--model", str(instance["model"]), "--networks", str(instance["embed"])]
    combined = work / "combined.mps"
    process, compile_wall, compile_mb = timed([nnmip, "compile", *common, "-o", str(combined)], timeout=600)
    compiled = process is not None and process.returncode == 0
    process, solve_wall, solve_mb = timed([nnmip, "solve", *common, "--mip-gap", "0", "--time-limit", str(time_limit)],
                                          timeout=time_limit * 3 + 600)
    fields = report_fields(process.stdout) if process is not None else {}
    status = fields.get("status", "failed" if process is None or process.returncode not in (0, 1) else "?")
    combined.unlink(missing_ok=True)
    def number(key: str) -> float | None:  # "-" when there is none
        try:
            return float(fields.get(key, ""))
        except ValueError:
            return None

    return {"compile_s": compile_wall if compiled else float("nan"), "compile_mb": compile_mb,
            "solve_s": solve_wall, "solve_mb": solve_mb, "status": status.split(" (")[0],
            "objective": number("objective"), "gap": number("gap"), "check": fields.get("check", "")}


def nnmip_cells(own: dict) -> str:
    """compile s | compile MB | solve s (or the gap at the limit) | check."""
    if own["status"] == "optimal":
        solved = f"{own['solve_s']:.2f}"
    elif own.get("gap") is not None:
        solved = f"{own['status']}, gap {100 * own['gap']:.2f}%"
    else:
        solved = own["status"]
    return f"{own['compile_s']:.3f} | {own['compile_mb']:.0f} | {solved} | {own.get('check') or '-'}"


def proven(peers: dict) -> list[dict]:
    return [r for r in peers.values() if r.get("status") == "optimal"]


def speedup(own: dict, peers: dict) -> float | None:
    """The fastest proving peer's SCIP solve seconds over nnmip's whole solve process (None unless
    both proved the optimum)."""
    if not proven(peers) or own.get("status") != "optimal":
        return None
    return min(r["solve_seconds"] for r in proven(peers)) / own["solve_s"]


def agreement(own: dict, peers: dict) -> str:
    """objective vs peer | speed-up: nnmip's objective against every peer that proved optimality
    (largest relative difference), and the speed-up."""
    if not proven(peers):
        return "no peer optimum | -"
    if own.get("objective") is None:
        return "nnmip has no objective | -"
    worst = max(abs(own["objective"] - r["objective"]) / max(1.0, abs(r["objective"])) for r in proven(peers))
    agrees = f"{'agrees' if worst <= AGREEMENT else 'DIFFERS'} ({worst:.1e})"
    ratio = speedup(own, peers)
    return f"{agrees} | {'-' if ratio is None else f'{ratio:.2g}x'}"


def peer_cell(result: dict) -> str:
    status = result.get("status", "?")
    if status == "optimal":
        return f"{result['build_seconds']:.2f} | {result['solve_seconds']:.2f} | {result['mb']:.0f}"
    if "gap" in result:
        gap = f"gap {100 * result['gap']:.2f}%" if result.get("objective") is not None else "no incumbent"
        return f"{result['build_seconds']:.2f} | {status}, {gap} | {result['mb']:.0f}"
    return f"- | {status} | -"


HEADER = ("| instance | SOS1 build s | SOS1 solve s (or gap) | SOS1 MB | big-M build s | big-M solve s (or gap) "
          "| big-M MB | nnmip compile s | compile MB | nnmip solve s (or gap) | check | objective vs peer | speed-up |")
FORMULATIONS = ("sos", "bigm")
COMPILE_TARGET = 0.5  # seconds to compile n = 1,000 (issue 15)
SPEEDUP_TARGET = 10.0  # nnmip's time to the optimum below the peer's, where the peer finishes


def table_row(row: dict) -> str:
    peers = {f: row[f] for f in FORMULATIONS}
    own = row["nnmip"]
    own_cells = f"{nnmip_cells(own)} | {agreement(own, peers)}" if own else f"{NNMIP_MISSING} | | | | | "
    return f"| {row['instance']} | {peer_cell(peers['sos'])} | {peer_cell(peers['bigm'])} | {own_cells} |"


def targets(rows: list[dict]) -> list[str]:
    """Issue 15's two targets, met or missed, from the measured rows."""
    lines = []
    largest = [r["nnmip"]["compile_s"] for r in rows if r["n"] == 1000 and r["nnmip"]]
    if largest:
        worst = max(largest)
        lines.append(f"compile of n = 1000: {worst:.3f} s at most (target < {COMPILE_TARGET} s): "
                     f"{'met' if worst < COMPILE_TARGET else 'missed'}")
    ratios = [(r["instance"], speedup(r["nnmip"], {f: r[f] for f in FORMULATIONS})) for r in rows if r["nnmip"]]
    finished = [(name, ratio) for name, ratio in ratios if ratio is not None]
    if finished:
        missed = [f"{name} ({ratio:.2g}x)" for name, ratio in finished if ratio < SPEEDUP_TARGET]
        lines.append(f"time to the optimum >= {SPEEDUP_TARGET:g}x below the peer's where it finishes "
                     f"({len(finished)} instances): " + (f"missed on {', '.join(missed)}" if missed else "met"))
    return lines


def run(args) -> int:
    out = Path(args.out)
    instances = write_instances(out, args.sizes, args.networks, [], args.epochs)
    with_nnmip = nnmip_supports_model(args.nnmip)
    versions = ", ".join(f"{k} {v}" for k, v in reference.solver_versions().items())
    print(f"time limit {args.time_limit:g} s; {versions}; nnmip: {args.nnmip if with_nnmip else NNMIP_MISSING}")
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    earlier = {r["instance"]: r for r in read_results(out / "results.csv")} if args.reuse_peers else {}
    rows = []
    for instance in instances:
        peers = ({f: earlier[instance["instance"]][f] for f in FORMULATIONS} if instance["instance"] in earlier
                 else {f: measure_peer(instance, f, args.time_limit) for f in FORMULATIONS})
        row = {"instance": instance["instance"], "n": instance["n"], "network": instance["network"], **peers,
               "nnmip": measure_nnmip(args.nnmip, instance, args.time_limit, out) if with_nnmip else {}}
        print(table_row(row), flush=True)
        rows.append(row)
        write_results(out / "results.csv", rows)  # after every instance: an interrupted run keeps what it measured
    print("\n".join(targets(rows)))
    return 0


def write_results(path: Path, rows: list[dict]) -> None:
    """One line per instance, each side's figures as <side>_<figure> (sos_, bigm_, nnmip_)."""
    flat = [{"instance": r["instance"], "n": r["n"], "network": r["network"],
             **{f"{side}_{k}": v for side in (*FORMULATIONS, "nnmip") for k, v in r[side].items()}} for r in rows]
    with open(path, "w", newline="") as handle:
        fields = sorted({k for row in flat for k in row}, key=lambda k: (k not in ("instance", "n", "network"), k))
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(flat)


def read_results(path: Path) -> list[dict]:
    """The rows write_results wrote, numbers read back as numbers."""
    def value(text: str):
        if text == "":
            return None
        try:
            return float(text)
        except ValueError:
            return text

    rows = []
    with open(path, newline="") as handle:
        for flat in csv.DictReader(handle):
            row = {"instance": flat["instance"], "n": int(flat["n"]), "network": flat["network"]}
            for side in (*FORMULATIONS, "nnmip"):
                row[side] = {k[len(side) + 1:]: value(v) for k, v in flat.items() if k.startswith(side + "_")
                             and v != ""}
            rows.append(row)
    return rows


def table(args) -> int:
    rows = read_results(Path(args.out) / "results.csv")
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    for row in rows:
        print(table_row(row))
    print("\n".join(targets(rows)))
    return 0


def peer(args) -> int:
    result = reference.solve(Path(args.model), Path(args.embed), formulation=args.formulation,
                             time_limit=args.time_limit, sense=args.sense)
    print(json.dumps({"status": result.status, "objective": result.objective, "dual_bound": result.dual_bound,
                      "gap": result.gap, "build_seconds": result.build_seconds,
                      "solve_seconds": result.solve_seconds, "nodes": result.nodes}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    csv_ints = lambda text: [int(v) for v in text.split(",") if v]  # noqa: E731
    csv_specs = lambda text: [v for v in text.split(",") if v and hidden_layers(v)]  # noqa: E731

    def instance_options(p):
        p.add_argument("--sizes", type=csv_ints, default=[50, 100, 500, 1000])
        p.add_argument("--networks", type=csv_specs, default=["1x10", "2x10", "3x10"])
        p.add_argument("--epochs", type=int, default=200, help="training epochs (the paper's default: 200)")

    p = commands.add_parser("run")
    instance_options(p)
    p.add_argument("--out", default=str(REPO / "bench-out" / "embedding"))
    p.add_argument("--time-limit", type=float, default=60.0)
    p.add_argument("--nnmip", default=str(REPO / ".build" / "release" / "nnmip"))
    p.add_argument("--reuse-peers", action="store_true",
                   help="take the peers' figures from an earlier run's results.csv in --out; measure nnmip only")
    p = commands.add_parser("table")
    p.add_argument("--out", default=str(REPO / "bench-out" / "embedding"))
    p = commands.add_parser("instances")
    p.add_argument("out")
    instance_options(p)
    p.add_argument("--diet", type=csv_specs, default=[])
    p = commands.add_parser("peer")
    p.add_argument("model")
    p.add_argument("embed")
    p.add_argument("--formulation", choices=reference.FORMULATIONS, default="sos")
    p.add_argument("--time-limit", type=float, default=None)
    p.add_argument("--sense", choices=("maximize", "minimize"), default=None)
    args = parser.parse_args()
    if args.command == "instances":
        for instance in write_instances(Path(args.out), args.sizes, args.networks, args.diet, args.epochs):
            print(f"{instance['instance']}\t{instance['model']}\t{instance['embed']}")
        return 0
    return {"run": run, "table": table, "peer": peer}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
