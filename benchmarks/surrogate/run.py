"""Runs the surrogate experiment: how much sooner `nnmip` finds good points when it first searches the MILPs
of pruned surrogates of the network (`--surrogate`) than with the exact dense MILP alone.

Two parts, on the instances that make_networks.sh writes (instances.csv in NETWORKS):

  verification   MNIST MLPs, L1-ball robustness specs. For every chosen instance (by default the first
                 --images K specs of each MNIST network, in instances.csv order) and every config,
                   nnmip verify NET SPEC --timeout T --threads 1 [--no-sampling] [--surrogate ...]
                 The time to the first input adversarial on the original network is the run's reported
                 seconds when the answer is sat (the run stops at the first one); otherwise there is none.
                 Its margin is y[target] - y[true] at that input (instances.csv's columns).
                 Configs, all with --threads 1 but the last: dense (--no-sampling, no --surrogate),
                 METHOD=S (e.g. prune=0.9, prune-random=0.9, prune-neurons=0.5, with --no-sampling),
                 portfolio (--no-sampling --surrogate prune=0.95,0.9,0.8), attack (--attack-only
                 --no-sampling: projected gradient restarts alone for the whole time, the attack a user
                 would try), local (verify as it comes, without --surrogate: the sampled points, local
                 searches and region walks, then the MILP) and portfolio-2cores (verify as it comes with
                 --surrogate prune=0.95,0.9,0.8 and --threads 2, so that the attack runs on the second
                 core beside every stage); the report says for each config on how many instances some
                 other config found an adversarial input and it did not.
  maximization   random ReLU networks, maximize y0 over [0,1]^N (max.json). For every chosen network
                 (by default seed 0 of each architecture) and config,
                   dense:     nnmip solve NET --spec max.json --time-limit L --threads 1 --start sample
                   METHOD=S:  nnmip solve NET --spec max.json --time-limit L --threads 1 --surrogate METHOD=S
                   portfolio: ... --surrogate prune=0.95,0.9,0.8 --finish-dense
                   portfolio-2cores: the portfolio with --threads 2, so that the local searches
                              (LP relaxation, region walks, gradient restarts) run on the second core
                              beside the MILPs
                   gradient, walk, lp-relaxation: that member of the search alone,
                              ... --threads 1 --surrogate prune=0.95,0.9,0.8 --members M
                 each with --trace; from the trace: the best objective on the original network at each
                 of --checkpoints (default 10, 30 and 60 s) and at the end, when the best was first
                 reached, and the run's peak resident memory (wait4's ru_maxrss); the report says at
                 each checkpoint whether each portfolio is at least as good as the best single config.

One nnmip process runs at a time. Raw results are appended to RESULTS/verify.csv and RESULTS/maximize.csv
as each run ends (a rerun skips the runs already there, so an interrupted run resumes; rows whose answer is
"error" are retried), with every run's stderr log in RESULTS/logs/ and every trace in RESULTS/traces/.
At the end it prints Markdown tables (also written to RESULTS/report.md) and draws RESULTS/summary.svg:
dense vs portfolio time to the first adversarial (log axes), and the portfolio's relative objective
difference to dense per random network.

    benchmarks/surrogate/run.sh                        # both parts, defaults (T = 60 s, L = 60 s)
    python3 benchmarks/surrogate/run.py --part verify --images 5 --timeout 120
    python3 benchmarks/surrogate/run.py --part maximize --seeds 0,1,2 --time-limit 60
    python3 benchmarks/surrogate/run.py --verify-configs dense portfolio prune=0.7
    python3 benchmarks/surrogate/run.py --report-only  # tables and plot from the results so far

Seconds are wall-clock seconds of single-threaded HiGHS runs: they depend on the machine and on its load
(the CSVs record the load average at the start of every run and the binary's modification time). The
figures are a measurement, not a test.
"""
import argparse
import csv
import datetime
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = "prune=0.95,0.9,0.8"
VERIFY_CONFIGS = ["attack", "local", "dense", "prune=0.5", "prune=0.8", "prune=0.9", "prune=0.95", "prune-random=0.9",
                  "prune-neurons=0.5", "portfolio", "portfolio-2cores"]
MAX_CONFIGS = ["dense", "prune=0.8", "prune=0.9", "prune-random=0.9", "prune-neurons=0.5", "gradient", "walk", "lp-relaxation",
               "portfolio", "portfolio-2cores"]
LOCAL_MEMBERS = ["gradient", "walk", "lp-relaxation"]    # configs that run one member of the search alone

VERIFY_FIELDS = ["network", "spec", "hidden", "image", "config", "timeout", "answer", "reason", "seconds",
                 "first_adversarial", "margin", "wall", "returncode", "load", "binary_mtime", "finished", "log"]
