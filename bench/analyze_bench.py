#!/usr/bin/env python3
"""lockspan vs clang-tidy: speed, peak memory and accuracy on generated coroutine service code.

  python3 bench/analyze_bench.py [--bin build/lockspan] [--files 48] [--out bench/out]

Generates (seeded, deterministic) C++20 coroutine sources with `// expect: <rule-id>` markers
plus no-suspension files (bench/bench_gen.py), then in one run:
  * lockspan analyze --format json --fail-on none -j 1 <all coroutine files> -- -std=c++20 -I<out>
    (one process, wall clock and max RSS), and the same over the no-suspension files;
  * clang-tidy-19 --checks=-*,cppcoreguidelines-no-suspend-with-lock,misc-coroutine-hostile-raii FILE -- ...
    once per coroutine file, sequentially (total wall clock, max of the per-file max RSS).
Scores lockspan strictly ((file, line, rule) set == markers) and both tools per file
(reports something iff the file has a marker), prints a table and gates:
exit 0 = pass; 1 = lockspan slower than --min-speedup x clang-tidy, or its strict score is not
perfect (coroutine files, plus any finding on a no-suspension file); 2 = could not run
(binary missing, lockspan failed/timed out/bad JSON, generated code does not compile).
--no-gate reports and exits 0 for the gate conditions.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
sys.path.insert(0, HERE)
import bench_gen  # noqa: E402

TIDY_CHECKS = "-*,cppcoreguidelines-no-suspend-with-lock,misc-coroutine-hostile-raii"
TIDY_WARN = re.compile(r"^(.+?):(\d+):\d+: warning: .*\[(cppcoreguidelines-no-suspend-with-lock|misc-coroutine-hostile-raii)")
TIDY_ERROR = re.compile(r"^(.+?):(\d+):\d+: error: ")
TIME_BIN = "/usr/bin/time"
# Fallback RSS probe: runs the command as its own child and reports that child's ru_maxrss (KiB).
RSS_WRAPPER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, st, ru = os.wait4(p.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(ru.ru_maxrss))\n"
    "rc = os.waitstatus_to_exitcode(st)\n"
    "sys.exit(rc if rc >= 0 else 128 - rc)\n"
)


class Measured:
    def __init__(self, rc, wall, rss_kib, stdout, stderr, timed_out):
        self.rc, self.wall, self.rss_kib = rc, wall, rss_kib
        self.stdout, self.stderr, self.timed_out = stdout, stderr, timed_out


def measure(cmd, timeout, use_time):
    """Runs cmd once; returns wall seconds and the peak RSS (KiB) of that command alone."""
    fd, rss_path = tempfile.mkstemp(prefix="lockspan-bench-rss-")
    os.close(fd)
    try:
        if use_time:
            wrapped = [TIME_BIN, "-f", "%M", "-o", rss_path] + cmd
        else:
            wrapped = [sys.executable, "-c", RSS_WRAPPER, rss_path] + cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(wrapped, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, errors="replace", start_new_session=True)
        timed_out = False
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                os.killpg(p.pid, signal.SIGKILL)  # the group we just created for this command
            except ProcessLookupError:
                pass
            out, err = p.communicate()
        wall = time.perf_counter() - t0
        rss = None
        with open(rss_path) as fh:
            for line in fh.read().split("\n")[::-1]:
                if line.strip().isdigit():
                    rss = int(line.strip())
                    break
        return Measured(p.returncode, wall, rss, out, err, timed_out)
    finally:
        os.unlink(rss_path)


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f}"


def find_clang_tidy(name):
    path = shutil.which(name)
    return path


# --------------------------------------------------------------------------- compile check
def compile_check(files, incdir, timeout):
    """clang++-19 -fsyntax-only on every file (clang-tidy-19 without checks when clang++-19 is absent)."""
    cxx = shutil.which("clang++-19")
    tidy = shutil.which("clang-tidy-19")
    if cxx:
        mk = lambda f: [cxx, "-std=c++20", "-fsyntax-only", f"-I{incdir}", f]  # noqa: E731
        how = "clang++-19 -std=c++20 -fsyntax-only"
    elif tidy:
        mk = lambda f: [tidy, "--checks=-*,cppcoreguidelines-no-suspend-with-lock", f, "--", "-std=c++20", f"-I{incdir}"]  # noqa: E731
        how = "clang-tidy-19 (no clang++-19 found)"
    else:
        return None, ["neither clang++-19 nor clang-tidy-19 found"]

    def one(f):
        try:
            p = subprocess.run(mk(f), capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return f"{os.path.basename(f)}: compile check timed out after {timeout}s"
        errs = [ln for ln in (p.stdout + p.stderr).splitlines() if re.search(r"\berror:", ln)]
        if p.returncode != 0 or errs:
            return f"{os.path.basename(f)}: rc={p.returncode} " + ("; ".join(errs[:3]) or p.stderr.strip()[:200])
        return None

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as ex:
        problems = [r for r in ex.map(one, files) if r]
    return how, problems


# --------------------------------------------------------------------------- scoring
def expectations(path):
    out = set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            m = bench_gen.MARK.search(line)
            if m:
                out.add((n, m.group(1)))
    return out


def score(files, got):
    """Strict and file-level score of findings `got` {basename: {(line, rule)}} against the markers."""
    exp_total = tp = fp = files_right = 0
    misses, extras = [], []
    names = {os.path.basename(f) for f in files}
    for f in files:
        name = os.path.basename(f)
        exp = expectations(f)
        g = got.get(name, set())
        exp_total += len(exp)
        tp += len(exp & g)
        fp += len(g - exp)
        files_right += bool(exp) == bool(g)
        misses += [f"MISS  {name}:{ln} {rule}" for ln, rule in sorted(exp - g)]
        extras += [f"EXTRA {name}:{ln} {rule}" for ln, rule in sorted(g - exp)]
    for name, g in sorted(got.items()):
        if name not in names:  # findings in files we did not ask about (e.g. the support header)
            fp += len(g)
            extras += [f"EXTRA {name}:{ln} {rule}" for ln, rule in sorted(g)]
    return dict(expected=exp_total, found=tp, extra=fp, files_right=files_right, files=len(files),
                perfect=(tp == exp_total and fp == 0), misses=misses, extras=extras)


# --------------------------------------------------------------------------- runs
def marginal_plain_cost(binary, plain, out, timeout, use_time, copies=20):
    """Per-file cost of no-suspension files without process start-up: one run over
    `copies` copies of each file, minus a run over one empty file; best of three."""
    if not plain:
        return None
    cdir = os.path.join(out, "plain_copies")
    os.makedirs(cdir, exist_ok=True)
    many = []
    for k in range(copies):
        for p in plain:
            dst = os.path.join(cdir, f"c{k:02d}_{os.path.basename(p)}")
            shutil.copyfile(p, dst)
            many.append(dst)
    empty = os.path.join(cdir, "empty.cpp")
    open(empty, "w").close()
    walls, bases = [], []
    for _ in range(3):
        r, _, _ = run_lockspan(binary, many, out, timeout, use_time)
        b, _, _ = run_lockspan(binary, [empty], out, timeout, use_time)
        if r["error"] or b["error"]:
            return None
        walls.append(r["wall"])
        bases.append(b["wall"])
    wall, base = min(walls), min(bases)
    return dict(files=len(many), wall=wall, baseline=base, ms_per_file=max(0.0, 1000 * (wall - base) / len(many)))


def run_lockspan(binary, files, incdir, timeout, use_time):
    cmd = [binary, "analyze", "--format", "json", "--fail-on", "none", "-j", "1"] + files + \
          ["--", "-std=c++20", f"-I{incdir}"]
    m = measure(cmd, timeout, use_time)
    res = dict(wall=m.wall, rss_kib=m.rss_kib, rc=m.rc, files=len(files), error=None, statuses={}, version=None)
    if m.timed_out:
        res["error"] = f"lockspan timed out after {timeout}s"
        return res, {}, m
    if m.rc not in (0, 1):
        res["error"] = f"lockspan exited {m.rc}: {m.stderr.strip()[:400]}"
        return res, {}, m
    try:
        doc = json.loads(m.stdout)
    except ValueError as e:
        res["error"] = f"lockspan printed no valid JSON ({e}); stdout starts {m.stdout[:120]!r}"
        return res, {}, m
    got = defaultdict(set)
    for f in doc.get("findings", []):
        got[os.path.basename(str(f.get("path", "")))].add((int(f.get("line", 0)), str(f.get("rule", ""))))
    res["statuses"] = dict(Counter(str(f.get("status", "?")) for f in doc.get("files", [])))
    res["version"] = (doc.get("tool") or {}).get("version")
    res["findings"] = sum(len(v) for v in got.values())
    return res, got, m


def run_clang_tidy(tidy, files, incdir, timeout, use_time, log_path):
    got = defaultdict(set)
    walls, rss, errors, timeouts = [], [], [], []
    with open(log_path, "w") as log:
        for f in files:
            cmd = [tidy, f"--checks={TIDY_CHECKS}", f, "--", "-std=c++20", f"-I{incdir}"]
            m = measure(cmd, timeout, use_time)
            walls.append(m.wall)
            if m.rss_kib is not None:
                rss.append(m.rss_kib)
            log.write(f"### {f} rc={m.rc} wall={m.wall:.3f}s rss={m.rss_kib}KiB\n{m.stdout}{m.stderr}\n")
            if m.timed_out:
                timeouts.append(os.path.basename(f))
            for line in m.stdout.splitlines():
                w = TIDY_WARN.match(line)
                if w and os.path.basename(w.group(1)) == os.path.basename(f):
                    got[os.path.basename(f)].add((int(w.group(2)), bench_gen.LOCK_RULE))
                e = TIDY_ERROR.match(line)
                if e:
                    errors.append(line.strip())
    res = dict(wall=sum(walls), rss_kib=max(rss) if rss else None, files=len(files),
               per_file_min=min(walls) if walls else None, per_file_max=max(walls) if walls else None,
               compile_errors=errors[:20], compile_error_count=len(errors), timeouts=timeouts,
               findings=sum(len(v) for v in got.values()))
    return res, got


# --------------------------------------------------------------------------- report
def mix_summary(manifest):
    cf, pf = manifest["coroutine_files"], manifest["plain_files"]
    rules = Counter(r for f in cf for _ln, r in f["expect"])
    dirty = sum(1 for f in cf if f["expect"])
    kinds = Counter(k for f in cf for k in f["cases"])
    lines = [f"generated {len(cf)} coroutine files ({dirty} with findings, {len(cf) - dirty} clean; "
             f"{sum(rules.values())} markers: " + ", ".join(f"{n} {r}" for r, n in sorted(rules.items())) +
             f"; {min(f['lines'] for f in cf)}-{max(f['lines'] for f in cf)} lines) and {len(pf)} no-suspension files "
             f"({min(f['lines'] for f in pf) if pf else 0}-{max(f['lines'] for f in pf) if pf else 0} lines)"]
    held = sorted((k, n) for k, n in kinds.items() if not k.startswith(("clean_", "plain")))
    clean = sorted((k, n) for k, n in kinds.items() if k.startswith("clean_"))
    lines.append("  held:  " + ", ".join(f"{k} {n}" for k, n in held))
    lines.append("  clean: " + ", ".join(f"{k} {n}" for k, n in clean) +
                 f", plain locking functions {kinds.get('plain', 0) + kinds.get('plain_locking_helper', 0)}")
    return "\n".join(lines)


def table(rows):
    head = ["tool", "files", "wall s", "ms/file", "peak RSS MiB", "strict (found/expected, extra)", "files right"]
    cells = [head] + rows
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(head))]
    out = []
    for j, r in enumerate(cells):
        out.append("  ".join(str(c).ljust(w) if i in (0, 5) else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "lockspan"), help="lockspan binary (default: <repo>/build/lockspan)")
    ap.add_argument("--files", type=int, default=48, help="coroutine files to generate (default 48)")
    ap.add_argument("--plain-files", type=int, default=None, help="no-suspension files (default max(10, files/4))")
    ap.add_argument("--out", default=os.path.join(REPO, "bench", "out"), help="output dir (default: <repo>/bench/out)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clang-tidy", default="clang-tidy-19", help="clang-tidy executable (default clang-tidy-19)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds allowed for one lockspan run (default 900)")
    ap.add_argument("--tidy-timeout", type=int, default=180, help="seconds allowed for one clang-tidy file (default 180)")
    ap.add_argument("--min-speedup", type=float, default=10.0, help="gate: clang-tidy wall / lockspan wall (default 10)")
    ap.add_argument("--skip-lockspan", action="store_true", help="run only the generator and the clang-tidy half")
    ap.add_argument("--skip-clang-tidy", action="store_true", help="do not run clang-tidy (no speed gate then)")
    ap.add_argument("--check-compile", action="store_true", help="first check every generated file compiles (clang++-19 -fsyntax-only)")
    ap.add_argument("--generate-only", action="store_true", help="write the sources and stop")
    ap.add_argument("--no-gate", action="store_true", help="report only; exit 0 whatever the gate conditions")
    ap.add_argument("--rss-probe", choices=["auto", "time", "wait4"], default="auto",
                    help="max-RSS probe: /usr/bin/time -f %%M, or a python os.wait4 wrapper (default auto)")
    a = ap.parse_args()

    out = os.path.abspath(a.out)
    n_plain = a.plain_files if a.plain_files is not None else max(10, a.files // 4)
    if a.files < 40:
        print(f"note: --files {a.files} is below the benchmark's standard 40", file=sys.stderr)
    use_time = a.rss_probe == "time" or (a.rss_probe == "auto" and os.access(TIME_BIN, os.X_OK))
    binary = os.path.abspath(a.bin)
    run_lock = not a.skip_lockspan and not a.generate_only
    lock_missing = run_lock and not (os.path.isfile(binary) and os.access(binary, os.X_OK))
    if lock_missing:
        msg = (f"lockspan binary not found or not executable at {binary} -- build it first (see README), "
               f"pass --bin PATH, or use --skip-lockspan to run only the clang-tidy half")
        if not a.no_gate:
            print(f"error: {msg}", file=sys.stderr)
            return 2
        print(f"warning: {msg}; continuing without lockspan (--no-gate)", file=sys.stderr)
        run_lock = False

    # 1. generate
    t0 = time.perf_counter()
    manifest = bench_gen.generate(out, a.files, n_plain, a.seed)
    print(mix_summary(manifest))
    print(f"  written to {out} in {time.perf_counter() - t0:.2f}s (seed {a.seed})")
    if manifest["problems"]:
        for p in manifest["problems"]:
            print(f"generator problem: {p}", file=sys.stderr)
        return 2
    coro = [os.path.join(out, f["name"]) for f in manifest["coroutine_files"]]
    plain = [os.path.join(out, f["name"]) for f in manifest["plain_files"]]
    if a.check_compile:
        how, problems = compile_check(coro + plain, out, a.tidy_timeout)
        if problems:
            for p in problems:
                print(f"compile check: {p}", file=sys.stderr)
            return 2
        print(f"compile check: all {len(coro) + len(plain)} files pass {how}")
    if a.generate_only:
        return 0

    results = dict(seed=a.seed, out=out, rss_probe="time -f %M" if use_time else "os.wait4 wrapper",
                   lockspan=None, lockspan_plain=None, clang_tidy=None)
    rows, gate_failures, cannot_run = [], [], []
    lock_score = None
    print(f"\nmax RSS via {results['rss_probe']}; lockspan -j 1, one process per file set; clang-tidy one process per file")

    # 2a. lockspan over all coroutine files, then over the no-suspension files
    if run_lock:
        res, got, m = run_lockspan(binary, coro, out, a.timeout, use_time)
        with open(os.path.join(out, "lockspan.json"), "w") as fh:
            fh.write(m.stdout)
        if res["error"]:
            cannot_run.append(res["error"])
        else:
            lock_score = score(coro, got)
            res["score"] = lock_score
        results["lockspan"] = res
        resp, gotp, mp = run_lockspan(binary, plain, out, a.timeout, use_time)
        with open(os.path.join(out, "lockspan-plain.json"), "w") as fh:
            fh.write(mp.stdout)
        if resp["error"]:
            cannot_run.append("no-suspension run: " + resp["error"])
        else:
            resp["score"] = score(plain, gotp)
        results["lockspan_plain"] = resp
        results["plain_marginal"] = marginal_plain_cost(binary, plain, out, a.timeout, use_time)
        if lock_score:
            rows.append(["lockspan", len(coro), f"{res['wall']:.3f}", f"{1000 * res['wall'] / len(coro):.1f}",
                         mib(res["rss_kib"]), f"{lock_score['found']}/{lock_score['expected']}, {lock_score['extra']} extra",
                         f"{lock_score['files_right']}/{len(coro)}"])
        else:
            rows.append(["lockspan", len(coro), f"{res['wall']:.3f}", "-", mib(res["rss_kib"]), "run failed", "-"])

    # 2b. clang-tidy, one process per coroutine file
    tidy = None
    if not a.skip_clang_tidy:
        tidy = find_clang_tidy(a.clang_tidy)
        if not tidy:
            cannot_run.append(f"{a.clang_tidy} not found on PATH")
        else:
            tres, tgot = run_clang_tidy(tidy, coro, out, a.tidy_timeout, use_time, os.path.join(out, "clang-tidy.log"))
            ts = score(coro, tgot)
            tres["score"] = {k: v for k, v in ts.items() if k not in ("misses", "extras")}
            results["clang_tidy"] = tres
            rows.append([os.path.basename(a.clang_tidy), len(coro), f"{tres['wall']:.3f}", f"{1000 * tres['wall'] / len(coro):.1f}",
                         mib(tres["rss_kib"]), f"{ts['found']}/{ts['expected']}, {ts['extra']} extra",
                         f"{ts['files_right']}/{len(coro)}"])
            if tres["compile_error_count"]:
                cannot_run.append(f"clang-tidy reported {tres['compile_error_count']} compile errors in generated code, "
                                  f"first: {tres['compile_errors'][0]}")
            if tres["timeouts"]:
                cannot_run.append(f"clang-tidy timed out on {len(tres['timeouts'])} files: {', '.join(tres['timeouts'][:5])}")

    # 3. report
    print()
    print(table(rows))
    print("(strict: the set of (file, line, rule) must equal the `// expect:` markers; clang-tidy warns at other lines "
          "and cannot tell the rules apart, so its strict column is informational. files right: reports something iff "
          "the file has a marker.)")
    lr, tr = results["lockspan"], results["clang_tidy"]
    ratio = None
    if lr and not lr["error"] and tr:
        ratio = tr["wall"] / lr["wall"] if lr["wall"] > 0 else float("inf")
        results["speed_ratio"] = ratio
        print(f"\nspeed ratio clang-tidy/lockspan: {ratio:.1f}x  (gate: >= {a.min_speedup:g}x)")
        if ratio < a.min_speedup:
            gate_failures.append(f"lockspan is only {ratio:.1f}x faster than clang-tidy (need >= {a.min_speedup:g}x)")
    elif tr:
        print(f"\nclang-tidy per file: {1000 * tr['per_file_min']:.0f}-{1000 * tr['per_file_max']:.0f} ms; speed ratio n/a (lockspan not run)")
    pr = results["lockspan_plain"]
    if pr and not pr["error"]:
        ps = pr["score"]
        print(f"no-suspension fast path: {len(plain)} files, {pr['wall']:.3f} s, {1000 * pr['wall'] / len(plain):.1f} ms/file, "
              f"peak RSS {mib(pr['rss_kib'])} MiB, {ps['extra']} findings (expected 0); file status {pr['statuses']}")
        pm = results.get("plain_marginal")
        if pm:
            print(f"no-suspension marginal cost: {pm['files']} files in one process {pm['wall']:.3f} s, "
                  f"empty run {pm['baseline']:.3f} s -> {pm['ms_per_file']:.3f} ms/file (gate: < 1 ms)")
            if pm["ms_per_file"] >= 1.0:
                gate_failures.append(f"no-suspension files cost {pm['ms_per_file']:.3f} ms each (need < 1 ms)")
        if ps["extra"]:
            gate_failures.append(f"{ps['extra']} findings on no-suspension files")
            for line in ps["extras"][:20]:
                print("  " + line)
    if lr and not lr["error"]:
        print(f"lockspan {lr.get('version') or ''}: file status {lr['statuses']}")
    if lock_score:
        bad = lock_score["misses"] + lock_score["extras"]
        for line in bad[:40]:
            print("  " + line)
        if len(bad) > 40:
            print(f"  ... {len(bad) - 40} more in {os.path.join(out, 'results.json')}")
        if not lock_score["perfect"]:
            gate_failures.append(f"strict score not perfect: {lock_score['found']}/{lock_score['expected']} found, "
                                 f"{lock_score['extra']} extra")

    results["gate_failures"], results["cannot_run"] = gate_failures, cannot_run
    with open(os.path.join(out, "results.json"), "w") as fh:
        json.dump(results, fh, indent=1)
    print(f"\ndetails: {os.path.join(out, 'results.json')}, raw output in {out}/lockspan*.json and clang-tidy.log")

    if not run_lock:
        why = "binary missing" if lock_missing else "--skip-lockspan"
        print(f"gate: not evaluated (lockspan not run: {why})")
    for c in cannot_run:
        print(f"ERROR: {c}", file=sys.stderr)
    for g in gate_failures:
        print(f"GATE FAILED: {g}", file=sys.stderr)
    if a.no_gate:
        return 0
    if cannot_run:
        return 2
    if gate_failures:
        return 1
    if run_lock:
        print("gate: passed" if ratio is not None else "gate: passed (speed not compared: clang-tidy skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
