#!/usr/bin/env python3
"""Webhook intake benchmark for `lockspan serve --dry-run` on 127.0.0.1.

    python3 tests/e2e/webhook_bench.py --bin build/lockspan [--count 2000] [--connections 50] [--no-gate]

Sends COUNT signed deliveries (real @octokit/webhooks-examples pull_request payloads made by
make_delivery.mjs, then given distinct delivery ids, pull numbers and head shas, each re-signed
with the shared secret; actions opened/synchronize/reopened, so each one queues a job) over
CONNECTIONS keep-alive connections (one thread each), and reports the acknowledgement latency
(send to full answer) p50/p90/p99/max and the throughput. Then it reads the service's SQLite
file and checks that every accepted (202) delivery is in the deliveries table with its job.

Gate (exit 1 otherwise, unless --no-gate): every delivery accepted, p99 < 50 ms, every
accepted delivery stored. The workers of the dry run fetch a clone URL that does not exist
on the local git server, so their jobs fail fast and are retried later. Bounded: 180 s watchdog;
every process it starts is stopped at the end.
"""
import argparse
import hashlib
import http.client as httpclient
import json
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_lib import (HERE, REPO_ROOT, E2EError, Procs, free_port, http, install_signal_cleanup,  # noqa: E402
                     make_delivery, pull_request_fields, resolve_bin, run, sign, tail, wait_listening, wait_until)

SECRET = "bench-secret-0d6f1c"
WATCHDOG_S = 180
P99_GATE_MS = 50.0


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def build_deliveries(secret_file, clone_url, count, pulls):
    templates = []
    for action, index in (("opened", 0), ("opened", 1), ("synchronize", 0), ("reopened", 0)):
        fields = pull_request_fields("octo", "demo", 5001, clone_url, 1, "0" * 40, "1" * 40, "feature")
        _, body = make_delivery(secret_file, "pull_request", action, fields, index=index)
        templates.append((action, json.loads(body)))
    out = []
    for i in range(count):
        action, t = templates[i % len(templates)]
        p = json.loads(json.dumps(t))
        n = 1 + i % pulls
        head = hashlib.sha1(b"head-%d" % i).hexdigest()
        p["number"] = n
        p["pull_request"]["number"] = n
        p["pull_request"]["head"]["sha"] = head
        if action == "synchronize":
            p["after"] = head
        body = json.dumps(p, separators=(",", ":")).encode()
        did = str(uuid.uuid4())
        headers = {"Content-Type": "application/json", "User-Agent": "GitHub-Hookshot/8f7c3a1",
                   "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": did, "X-GitHub-Hook-ID": "400000001",
                   "X-GitHub-Hook-Installation-Target-Type": "integration",
                   "X-GitHub-Hook-Installation-Target-ID": "12345", "X-Hub-Signature-256": sign(SECRET, body)}
        out.append((did, headers, body))
    return out