MAX_FIELDS = ["network", "hidden", "inputs", "seed", "config", "time_limit", "status", "objective", "source",
              "checkpoints", "best_at_checkpoints", "best_end", "time_of_best", "trace_rows", "wall", "peak_mb",
              "returncode", "load", "binary_mtime", "finished", "trace", "log"]
CHECKPOINT_SEP = ";"    # the checkpoints and the best objectives at them share one CSV cell each

FINAL_LINE = re.compile(r"nnmip: verify: (sat|unsat|timeout|unknown|error) \((.*)\) in ([0-9.]+) s\s*$")
REL_TIE = 1e-6      # relative objective differences within this are ties


# ----------------------------------------------------------------------------------------------- helpers

def slug(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")


def verify_args(config):
    if config == "attack":
        return ["--threads", "1", "--attack-only", "--no-sampling"]
    if config == "local":
        return ["--threads", "1"]
    if config == "dense":
        return ["--threads", "1", "--no-sampling"]
    if config == "portfolio":
        return ["--threads", "1", "--no-sampling", "--surrogate", PORTFOLIO]
    if config == "portfolio-2cores":
        return ["--threads", "2", "--surrogate", PORTFOLIO]
    return ["--threads", "1", "--no-sampling", "--surrogate", config]


COUNTEREXAMPLE_OUTPUT = re.compile(r"\(Y_(\d+) ([^\s)]+)\)")


def adversarial_margin(stdout, inst):
    """y[target] - y[true] at the counterexample that verify printed (None without one)."""
    y = {int(k): fnum(v) for k, v in COUNTEREXAMPLE_OUTPUT.findall(stdout)}
    t, c = int(inst["target"]), int(inst["true"])
    if y.get(t) is None or y.get(c) is None:
        return None
    return y[t] - y[c]


def max_args(config):
    if config == "dense":
        return ["--threads", "1", "--start", "sample"]
    if config == "portfolio":
        return ["--threads", "1", "--surrogate", PORTFOLIO, "--finish-dense"]
    if config == "portfolio-2cores":
        return ["--threads", "2", "--surrogate", PORTFOLIO, "--finish-dense"]
    if config in LOCAL_MEMBERS:
        return ["--threads", "1", "--surrogate", PORTFOLIO, "--members", config]
    return ["--threads", "1", "--surrogate", config]


def fnum(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def fmt(value, digits=2):
    return "—" if value is None else f"{value:.{digits}f}"


def fobj(value):
    return "—" if value is None else f"{value:.4g}"


def fpct(value):
    if value is None:
        return "—"
    if abs(value) < 0.0005:
        return "0%"
    return f"{100 * value:+.1f}%"


def rel_diff(value, reference):
    """(value - reference) / |reference|: positive when value is the higher (better) maximum."""
    if value is None or reference is None:
        return None
    scale = max(abs(reference), 1e-12)
    return (value - reference) / scale


def markdown(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def read_rows(path):
    if not path.exists():
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def append_row(path, fields, row):
    new = not path.exists() or path.stat().st_size == 0
    with open(path, "a", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        if new:
            writer.writeheader()
        writer.writerow(row)
        f.flush()
        os.fsync(f.fileno())


def latest(rows, keys):
    """The last row per key (a rerun after an error appends a newer row)."""
    out = {}
    for row in rows:
        out[tuple(row[k] for k in keys)] = row
    return out


def binary_mtime(binary):
    try:
        return datetime.datetime.fromtimestamp(binary.stat().st_mtime, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OSError:
        return ""


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_process(binary, args, kill_after):
    """Runs nnmip: (exit code, stdout, stderr, wall seconds, peak resident MB of that process, from wait4).
    Retries a few times when the binary is missing or busy (being rebuilt)."""
    for attempt in range(6):
        if not binary.exists():
            time.sleep(20)
            continue
        start = time.monotonic()
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            try:
                proc = subprocess.Popen([str(binary)] + args, stdout=out, stderr=err, text=True)
            except OSError as e:   # ETXTBSY, ENOENT while the binary is replaced
                print(f"run.py: cannot start nnmip ({e}); retrying", file=sys.stderr, flush=True)
                time.sleep(20)
                continue
            killer = threading.Timer(kill_after, proc.kill)
            killer.start()
            _, status, usage = os.wait4(proc.pid, 0)
            killed = not killer.is_alive()
            killer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)    # reaped here, not by Popen
            wall = time.monotonic() - start
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        if killed:
            stderr += f"\nrun.py: killed after {kill_after} s\n"
        return proc.returncode, stdout, stderr, wall, usage.ru_maxrss / 1024
    return -1, "", "run.py: nnmip could not be started\n", 0.0, 0.0


# ------------------------------------------------------------------------------------------ instances

def load_instances(networks):
    with open(networks / "instances.csv", newline="") as f:
        return list(csv.DictReader(f))


def verify_instances(instances, images):
    chosen, count = [], {}
    for row in instances:
        if row["kind"] != "verify":
            continue
        n = count.get(row["network"], 0)
        if n < images:
            chosen.append(row)
        count[row["network"]] = n + 1
    return chosen


def max_instances(instances, seeds, inputs):
    return [row for row in instances if row["kind"] == "maximize" and int(row["seed"]) in seeds
            and int(row["inputs"]) in inputs]


# ----------------------------------------------------------------------------------------------- runs

def run_verify(opts, chosen, configs):
    path = opts.results / "verify.csv"
    done = {k for k, r in latest(read_rows(path), ["spec", "config", "timeout"]).items() if r["answer"] != "error"}
    todo = [(inst, c) for inst in chosen for c in configs if (inst["spec"], c, str(opts.timeout)) not in done]
    print(f"run.py: verification: {len(chosen)} instances x {len(configs)} configs, {len(todo)} runs to do", flush=True)
    for i, (inst, config) in enumerate(todo, 1):
        net = opts.networks / inst["network"]
        spec = opts.networks / inst["spec"]
        args = ["verify", str(net), str(spec), "--timeout", str(opts.timeout)] + verify_args(config)
        load = os.getloadavg()[0]
        mtime = binary_mtime(opts.nnmip)
        code, out, err, wall, peak = run_process(opts.nnmip, args, kill_after=2 * opts.timeout + 60)
        lines = out.strip().splitlines()
        answer = lines[0].strip() if lines and code == 0 else "error"
        reason, seconds = "", None
        for line in err.splitlines():
            m = FINAL_LINE.search(line)
            if m:
                reason, seconds = m.group(2), float(m.group(3))
        if answer not in ("sat", "unsat", "timeout", "unknown"):
            answer = "error"
        if seconds is None:
            seconds = wall
        margin = adversarial_margin(out, inst) if answer == "sat" else None
        log = opts.results / "logs" / f"{Path(inst['spec']).stem}__{slug(config)}__t{opts.timeout}.log"
        log.write_text(f"$ nnmip {' '.join(args)}\n# exit {code}, wall {wall:.2f} s\n# stdout\n{out}\n# stderr\n{err}")
        append_row(path, VERIFY_FIELDS, {
            "network": inst["network"], "spec": inst["spec"], "hidden": inst["hidden"], "image": inst["image"],
            "config": config, "timeout": opts.timeout, "answer": answer, "reason": reason,
            "seconds": f"{seconds:.3f}", "first_adversarial": f"{seconds:.3f}" if answer == "sat" else "",
            "margin": "" if margin is None else repr(margin),
            "wall": f"{wall:.3f}", "returncode": code, "load": f"{load:.2f}", "binary_mtime": mtime,
            "finished": now(), "log": str(log.relative_to(opts.results))})
        print(f"run.py: [{i}/{len(todo)}] verify {inst['spec']} {config}: {answer} ({reason}) in {seconds:.2f} s, "
              f"margin {fmt(margin)} "
              f"(wall {wall:.1f} s, load {load:.2f})", flush=True)


def parse_trace(path, checkpoints):
    """The best original objective at each of `checkpoints` (seconds) and at the end, when the final best was
    first reached, and how many rows the trace has."""
    rows = []
    if path.exists():
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                t, v = fnum(r.get("seconds")), fnum(r.get("original_objective"))
                if t is not None and v is not None:
                    rows.append((t, v))
    rows.sort()
    at = [max((v for t, v in rows if t <= cp), default=None) for cp in checkpoints]
    best = max((v for _, v in rows), default=None)
    when = None
    if best is not None:
        tol = 1e-9 * max(1.0, abs(best))
        when = next(t for t, v in rows if v >= best - tol)
    return at, best, when, len(rows)


def run_maximize(opts, chosen, configs):
    path = opts.results / "maximize.csv"
    done = {k for k, r in latest(read_rows(path), ["network", "config", "time_limit"]).items() if r["status"] != "error"}
    todo = [(inst, c) for inst in chosen for c in configs if (inst["network"], c, str(opts.time_limit)) not in done]
    print(f"run.py: maximization: {len(chosen)} networks x {len(configs)} configs, {len(todo)} runs to do", flush=True)
    for i, (inst, config) in enumerate(todo, 1):
        net = opts.networks / inst["network"]
        spec = opts.networks / inst["spec"]
        stem = f"{Path(inst['network']).stem}__{slug(config)}__l{opts.time_limit}"
        trace = opts.results / "traces" / f"{stem}.csv"
        if trace.exists():
            trace.unlink()
        args = ["solve", str(net), "--spec", str(spec), "--time-limit", str(opts.time_limit),
                "--trace", str(trace), "--quiet"] + max_args(config)
        load = os.getloadavg()[0]
        mtime = binary_mtime(opts.nnmip)
        code, out, err, wall, peak = run_process(opts.nnmip, args, kill_after=2 * opts.time_limit + 60)
        fields = {}
        for line in out.splitlines():
            if ":" in line:
                key, value = line.split(":", 1)
                fields.setdefault(key.strip(), value.strip())
        status = fields.get("status", "") if code == 0 else "error"
        status = status or "error"
        at, best, when, n = parse_trace(trace, opts.checkpoints)
        objective = fnum(fields.get("objective"))
        if best is None and objective is not None:    # no trace rows: fall back to the answer
            best = objective
        log = opts.results / "logs" / f"{stem}.log"
        log.write_text(f"$ nnmip {' '.join(args)}\n# exit {code}, wall {wall:.2f} s\n# stdout\n{out}\n# stderr\n{err}")
        append_row(path, MAX_FIELDS, {
            "network": inst["network"], "hidden": inst["hidden"], "inputs": inst["inputs"], "seed": inst["seed"],
            "config": config, "time_limit": opts.time_limit, "status": status,
            "objective": "" if objective is None else repr(objective), "source": fields.get("source", ""),
            "checkpoints": CHECKPOINT_SEP.join(f"{cp:g}" for cp in opts.checkpoints),
            "best_at_checkpoints": CHECKPOINT_SEP.join("" if v is None else repr(v) for v in at),
            "best_end": "" if best is None else repr(best), "time_of_best": "" if when is None else f"{when:.3f}",
            "trace_rows": n, "wall": f"{wall:.3f}", "peak_mb": f"{peak:.0f}", "returncode": code, "load": f"{load:.2f}",
            "binary_mtime": mtime, "finished": now(), "trace": str(trace.relative_to(opts.results)),
            "log": str(log.relative_to(opts.results))})
        at_text = ", ".join(f"{cp:g} s {fobj(v)}" for cp, v in zip(opts.checkpoints, at))
        print(f"run.py: [{i}/{len(todo)}] solve {inst['network']} {config}: {status}, best {fobj(best)} "
              f"(at {at_text}), best first at {fmt(when)} s (wall {wall:.1f} s, peak {peak:.0f} MB, load {load:.2f})",
              flush=True)


# -------------------------------------------------------------------------------------------- reports

def verify_report(opts, chosen, configs):
    rows = latest(read_rows(opts.results / "verify.csv"), ["spec", "config", "timeout"])
    T = opts.timeout
    out = [f"## Verification (timeout {T} s; configs as in run.py's help)", "",
           "Seconds to the first input adversarial on the original network and its margin y[target] - y[true] "
           "in brackets; — when the run found none (timeout), `unsat` when it proved there is none, `?` "
           "unknown/error, blank not run yet.", ""]
    table, answers, problems = [], {}, []
    for inst in chosen:
        label = f"{Path(inst['network']).stem} img{inst['image']}"
        cells = []
        for c in configs:
            r = rows.get((inst["spec"], c, str(T)))
            if r is None:
                cells.append("")
                continue
            answers[(inst["spec"], c)] = r
            if r["answer"] == "sat":
                cells.append(f"{fmt(fnum(r['first_adversarial']))} ({fmt(fnum(r.get('margin')))})")
            elif r["answer"] == "unsat":
                cells.append("unsat")
            elif r["answer"] == "timeout":
                cells.append("—")
            else:
                cells.append("?")
                problems.append(f"{label} {c}: {r['answer']} ({r['reason']}), exit {r['returncode']}, log {r['log']}")
        got = {answers[(inst['spec'], c)]["answer"] for c in configs if (inst["spec"], c) in answers}
        if "sat" in got and "unsat" in got:
            problems.append(f"DISAGREEMENT on {label}: " + ", ".join(
                f"{c} {answers[(inst['spec'], c)]['answer']}" for c in configs if (inst["spec"], c) in answers))
        table.append([label] + cells)
    out += [markdown(["instance"] + configs, table), ""]

    # Summary per config.
    hard_note = (f"hard = instances where dense needs more than 10 s for its first adversarial or finds none "
                 f"(a timeout counts as {T} s); unsat instances have no adversarial and are left out")
    summary = []
    for c in configs:
        runs = [answers[(i["spec"], c)] for i in chosen if (i["spec"], c) in answers]
        sat = [fnum(r["first_adversarial"]) for r in runs if r["answer"] == "sat"]
        count = lambda a: sum(1 for r in runs if r["answer"] == a)
        hard = faster10 = sooner = later = missed = 0
        for inst in chosen:
            d, r = answers.get((inst["spec"], "dense")), answers.get((inst["spec"], c))
            others = [answers[(inst["spec"], o)]["answer"] for o in configs if o != c and (inst["spec"], o) in answers]
            if r is not None and r["answer"] != "sat" and "sat" in others:
                missed += 1
            if d is None or r is None or d["answer"] == "unsat" or r["answer"] == "unsat":
                continue
            dt = fnum(d["first_adversarial"]) if d["answer"] == "sat" else float(T)
            ct = fnum(r["first_adversarial"]) if r["answer"] == "sat" else None
            if d["answer"] == "sat" and ct is not None:
                if ct < dt:
                    sooner += 1
                elif ct > dt:
                    later += 1
            if dt > 10:
                hard += 1
                if ct is not None and 10 * ct <= dt:
                    faster10 += 1
        summary.append([c, len(runs), len(sat), count("unsat"), count("timeout"),
                        count("unknown") + count("error"), fmt(statistics.median(sat)) if sat else "—",
                        "—" if c == "dense" else f"{faster10} of {hard}",
                        "—" if c == "dense" else f"{sooner} / {later}", missed])
    out += [markdown(["config", "runs", "sat", "unsat", "timeout", "unknown/error", "median s (sat)",
                      "≥10x sooner than dense on hard", "sooner / later than dense (both sat)",
                      "no adversarial where another config found one"], summary),
            "", hard_note + ".", ""]
    if problems:
        out += ["Problems:", ""] + [f"- {p}" for p in problems] + [""]
    return "\n".join(out), answers


def best_at(row, checkpoint):
    """The best objective a maximization row recorded at `checkpoint` seconds (None: none by then, or not recorded)."""
    cps = [fnum(c) for c in row["checkpoints"].split(CHECKPOINT_SEP)]
    values = row["best_at_checkpoints"].split(CHECKPOINT_SEP)
    return next((fnum(v) for c, v in zip(cps, values) if c == checkpoint), None)


def per_run_table(chosen, configs, got, cell):
    """A Markdown table, a row per network and a column per config, of cell(instance, config, row) for each run
    recorded in `got` (blank where none is)."""
    table = [[Path(inst["network"]).stem] + ["" if (inst["network"], c) not in got else cell(inst, c, got[(inst["network"], c)])
                                              for c in configs] for inst in chosen]
    return markdown(["network"] + configs, table)


def max_report(opts, chosen, configs):
    rows = latest(read_rows(opts.results / "maximize.csv"), ["network", "config", "time_limit"])
    L, cps = opts.time_limit, opts.checkpoints
    got = {(i["network"], c): rows[(i["network"], c, str(L))] for i in chosen for c in configs
           if (i["network"], c, str(L)) in rows}
    out = [f"## Maximization (time limit {L} s, --threads 1 except portfolio-2cores; maximize y0 over [0,1]^N)", ""]
    problems = []
    for cp in cps:
        out += [f"Best objective on the original network at {cp:g} s (relative difference to dense at {cp:g} s; "
                "positive = higher than dense; — = no point yet):", ""]
        def at_checkpoint(inst, c, r):
            dense = got.get((inst["network"], "dense"))
            v, dv = best_at(r, cp), best_at(dense, cp) if dense else None
            return fobj(v) if c == "dense" or v is None or dv is None else f"{fobj(v)} ({fpct(rel_diff(v, dv))})"
        out += [per_run_table(chosen, configs, got, at_checkpoint), ""]

    out += ["Time the final best was first reached (s), wall seconds and peak resident memory (MB) per run:", ""]
    def times(inst, c, r):
        if r["status"] == "error":
            problems.append(f"{inst['network']} {c}: error, exit {r['returncode']}, log {r['log']}")
        return f"{fmt(fnum(r['time_of_best']), 1)} / {fmt(fnum(r['wall']), 1)} / {r.get('peak_mb') or '?'}"
    out += [per_run_table(chosen, configs, got, times), ""]

    # The target: each portfolio at least as good as the best single method at every checkpoint.
    singles = [c for c in configs if not c.startswith("portfolio")]
    summary = []
    for c in configs:
        if not c.startswith("portfolio"):
            continue
        for cp in cps:
            met = behind = 0
            worst = None
            for inst in chosen:
                r = got.get((inst["network"], c))
                others = [best_at(got[(inst["network"], o)], cp) for o in singles if (inst["network"], o) in got]
                others = [v for v in others if v is not None]
                if r is None or not others:
                    continue
                v, best_single = best_at(r, cp), max(others)
                if v is not None and v >= best_single - REL_TIE * max(1.0, abs(best_single)):
                    met += 1
                else:
                    behind += 1
                    gap = None if v is None else -rel_diff(v, best_single)
                    worst = gap if worst is None or (gap is not None and gap > worst) else worst
            if met + behind:
                summary.append([c, f"{cp:g} s", f"{met} of {met + behind}", "—" if worst is None else f"{100 * worst:.2f}%"])
    out += [f"Portfolio against the best single config ({', '.join(singles)}) on each network:", "",
            markdown(["portfolio", "at", "at least the best single", "largest shortfall"], summary), ""]
    if problems:
        out += ["Problems:", ""] + [f"- {p}" for p in problems] + [""]
    return "\n".join(out), got



# ------------------------------------------------------------------------------------------------ SVG

def esc(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_text(x, y, text, size=12, anchor="middle", rotate=None, weight="normal", fill="#222"):
    tr = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate is not None else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}"{tr}>{esc(text)}</text>')


def scatter_panel(ox, oy, w, h, points, T):
    """Dense vs portfolio seconds to the first adversarial, log axes. points: (dense, portfolio, dense_found, portfolio_found)."""
    parts = [svg_text(ox + w / 2, oy - 28, "Verification: seconds to the first adversarial", 14, weight="bold")]
    lo = 0.1
    for d, p, _, _ in points:
        lo = min(lo, d, p)
    lo = 10 ** math.floor(math.log10(max(lo, 1e-3)))
    hi = 10 ** math.ceil(math.log10(T * 1.01))
    lx = lambda v: ox + (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * w
    ly = lambda v: oy + h - (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * h
    parts.append(f'<rect x="{ox}" y="{oy}" width="{w}" height="{h}" fill="white" stroke="#444"/>')
    decade = lo
    while decade <= hi * 1.0001:
        x, y = lx(decade), ly(decade)
        parts.append(f'<line x1="{x:.1f}" y1="{oy}" x2="{x:.1f}" y2="{oy + h}" stroke="#e4e4e4"/>')
        parts.append(f'<line x1="{ox}" y1="{y:.1f}" x2="{ox + w}" y2="{y:.1f}" stroke="#e4e4e4"/>')
        label = f"{decade:g}"
        parts.append(svg_text(x, oy + h + 16, label, 11))
        parts.append(svg_text(ox - 6, y + 4, label, 11, anchor="end"))
        decade *= 10
    # the timeout lines
    parts.append(f'<line x1="{lx(T):.1f}" y1="{oy}" x2="{lx(T):.1f}" y2="{oy + h}" stroke="#999" stroke-dasharray="2,3"/>')
    parts.append(f'<line x1="{ox}" y1="{ly(T):.1f}" x2="{ox + w}" y2="{ly(T):.1f}" stroke="#999" stroke-dasharray="2,3"/>')
    parts.append(svg_text(lx(T) - 4, oy + 12, f"timeout {T:g} s", 10, anchor="end", fill="#777"))
    # y = x and y = x/10
    parts.append(f'<line x1="{lx(lo):.1f}" y1="{ly(lo):.1f}" x2="{lx(hi):.1f}" y2="{ly(hi):.1f}" stroke="#555"/>')
    parts.append(f'<line x1="{lx(lo * 10):.1f}" y1="{ly(lo):.1f}" x2="{lx(hi):.1f}" y2="{ly(hi / 10):.1f}" '
                 f'stroke="#555" stroke-dasharray="6,4"/>')
    for d, p, dfound, pfound in points:
        x, y = lx(d), ly(p)
        if dfound and pfound:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#1f77b4" fill-opacity="0.8"/>')
        elif pfound:    # dense timed out
            parts.append(f'<path d="M{x - 5:.1f},{y - 5:.1f} L{x + 5:.1f},{y - 5:.1f} L{x:.1f},{y + 5:.1f} Z" fill="#2ca02c"/>')
        elif dfound:    # portfolio timed out
            parts.append(f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#d62728"/>')
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="none" stroke="#888" stroke-width="1.5"/>')
    parts.append(svg_text(ox + w / 2, oy + h + 36, "dense MILP (s)", 12))
    parts.append(svg_text(ox - 42, oy + h / 2, f"portfolio {PORTFOLIO} (s)", 12, rotate=-90))
    # legend
    lgx, lgy = ox + 10, oy + 14
    count = lambda dfound, pfound: sum(1 for _, _, d, p in points if d == dfound and p == pfound)
    legend = [
        ('<line x1="{a}" y1="{b}" x2="{c}" y2="{b}" stroke="#555"/>', "y = x"),
        ('<line x1="{a}" y1="{b}" x2="{c}" y2="{b}" stroke="#555" stroke-dasharray="6,4"/>', "y = x/10 (10x sooner)"),
        ('<circle cx="{m}" cy="{b}" r="4.5" fill="#1f77b4"/>', f"both found one ({count(True, True)})"),
        ('<path d="M{m0},{b0} L{m1},{b0} L{m},{b1} Z" fill="#2ca02c"/>', f"dense timed out ({count(False, True)})"),
        ('<rect x="{r}" y="{rb}" width="8" height="8" fill="#d62728"/>', f"portfolio timed out ({count(True, False)})"),
        ('<circle cx="{m}" cy="{b}" r="4.5" fill="none" stroke="#888" stroke-width="1.5"/>',
         f"both timed out ({count(False, False)})"),
    ]
    parts.append(f'<rect x="{lgx - 4}" y="{lgy - 10}" width="170" height="{len(legend) * 16 + 6}" fill="white" '
                 f'fill-opacity="0.9" stroke="#ccc"/>')
    for k, (shape, label) in enumerate(legend):
        b = lgy + k * 16
        m = lgx + 10
        parts.append(shape.format(a=lgx, b=b, c=lgx + 20, m=m, m0=m - 5, m1=m + 5, b0=b - 5, b1=b + 5,
                                  r=m - 4, rb=b - 4))
        parts.append(svg_text(lgx + 26, b + 4, label, 11, anchor="start"))
    if not points:
        parts.append(svg_text(ox + w / 2, oy + h / 2, "no instances yet", 13, fill="#999"))
    return parts


def bar_panel(ox, oy, w, h, bars):
    """Relative objective difference portfolio vs dense per network, on a signed log scale."""
    parts = [svg_text(ox + w / 2, oy - 28, "Maximization: portfolio vs dense, relative objective difference", 14,
                      weight="bold")]
    parts.append(f'<rect x="{ox}" y="{oy}" width="{w}" height="{h}" fill="white" stroke="#444"/>')
    # signed log scale on percent: s(v) = sign(v) * log10(1 + |v| / 1%)
    s = lambda pct: math.copysign(math.log10(1 + abs(pct)), pct)
    values = [100 * v for _, v in bars if v is not None]
    top = max([s(v) for v in values] + [s(10)])
    bottom = min([s(v) for v in values] + [s(-10)])
    top, bottom = math.ceil(top + 0.25), math.floor(bottom)
    y = lambda pct: oy + (top - s(pct)) / (top - bottom) * h
    ticks = [0] + [sign * 10 ** k for k in range(0 if top - bottom <= 4 else 1, 6) for sign in (1, -1)]
    for t in ticks:
        if bottom - 1e-9 <= s(t) <= top + 1e-9:
            yy = y(t)
            parts.append(f'<line x1="{ox}" y1="{yy:.1f}" x2="{ox + w}" y2="{yy:.1f}" stroke="{"#444" if t == 0 else "#e4e4e4"}"/>')
            parts.append(svg_text(ox - 6, yy + 4, f"{t:+g}%" if t else "0", 11, anchor="end"))
    n = max(len(bars), 1)
    slot = w / n
    for k, (name, v) in enumerate(bars):
        cx = ox + (k + 0.5) * slot
        if v is None:
            parts.append(svg_text(cx, y(0) - 4, "n/a", 10, fill="#999"))
        else:
            pct = 100 * v
            y0, y1 = y(0), y(pct)
            color = "#2ca02c" if v > REL_TIE else ("#d62728" if v < -REL_TIE else "#888")
            top_y = min(y0, y1)
            parts.append(f'<rect x="{cx - slot * 0.3:.1f}" y="{top_y:.1f}" width="{slot * 0.6:.1f}" '
                         f'height="{max(abs(y1 - y0), 1):.1f}" fill="{color}"/>')
            label_y = y1 - 4 if pct >= 0 else y1 + 13
            parts.append(svg_text(cx, label_y, fpct(v), 10))
        parts.append(svg_text(cx, oy + h + 12, name, 10, anchor="end", rotate=-35))
    parts.append(svg_text(ox - 62, oy + h / 2, "(portfolio − dense) / |dense|  (signed log scale)", 12, rotate=-90))
    parts.append(svg_text(ox + w - 4, oy + 14, "green: portfolio higher, red: lower, gray: tie", 11, anchor="end",
                          fill="#555"))
    if not bars:
        parts.append(svg_text(ox + w / 2, oy + h / 2, "no networks yet", 13, fill="#999"))
    return parts


def write_svg(path, opts, vchosen, vanswers, mchosen, mgot):
    points = []
    for inst in vchosen:
        d, p = vanswers.get((inst["spec"], "dense")), vanswers.get((inst["spec"], "portfolio"))
        if d is None or p is None or "unsat" in (d["answer"], p["answer"]):
            continue
        dfound, pfound = d["answer"] == "sat", p["answer"] == "sat"
        dt = fnum(d["first_adversarial"]) if dfound else float(opts.timeout)
        pt = fnum(p["first_adversarial"]) if pfound else float(opts.timeout)
        points.append((max(dt, 1e-3), max(pt, 1e-3), dfound, pfound))
    bars = []
    for inst in mchosen:
        d, p = mgot.get((inst["network"], "dense")), mgot.get((inst["network"], "portfolio"))
        if d is None or p is None:
            continue
        name = Path(inst["network"]).stem.replace("rand_", "")
        bars.append((name, rel_diff(fnum(p["best_end"]), fnum(d["best_end"]))))
    W, H = 1180, 560
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
             f'font-family="Helvetica, Arial, sans-serif">', f'<rect width="{W}" height="{H}" fill="white"/>']
    parts += scatter_panel(90, 60, 400, 400, points, float(opts.timeout))
    parts += bar_panel(640, 60, 510, 400, bars)
    parts.append(svg_text(W / 2, H - 12, f"nnmip surrogate experiment: verify --timeout {opts.timeout:g} --threads 1, --no-sampling but in config local "
                          f"(unsat instances left out); solve --time-limit {opts.time_limit:g} --threads 1 but in portfolio-2cores. "
                          "Wall-clock seconds depend on the machine and its load.", 11, fill="#555"))
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")


# ----------------------------------------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--networks", type=Path, default=ROOT / "bench-out/surrogate/networks")
    p.add_argument("--results", type=Path, default=ROOT / "bench-out/surrogate/results")
    p.add_argument("--nnmip", type=Path, default=Path(os.environ.get("NNMIP", ROOT / ".build/release/nnmip")))
    p.add_argument("--part", choices=["verify", "maximize", "both"], default="both")
    p.add_argument("--images", type=int, default=2, help="verification specs per MNIST network (default 2)")
    p.add_argument("--mnist", default="", help="comma list of MNIST architectures, e.g. 2x32,4x64 (default all)")
    p.add_argument("--timeout", type=int, default=60, help="verify --timeout (default 60)")
    p.add_argument("--verify-configs", nargs="+", default=VERIFY_CONFIGS, metavar="CONFIG",
                   help="dense, portfolio or METHOD=S[,S...] (default: %(default)s)")
    p.add_argument("--seeds", default="0", help="comma list of random-network seeds (default 0)")
    p.add_argument("--inputs", default="100,1000", help="comma list of random-network input sizes (default 100,1000)")
    p.add_argument("--hidden", default="", help="comma list of random-network hidden shapes, e.g. 3x500,3x10000 (default all)")
    p.add_argument("--time-limit", type=int, default=60, help="solve --time-limit (default 60)")
    p.add_argument("--checkpoints", default="10,30,60",
                   help="comma list of seconds at which the best objective so far is reported (default 10,30,60)")
    p.add_argument("--max-configs", nargs="+", default=MAX_CONFIGS, metavar="CONFIG",
                   help="dense, portfolio, portfolio-2cores, gradient, walk, lp-relaxation or METHOD=S[,S...] "
                        "(default: %(default)s)")
    p.add_argument("--report-only", action="store_true", help="print tables and draw the plot from the results so far")
    opts = p.parse_args()
    opts.checkpoints = [float(c) for c in opts.checkpoints.split(",")]
    opts.results = opts.results.resolve()
    opts.networks = opts.networks.resolve()
    opts.nnmip = opts.nnmip.absolute()
    for d in (opts.results, opts.results / "logs", opts.results / "traces"):
        d.mkdir(parents=True, exist_ok=True)

    instances = load_instances(opts.networks)
    vchosen = verify_instances(instances, opts.images)
    if opts.mnist:
        keep = set(opts.mnist.split(","))
        vchosen = [i for i in vchosen if i["hidden"] in keep]
    mchosen = max_instances(instances, {int(s) for s in opts.seeds.split(",")}, {int(n) for n in opts.inputs.split(",")})
    if opts.hidden:
        keep = set(opts.hidden.split(","))
        mchosen = [i for i in mchosen if i["hidden"] in keep]
    do_verify = opts.part in ("verify", "both")
    do_max = opts.part in ("maximize", "both")

    start = time.monotonic()
    if not opts.report_only:
        if not opts.nnmip.exists():
            sys.exit(f"run.py: no nnmip at {opts.nnmip} (swift build -c release --product nnmip)")
        print(f"run.py: started {now()}, nnmip {opts.nnmip} (built {binary_mtime(opts.nnmip)})", flush=True)
        if do_verify:
            run_verify(opts, vchosen, opts.verify_configs)
        if do_max:
            run_maximize(opts, mchosen, opts.max_configs)

    report = [f"# nnmip surrogate experiment ({now()})", ""]
    vanswers, mgot = {}, {}
    if do_verify:
        text, vanswers = verify_report(opts, vchosen, opts.verify_configs)
        report.append(text)
    if do_max:
        text, mgot = max_report(opts, mchosen, opts.max_configs)
        report.append(text)
    if not opts.report_only:
        report.append(f"Wall time of this invocation: {time.monotonic() - start:.0f} s.")
    text = "\n".join(report).rstrip() + "\n"
    print(text)
    (opts.results / "report.md").write_text(text)
    svg = opts.results / "summary.svg"
    write_svg(svg, opts, vchosen if do_verify else [], vanswers, mchosen if do_max else [], mgot)
    print(f"run.py: wrote {opts.results / 'report.md'} and {svg}", flush=True)


if __name__ == "__main__":
    main()