def worker(port, items, results, deadline):
    conn = None
    for did, headers, body in items:
        if time.monotonic() > deadline:
            results.append((did, -1, 0.0, "time limit"))
            continue
        for attempt in range(2):
            if conn is None:
                conn = httpclient.HTTPConnection("127.0.0.1", port, timeout=10)
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/webhook", body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                dt = time.perf_counter() - t0
                outcome = ""
                try:
                    outcome = json.loads(data).get("outcome", "")
                except ValueError:
                    pass
                results.append((did, r.status, dt, outcome))
                if r.will_close:
                    conn.close()
                    conn = None
                break
            except (httpclient.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                # the server closed an idle keep-alive connection before this request: reconnect once
                conn.close()
                conn = None
                if attempt == 1:
                    results.append((did, 0, time.perf_counter() - t0, type(e).__name__))
            except OSError as e:
                conn.close()
                conn = None
                results.append((did, 0, time.perf_counter() - t0, type(e).__name__))
                break
    if conn is not None:
        conn.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(REPO_ROOT, "build", "lockspan"))
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--pulls", type=int, default=200, help="distinct pull request numbers")
    ap.add_argument("--time-limit", type=float, default=120.0, help="seconds for the sending phase")
    ap.add_argument("--workers", default="1", help="LOCKSPAN_WORKERS of the dry run")
    ap.add_argument("--no-gate", action="store_true", help="report only")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    binary = resolve_bin(args.bin)
    if not os.access(binary, os.X_OK):
        print("webhook_bench: %s is not an executable" % binary, file=sys.stderr)
        return 2
    if args.count < 1 or args.connections < 1 or args.count > 100000 or args.connections > 500:
        print("webhook_bench: --count 1..100000, --connections 1..500", file=sys.stderr)
        return 2
    run([os.path.join(HERE, "setup.sh")], timeout=180)

    procs = Procs()
    tmp = tempfile.mkdtemp(prefix="lockspan-bench-")
    install_signal_cleanup(procs, lambda: None if args.keep else shutil.rmtree(tmp, ignore_errors=True))

    def watchdog(_s, _f):
        sys.stderr.write("webhook_bench: TIMEOUT after %d s\n" % WATCHDOG_S)
        procs.stop_all()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        os._exit(1)
    signal.signal(signal.SIGALRM, watchdog)
    signal.alarm(WATCHDOG_S)

    ok = False
    log = os.path.join(tmp, "service.log")
    try:
        gitdir = os.path.join(tmp, "git")
        os.makedirs(os.path.join(gitdir, "repos"))
        gitsrv = procs.start("git_server", [os.path.join(HERE, "git_server.sh"), gitdir, "0"],
                             os.path.join(tmp, "git.out"), os.path.join(tmp, "git.err"))
        git_port = wait_listening(gitsrv)
        clone_url = "http://127.0.0.1:%d/octo/does-not-exist.git" % git_port
        secret_file = os.path.join(tmp, "secret")
        with open(secret_file, "w") as f:
            f.write(SECRET)
        port = free_port()
        data = os.path.join(tmp, "data")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "LOCKSPAN_"))}
        env.update({"LOCKSPAN_LISTEN": "127.0.0.1:%d" % port, "LOCKSPAN_DATA_DIR": data,
                    "LOCKSPAN_PUBLIC_URL": "http://127.0.0.1:%d" % port, "GITHUB_WEBHOOK_SECRET_FILE": secret_file,
                    "LOCKSPAN_WORKERS": args.workers, "LOCKSPAN_ANALYSIS_TIMEOUT": "30",
                    "GITHUB_API_URL": "http://127.0.0.1:1"})
        service = procs.start("lockspan serve --dry-run", [binary, "serve", "--dry-run"], log, log, env=env)

        def up():
            if not service.alive():
                raise E2EError("lockspan serve exited:\n" + tail(log))
            try:
                return http("GET", port, "/healthz", timeout=2)[0] == 200
            except OSError:
                return False
        wait_until(up, 20, "lockspan serve --dry-run to answer /healthz", 0.05)

        deliveries = build_deliveries(secret_file, clone_url, args.count, args.pulls)
        per_thread = [deliveries[k::args.connections] for k in range(args.connections)]
        results = []  # list.append is atomic
        deadline = time.monotonic() + args.time_limit
        threads = [threading.Thread(target=worker, args=(port, items, results, deadline), daemon=True)
                   for items in per_thread]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1.0, deadline - time.monotonic() + 15))
        wall = time.perf_counter() - t0
        if any(t.is_alive() for t in threads):
            raise E2EError("sender threads still running after the time limit")

        accepted = [r for r in results if r[1] == 202 and r[3] == "queued"]
        others = {}
        for r in results:
            if not (r[1] == 202 and r[3] == "queued"):
                others[(r[1], r[3])] = others.get((r[1], r[3]), 0) + 1
        lat = sorted(r[2] * 1000.0 for r in results if r[1] > 0)
        p50, p90, p99 = percentile(lat, 50), percentile(lat, 90), percentile(lat, 99)
        mx = lat[-1] if lat else float("nan")
        print("deliveries sent:     %d over %d keep-alive connections" % (len(results), args.connections))
        print("accepted (202):      %d%s" % (len(accepted), "" if not others else "  others: %s" % others))
        print("ack latency ms:      p50 %.2f  p90 %.2f  p99 %.2f  max %.2f" % (p50, p90, p99, mx))
        print("throughput:          %.0f deliveries/s (%.2f s wall)" % (len(results) / wall, wall))

        # every accepted delivery is durably in the queue
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data, "lockspan.db"), uri=True, timeout=10)
        try:
            stored = {row[0]: row[1] for row in db.execute("SELECT delivery_id, job_id FROM deliveries")}
            jobs = {row[0] for row in db.execute("SELECT delivery_id FROM jobs")}
            rows = db.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0]
        finally:
            db.close()
        missing = [r[0] for r in accepted if r[0] not in stored]
        jobless = [r[0] for r in accepted if r[0] in stored and (stored[r[0]] is None or r[0] not in jobs)]
        print("stored in queue:     %d deliveries rows; accepted missing: %d; accepted without job: %d"
              % (rows, len(missing), len(jobless)))
        _, _, readyz = http("GET", port, "/readyz")
        print("queue now:           %s" % json.loads(readyz)["queue"])

        gates = [("all %d deliveries accepted" % args.count, len(accepted) == args.count),
                 ("p99 %.2f ms < %.0f ms" % (p99, P99_GATE_MS), p99 < P99_GATE_MS),
                 ("every accepted delivery stored with its job", not missing and not jobless)]
        for what, good in gates:
            print("%s %s" % ("PASS" if good else "FAIL", what))
        ok = all(g for _, g in gates)
        if not service.alive():
            print("FAIL the service exited during the run:\n" + tail(log))
            ok = False
    except E2EError as e:
        print("webhook_bench: %s" % e)
        print(tail(log))
        ok = False
    finally:
        signal.alarm(0)
        procs.stop_all()
        if args.keep:
            print("kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.no_gate:
        print("gate not applied (--no-gate): %s" % ("would pass" if ok else "would fail"))
        return 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
