#!/usr/bin/env python3
"""End-to-end tests of `lockspan serve` against real processes on 127.0.0.1:
fake_github.mjs (REST API), git_server.sh (lighttpd + git http-backend, token Basic auth)
and the real lockspan binary with its own data dir and 2 workers.

    python3 tests/e2e/service_e2e.py --bin build/lockspan [-v] [--keep]

Prints a final line "N passed, N failed"; exits 1 when anything failed. Bounded: every
wait has a timeout and a watchdog ends the suite after 230 s. Every process it starts
is stopped at the end, also on failure, timeout or SIGINT/SIGTERM.
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import time
import unittest
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_lib import (APP_ID, HERE, INSTALLATION_ID, REPO_ROOT, E2EError, GitWork, Procs,  # noqa: E402
                     SniffProxy, free_port, http, http_json, install_signal_cleanup, make_delivery, make_keys,
                     pull_request_fields, repo_fields, resolve_bin, run, sign, tail, wait_listening, wait_until)

OWNER, NAME, REPO_ID = "octo", "demo", 5001
FULL = OWNER + "/" + NAME
SECRET = "e2e-webhook-secret: It's a Secret to Everybody 5c1e"
SUITE_TIMEOUT = 230
JOB_TIMEOUT = 60
DEMO = os.path.join(REPO_ROOT, "examples", "demo")
RULE_URL_PATH = "/guidance/lock-across-suspend"

ARGS = None
W = None  # the World, built by setUpModule


def marker(fp):
    return "<!-- lockspan:fingerprint=%s -->" % fp


class World:
    """The processes, the served repository and helpers to look at them."""

    def __init__(self, binary, keep):
        self.binary = binary
        self.keep = keep
        self.procs = Procs()
        self.tmp = tempfile.mkdtemp(prefix="lockspan-e2e-")
        install_signal_cleanup(self.procs, lambda: None if keep else shutil.rmtree(self.tmp, ignore_errors=True))
        self.gitdir = os.path.join(self.tmp, "git")
        self.data = os.path.join(self.tmp, "data")
        self.log = os.path.join(self.tmp, "service.log")
        os.makedirs(os.path.join(self.gitdir, "repos", OWNER))
        self.key, self.pub = make_keys(self.tmp)
        self.secret_file = os.path.join(self.tmp, "webhook_secret")
        with open(self.secret_file, "w") as f:
            f.write(SECRET + "\n")
        self.service = None
        self.git_proxy = None
        self.heads = {}      # pull number -> head sha
        self.first_delivery = None
        self.seen_tokens = set()

    # ------------------------------------------------------------ setup
    def start(self):
        fake = self.procs.start("fake_github", ["node", os.path.join(HERE, "fake_github.mjs"), "--port", "0",
                                                "--state-dir", self.gitdir, "--app-id", APP_ID,
                                                "--public-key", self.pub],
                                os.path.join(self.tmp, "fake.out"), os.path.join(self.tmp, "fake.err"))
        gitsrv = self.procs.start("git_server", [os.path.join(HERE, "git_server.sh"), self.gitdir, "0"],
                                  os.path.join(self.tmp, "git.out"), os.path.join(self.tmp, "git.err"))
        self.api_port = wait_listening(fake)
        self.git_port = wait_listening(gitsrv)
        # git traffic goes through a relay that records the Authorization headers it carries
        self.git_proxy = SniffProxy(self.git_port)
        self.clone_url = "http://127.0.0.1:%d/%s/%s.git" % (self.git_proxy.port, OWNER, NAME)
        self.build_repo()
        self.seed()
        self.port = free_port()
        self.public_url = "http://127.0.0.1:%d" % self.port
        self.start_service()

    def build_repo(self):
        self.bare = os.path.join(self.gitdir, "repos", OWNER, NAME + ".git")
        self.work = GitWork(os.path.join(self.tmp, "work"), self.bare, os.path.join(self.tmp, "home"))
        self.work.overlay(os.path.join(DEMO, "base"))
        self.base = self.work.commit("base")
        self.work.git("checkout", "-q", "-b", "feature")
        self.work.overlay(os.path.join(DEMO, "head"))
        self.heads[1] = self.work.commit("head: refresh and record_refresh")
        self.work.push("main", "feature", "feature:refs/pull/1/head")

    def new_pull_head(self, number, note):
        """A fresh branch from main with the demo head plus a distinct line, pushed as refs/pull/N/head."""
        w = self.work
        w.git("checkout", "-q", "-B", "feature%d" % number, "main")
        w.overlay(os.path.join(DEMO, "head"))
        w.write("src/session_service.cpp", "\n// %s\n" % note, append=True)
        sha = w.commit(note)
        w.push("feature%d" % number, "feature%d:refs/pull/%d/head" % (number, number))
        self.heads[number] = sha
        self.seed_pull(number, sha, "feature%d" % number)
        return sha

    def seed(self):
        http_json("POST", self.api_port, "/_control/seed", {
            "repos": [{"owner": OWNER, "name": NAME, "default_branch": "main", "clone_url": self.clone_url,
                       "git_dir": self.bare, "id": REPO_ID}],
            "installations": [{"id": INSTALLATION_ID, "repos": [FULL]}],
            "permissions": {"writer": "write", "reader": "read"}})
        self.seed_pull(1, self.heads[1], "feature")

    def seed_pull(self, number, head, head_ref):
        http_json("POST", self.api_port, "/_control/seed", {"pulls": [{
            "owner": OWNER, "name": NAME, "number": number, "head_sha": head, "base_sha": self.base,
            "head_ref": head_ref, "base_ref": "main", "user": "octocat"}]})

    def service_env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "LOCKSPAN_"))}
        env.update({
            "LOCKSPAN_LISTEN": "127.0.0.1:%d" % self.port,
            "LOCKSPAN_DATA_DIR": self.data,
            "LOCKSPAN_PUBLIC_URL": self.public_url,
            "GITHUB_API_URL": "http://127.0.0.1:%d" % self.api_port,
            "GITHUB_APP_ID": APP_ID,
            "GITHUB_APP_PRIVATE_KEY_FILE": self.key,
            "GITHUB_WEBHOOK_SECRET_FILE": self.secret_file,
            "LOCKSPAN_WORKERS": "2",
            "LOCKSPAN_ANALYSIS_TIMEOUT": "60",
            "LOCKSPAN_ANALYSIS_MEMORY_MB": "2048",
        })
        return env

    def start_service(self):
        self.service = self.procs.start("lockspan serve", [self.binary, "serve"], self.log, self.log,
                                        env=self.service_env(), append=True)

        def up():
            if not self.service.alive():
                raise E2EError("lockspan serve exited (rc %s):\n%s" % (self.service.popen.returncode, tail(self.log)))
            try:
                return http("GET", self.port, "/healthz", timeout=2)[0] == 200
            except OSError:
                return False
        wait_until(up, 20, "lockspan serve to answer /healthz", 0.05)

    def stop(self):
        self.collect_tokens()
        self.procs.stop_all()
        if self.git_proxy:
            self.git_proxy.close()
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------ looking
    def state(self):
        return http_json("GET", self.api_port, "/_control/state")

    def requests(self, method=None, path_regex=None, since=None):
        q = []
        if method:
            q.append("method=" + method)
        if path_regex:
            q.append("path_regex=" + urlquote(path_regex))
        if since is not None:
            q.append("since=%d" % since)
        return http_json("GET", self.api_port, "/_control/requests" + ("?" + "&".join(q) if q else ""))

    def last_seq(self):
        reqs = self.requests()
        return reqs[-1]["seq"] if reqs else 0

    def faults(self, rules):
        http_json("POST", self.api_port, "/_control/faults", {"rules": rules, "replace": True})

    def queue(self):
        status, _, body = http("GET", self.port, "/readyz")
        if status != 200:
            raise E2EError("/readyz answered %d: %s" % (status, body[:300]))
        return json.loads(body)["queue"]

    def jobs_total(self):
        return sum(self.queue().values())

    def metrics(self):
        status, _, body = http("GET", self.port, "/metrics")
        if status != 200:
            raise E2EError("/metrics answered %d" % status)
        out = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out, body.decode()

    def wait_idle(self, timeout=JOB_TIMEOUT):
        def idle():
            q = self.queue()
            return q.get("queued", 0) == 0 and q.get("running", 0) == 0
        wait_until(idle, timeout, "the job queue to drain", 0.1)

    def check_runs(self, head):
        return [c for c in self.state()["check_runs"] if c["head_sha"] == head]

    def reviews(self, number, st=None):
        st = st or self.state()
        return [r for r in st["reviews"] if r["repo_key"] == FULL and r["pull_number"] == number]

    def review_comments(self, review_id, st=None):
        st = st or self.state()
        return [c for c in st["comments"] if c["pull_request_review_id"] == review_id]

    def wait_check_completed(self, head, updates_more_than=0, timeout=JOB_TIMEOUT):
        def done():
            runs = self.check_runs(head)
            return runs and all(r["status"] == "completed" for r in runs) and \
                sum(len(r["updates"]) for r in runs) > updates_more_than
        wait_until(done, timeout, "a completed check run for %s" % head[:12], 0.1)
        self.wait_idle()

    def send(self, headers, body):
        status, _, data = http("POST", self.port, "/webhook", body, headers)
        try:
            answer = json.loads(data)
        except ValueError:
            answer = {"raw": data.decode(errors="replace")}
        return status, answer

    def deliver(self, event, action, fields, **kw):
        headers, body = make_delivery(self.secret_file, event, action, fields, **kw)
        status, answer = self.send(headers, body)
        return status, answer, headers, body

    def pr_fields(self, number, head=None, head_ref=None):
        return pull_request_fields(OWNER, NAME, REPO_ID, self.clone_url, number, head or self.heads[number],
                                   self.base, head_ref or ("feature" if number == 1 else "feature%d" % number))

    def expected_review(self, head):
        env = dict(os.environ, LOCKSPAN_PUBLIC_URL=self.public_url)
        out = run([self.binary, "review", "--repo", self.bare, "--base", self.base, "--head", head,
                   "--format", "json"], env=env, check=False)
        return json.loads(out)

    def collect_tokens(self):
        try:
            with open(os.path.join(self.gitdir, "users")) as f:
                for line in f:
                    if line.startswith("x-access-token:") and len(line.strip()) > 40:
                        self.seen_tokens.add(line.strip().split(":", 1)[1])
        except OSError:
            pass
        return self.seen_tokens


def urlquote(s):
    from urllib.parse import quote
    return quote(s, safe="")


def setUpModule():
    global W
    W = World(ARGS.bin, ARGS.keep)
    try:
        W.start()
    except BaseException:
        sys.stderr.write("setup failed; fake stderr:\n%s\nservice log:\n%s\n" % (
            tail(os.path.join(W.tmp, "fake.err")), tail(W.log)))
        W.stop()
        raise


def tearDownModule():
    if W:
        if ARGS.verbose:
            sys.stderr.write("--- service log (tail)\n%s\n" % tail(W.log, 60))
        W.stop()


class ServiceE2E(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        W.collect_tokens()

    def tearDown(self):
        W.collect_tokens()

    def ensure_pr1_reviewed(self):
        """Tests after test_01 build on its review of pull 1; when run alone (-k), make it here."""
        if W.first_delivery is not None:
            return
        status, answer, headers, body = W.deliver("pull_request", "opened", W.pr_fields(1))
        self.assertEqual(status, 202, answer)
        W.first_delivery = (headers, body)
        try:
            W.wait_check_completed(W.heads[1])
        except E2EError as e:
            self.fail_with_log(str(e))

    def fail_with_log(self, msg):
        self.fail("%s\n--- service log (tail):\n%s" % (msg, tail(W.log, 40)))

    # 1 ------------------------------------------------------------------------------------------
    def test_01_pull_request_opened(self):
        head = W.heads[1]
        status, answer, headers, body = W.deliver("pull_request", "opened", W.pr_fields(1))
        W.first_delivery = (headers, body)
        self.assertEqual((status, answer.get("outcome")), (202, "queued"), answer)
        try:
            W.wait_check_completed(head)
        except E2EError as e:
            self.fail_with_log(str(e))
        st = W.state()
        expected = W.expected_review(head)
        exp_comments = expected["review"]["comments"]
        self.assertEqual(sorted((c["path"], c["line"]) for c in exp_comments),
                         [("src/session_service.cpp", 20), ("src/session_service.cpp", 28)])

        # exactly one check run, completed/failure, annotations at the findings' lines
        runs = [c for c in st["check_runs"] if c["head_sha"] == head]
        self.assertEqual(len(runs), 1, runs)
        run_ = runs[0]
        self.assertEqual((run_["name"], run_["status"], run_["conclusion"]), ("lockspan", "completed", "failure"))
        self.assertEqual(sorted((a["path"], a["start_line"], a["annotation_level"]) for a in run_["annotations"]),
                         sorted((f["path"], f["line"], "failure") for f in expected["findings"]))

        # exactly one review: COMMENT at the head, the expected inline comments
        reviews = W.reviews(1, st)
        self.assertEqual(len(reviews), 1, reviews)
        review = reviews[0]
        self.assertEqual((review["state"], review["commit_id"]), ("COMMENTED", head))
        posts = W.requests("POST", r"/repos/octo/demo/pulls/1/reviews$")
        self.assertEqual([p["status"] for p in posts], [200])
        self.assertEqual(posts[0]["body"]["event"], "COMMENT")
        self.assertEqual(posts[0]["body"]["commit_id"], head)
        comments = W.review_comments(review["id"], st)
        self.assertEqual(sorted((c["path"], c["line"], c["side"]) for c in comments),
                         sorted((c["path"], c["line"], "RIGHT") for c in exp_comments))
        fps = {(f["path"], f["line"]): f["fingerprint"] for f in expected["findings"]}
        for c in comments:
            self.assertIn(W.public_url + RULE_URL_PATH, c["body"])
            self.assertIn(marker(fps[(c["path"], c["line"])]), c["body"])
        self.assertEqual(sorted(c["body"] for c in comments), sorted(c["body"] for c in exp_comments))

        # the installation token came from a JWT the fake verified
        tok = W.requests("POST", r"^/app/installations/42/access_tokens$")
        self.assertGreaterEqual(len(tok), 1)
        self.assertTrue(all(t["status"] == 201 and t["auth"] == "jwt" for t in tok), tok)
        api = [r for r in W.requests() if r["path"].startswith("/repos/")]
        self.assertTrue(api and all(r["auth"] == "token" for r in api), [(r["path"], r["auth"]) for r in api])

        # git fetched with an issued installation token over Basic auth (seen on the wire by the
        # relay; the git server refuses anything else), never with the token in the URL, the
        # commit is in the service's cache, and no token is written into the cache
        status, _, _ = http("GET", W.git_port, "/octo/demo.git/info/refs?service=git-upload-pack")
        self.assertEqual(status, 401)
        cache = os.path.join(W.data, "repos", OWNER, NAME + ".git")
        self.assertTrue(os.path.isdir(cache), "no repository cache at " + cache)
        run(["git", "--git-dir", cache, "cat-file", "-e", head + "^{commit}"])
        tokens = W.collect_tokens()
        self.assertTrue(tokens, "the fake issued no token")
        basics = [a for a in W.git_proxy.authorizations if a.lower().startswith("basic ")]
        creds = {base64.b64decode(a.split(None, 1)[1]).decode() for a in basics}
        self.assertTrue(creds, "the fetch sent no Basic credentials: %s" % W.git_proxy.authorizations)
        self.assertTrue(all(c.startswith("x-access-token:") and c.split(":", 1)[1] in tokens for c in creds),
                        "Basic credentials that are not an issued installation token")
        self.assertTrue(any("git-upload-pack" in line for line in W.git_proxy.request_lines), W.git_proxy.request_lines)
        for line in W.git_proxy.request_lines:
            for t in tokens:
                self.assertNotIn(t[:40], line, "token in a request line")
        for root, _, files in os.walk(os.path.join(W.data, "repos")):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    data = f.read()
                for t in tokens:
                    self.assertNotIn(t.encode(), data, "token found in " + os.path.join(root, name))
                    self.assertNotIn(t[:40].encode(), data)

    # 2 ------------------------------------------------------------------------------------------
    def test_02_synchronize_posts_only_the_new_comment(self):
        self.ensure_pr1_reviewed()
        old_head = W.heads[1]
        W.work.git("checkout", "-q", "feature")
        W.work.write("src/session_service.cpp", (
            "\n// New in the second push: bookkeeping that still awaits under the lock.\n"
            "demo::Task<void> record_twice() {\n"
            "  std::lock_guard<std::mutex> guard(stats_mu);\n"
            "  refreshed += 2;\n"
            "  co_await demo::publish(static_cast<int>(refreshed));\n"
            "}\n"), append=True)
        head = W.work.commit("second push: record_twice")
        W.work.push("feature", "feature:refs/pull/1/head")
        W.heads[1] = head
        W.seed_pull(1, head, "feature")
        before = len(W.reviews(1))
        fields = W.pr_fields(1)
        fields.update({"before": old_head, "after": head})
        status, answer, _, _ = W.deliver("pull_request", "synchronize", fields)
        self.assertEqual((status, answer.get("outcome")), (202, "queued"), answer)
        try:
            W.wait_check_completed(head)
        except E2EError as e:
            self.fail_with_log(str(e))
        st = W.state()
        # the appended function moves no earlier line: the new finding is the one at a new line
        old_lines = {(c["path"], c["line"]) for c in W.expected_review(old_head)["review"]["comments"]}
        expected = W.expected_review(head)
        new = [c for c in expected["review"]["comments"] if (c["path"], c["line"]) not in old_lines]
        self.assertEqual([(c["path"], c["line"]) for c in new], [("src/session_service.cpp", 45)])
        reviews = W.reviews(1, st)
        self.assertEqual(len(reviews), before + 1)
        second = reviews[-1]
        self.assertEqual((second["state"], second["commit_id"]), ("COMMENTED", head))
        comments = W.review_comments(second["id"], st)
        self.assertEqual([(c["path"], c["line"]) for c in comments], [(c["path"], c["line"]) for c in new],
                         "the second review must carry only the new finding")
        self.assertEqual([c["body"] for c in comments], [c["body"] for c in new])
        runs = [c for c in st["check_runs"] if c["head_sha"] == head]
        self.assertEqual([(r["status"], r["conclusion"]) for r in runs], [("completed", "failure")])
        self.assertEqual(len(runs[0]["annotations"]), 3)

    # 3 ------------------------------------------------------------------------------------------
    def test_03_rejected_deliveries_create_no_job(self):
        self.ensure_pr1_reviewed()
        W.wait_idle()
        jobs_before = W.queue()
        m_before, _ = W.metrics()
        reviews_before = len(W.state()["reviews"])

        # bad signature: 401, and the delivery id is not burned by it
        headers, body = make_delivery(W.secret_file, "pull_request", "labeled", W.pr_fields(1))
        forged = dict(headers, **{"X-Hub-Signature-256": sign("not the secret", body)})
        self.assertEqual(W.send(forged, body)[0], 401)
        unsigned = {k: v for k, v in headers.items() if not k.startswith("X-Hub-Signature")}
        self.assertEqual(W.send(unsigned, body)[0], 401)
        tampered = body.replace(b'"labeled"', b'"opened"', 1)
        self.assertEqual(W.send(headers, tampered)[0], 401)
        status, answer = W.send(headers, body)
        self.assertEqual((status, answer.get("outcome")), (202, "ignored"), answer)

        # replayed X-GitHub-Delivery of the opened delivery: 200 duplicate
        status, answer = W.send(*W.first_delivery)
        self.assertEqual((status, answer.get("outcome")), (200, "duplicate"), answer)

        # over 25 MB: 413, streamed (bounded in time)
        t0 = time.monotonic()
        status = send_oversized(W.port, 25 * 1024 * 1024 + 4096, headers)
        elapsed = time.monotonic() - t0
        self.assertEqual(status, 413)
        self.assertLess(elapsed, 15)
        # the same in chunks, where no length tells up front: refused (411/413), not buffered
        t0 = time.monotonic()
        status = send_oversized(W.port, 40 * 1024 * 1024, headers, chunked=True)
        self.assertIn(status, (411, 413))
        self.assertLess(time.monotonic() - t0, 15)

        # malformed JSON with a valid signature: 400
        bad = b'{"action": "opened", "number": 1, "pull_request": {'
        mh = dict(headers, **{"X-GitHub-Delivery": str(uuid.uuid4()), "X-Hub-Signature-256": sign(SECRET, bad)})
        status, answer = W.send(mh, bad)
        self.assertEqual((status, answer.get("outcome")), (400, "rejected:malformed-json"), answer)
        # a JSON array is not a payload either
        arr = b"[1, 2, 3]"
        mh = dict(mh, **{"X-GitHub-Delivery": str(uuid.uuid4()), "X-Hub-Signature-256": sign(SECRET, arr)})
        self.assertEqual(W.send(mh, arr)[0], 400)

        time.sleep(0.5)
        self.assertEqual(W.queue(), jobs_before)
        m_after, _ = W.metrics()
        delta = lambda k: m_after.get(k, 0) - m_before.get(k, 0)  # noqa: E731
        self.assertEqual(delta('lockspan_deliveries_total{event="pull_request",outcome="rejected"}'), 5)
        self.assertEqual(delta('lockspan_deliveries_total{event="pull_request",outcome="duplicate"}'), 1)
        self.assertEqual(delta('lockspan_deliveries_total{event="pull_request",outcome="ignored"}'), 1)
        self.assertEqual(len(W.state()["reviews"]), reviews_before)
        self.assertTrue(W.service.alive())

    # 4 ------------------------------------------------------------------------------------------
    def rerun_comment(self, user, comment_id):
        fields = repo_fields(OWNER, NAME, REPO_ID, W.clone_url)
        fields.update({"issue.number": 1, "comment.id": comment_id, "comment.user.login": user,
                       "comment.body": "Could you look again?\n/lockspan rerun\n", "sender.login": user})
        status, answer, _, _ = W.deliver("issue_comment", "created", fields, pr_comment=True)
        self.assertEqual((status, answer.get("outcome")), (202, "queued"), answer)

    def test_04_rerun_comment_needs_write_access(self):
        self.ensure_pr1_reviewed()
        head = W.heads[1]
        W.wait_idle()
        st = W.state()
        reviews_before = len(W.reviews(1, st))
        updates_before = sum(len(r["updates"]) for r in st["check_runs"])
        runs_before = len(st["check_runs"])
        seq = W.last_seq()

        # reader: refused with a -1 reaction and a reply, nothing else
        self.rerun_comment("reader", 880001)
        try:
            wait_until(lambda: any(r["comment_id"] == 880001 for r in W.state()["reactions"]), JOB_TIMEOUT,
                       "a reaction to the reader's comment")
            W.wait_idle()
        except E2EError as e:
            self.fail_with_log(str(e))
        st = W.state()
        self.assertEqual([r["content"] for r in st["reactions"] if r["comment_id"] == 880001], ["-1"])
        replies = [c for c in st["issue_comments"] if c["issue_number"] == 1 and "@reader" in c["body"]]
        self.assertEqual(len(replies), 1, st["issue_comments"])
        self.assertEqual(len(W.reviews(1, st)), reviews_before)
        self.assertEqual(len(st["check_runs"]), runs_before)
        self.assertEqual(sum(len(r["updates"]) for r in st["check_runs"]), updates_before)
        self.assertEqual(W.requests("POST", r"/reviews$", since=seq), [])
        self.assertEqual(W.requests("PATCH", r"/check-runs/", since=seq), [])

        # writer: +1 and the check run of the head is updated again, no duplicate review
        updates_before = sum(len(r["updates"]) for r in W.check_runs(head))
        self.rerun_comment("writer", 880002)
        try:
            W.wait_check_completed(head, updates_more_than=updates_before)
        except E2EError as e:
            self.fail_with_log(str(e))
        st = W.state()
        self.assertEqual([r["content"] for r in st["reactions"] if r["comment_id"] == 880002], ["+1"])
        self.assertEqual([c for c in st["issue_comments"] if "@writer" in c["body"]], [])
        runs = [c for c in st["check_runs"] if c["head_sha"] == head]
        self.assertEqual(len(runs), 1)
        self.assertGreater(len(runs[0]["updates"]), updates_before)
        self.assertEqual((runs[0]["status"], runs[0]["conclusion"]), ("completed", "failure"))
        self.assertEqual(len(W.reviews(1, st)), reviews_before)
        self.assertEqual(W.requests("POST", r"/reviews$", since=seq), [])

    # 5 ------------------------------------------------------------------------------------------
    def test_05_check_run_rerequested(self):
        self.ensure_pr1_reviewed()
        head = W.heads[1]
        W.wait_idle()
        runs = W.check_runs(head)
        self.assertEqual(len(runs), 1)
        updates_before = len(runs[0]["updates"])
        reviews_before = [r["id"] for r in W.reviews(1)]
        seq = W.last_seq()
        fields = repo_fields(OWNER, NAME, REPO_ID, W.clone_url)
        pr_ref = {"id": 1, "number": 1, "url": "http://127.0.0.1/repos/octo/demo/pulls/1",
                  "head": {"ref": "feature", "sha": head,
                           "repo": {"id": REPO_ID, "url": "http://127.0.0.1/repos/octo/demo", "name": NAME}},
                  "base": {"ref": "main", "sha": W.base,
                           "repo": {"id": REPO_ID, "url": "http://127.0.0.1/repos/octo/demo", "name": NAME}}}
        fields.update({"check_run.id": runs[0]["id"], "check_run.head_sha": head, "check_run.name": "lockspan",
                       "check_run.external_id": "pr:1", "check_run.pull_requests": [pr_ref],
                       "check_run.check_suite.head_sha": head})
        status, answer, _, _ = W.deliver("check_run", "rerequested", fields)
        self.assertEqual((status, answer.get("outcome")), (202, "queued"), answer)
        try:
            W.wait_check_completed(head, updates_more_than=updates_before)
        except E2EError as e:
            self.fail_with_log(str(e))
        runs = W.check_runs(head)
        self.assertEqual(len(runs), 1)
        self.assertGreater(len(runs[0]["updates"]), updates_before)
        self.assertEqual((runs[0]["status"], runs[0]["conclusion"]), ("completed", "failure"))
        self.assertTrue(W.requests("PATCH", r"/check-runs/%d$" % runs[0]["id"], since=seq))
        self.assertEqual([r["id"] for r in W.reviews(1)], reviews_before)
        self.assertEqual(W.requests("POST", r"/reviews$", since=seq), [])

    # 6 ------------------------------------------------------------------------------------------
    def test_06_github_failures_and_rate_limits(self):
        W.wait_idle()
        head = W.new_pull_head(2, "pull request 2")
        W.faults([
            {"method": "POST", "path_regex": r"^/repos/octo/demo/pulls/2/reviews$", "status": 500, "count": 1},
            {"method": "POST", "path_regex": r"^/repos/octo/demo/pulls/2/reviews$", "status": 429, "retry_after": 1,
             "count": 1},
            {"method": "POST", "path_regex": r"^/repos/octo/demo/check-runs$", "status": 502, "count": 1},
        ])
        seq = W.last_seq()
        status, answer, _, _ = W.deliver("pull_request", "opened", W.pr_fields(2))
        self.assertEqual((status, answer.get("outcome")), (202, "queued"), answer)
        try:
            W.wait_check_completed(head, timeout=90)
        except E2EError as e:
            self.fail_with_log(str(e))
        finally:
            W.faults([])
        st = W.state()
        reviews = W.reviews(2, st)
        self.assertEqual(len(reviews), 1, reviews)
        self.assertEqual(reviews[0]["commit_id"], head)
        self.assertEqual(len(W.review_comments(reviews[0]["id"], st)), 2)
        runs = [c for c in st["check_runs"] if c["head_sha"] == head]
        self.assertEqual([(r["status"], r["conclusion"]) for r in runs], [("completed", "failure")])
        self.assertEqual([r["status"] for r in W.requests("POST", r"/pulls/2/reviews$", since=seq)], [500, 429, 200])
        self.assertEqual([r["status"] for r in W.requests("POST", r"/check-runs$", since=seq)], [502, 201])
        m, _ = W.metrics()
        self.assertGreaterEqual(m.get('lockspan_github_requests_total{method="POST",status="429"}', 0), 1)
        self.assertGreaterEqual(m.get('lockspan_github_requests_total{method="POST",status="500"}', 0), 1)
        self.assertGreaterEqual(m.get('lockspan_github_requests_total{method="POST",status="502"}', 0), 1)

    # 6b -----------------------------------------------------------------------------------------
    def test_06b_review_rejected_with_422_is_posted_again(self):
        # GitHub rejects a whole review with 422 when one anchor is off; the service checks the
        # anchors against the pull request's files and posts again, never losing the review.
        W.wait_idle()
        head = W.new_pull_head(4, "pull request 4")
        W.faults([{"method": "POST", "path_regex": r"^/repos/octo/demo/pulls/4/reviews$", "status": 422, "count": 1}])
        seq = W.last_seq()
        status, answer, _, _ = W.deliver("pull_request", "opened", W.pr_fields(4))
        self.assertEqual((status, answer.get("outcome")), (202, "queued"), answer)
        try:
            W.wait_check_completed(head, timeout=90)
        except E2EError as e:
            self.fail_with_log(str(e))
        finally:
            W.faults([])
        st = W.state()
        reviews = W.reviews(4, st)
        self.assertEqual(len(reviews), 1, reviews)
        self.assertEqual([r["status"] for r in W.requests("POST", r"/pulls/4/reviews$", since=seq)], [422, 200])
        self.assertTrue(W.requests("GET", r"/pulls/4/files", since=seq), "the anchors were checked against the files")
        self.assertEqual(len(W.review_comments(reviews[0]["id"], st)), 2)

    # 7 ------------------------------------------------------------------------------------------
    def test_07_kill_during_a_job(self):
        W.wait_idle()
        head = W.new_pull_head(3, "pull request 3")
        W.faults([{"method": "GET", "path_regex": r"^/repos/octo/demo/pulls/3/comments$", "delay_ms": 4000,
                   "count": 1}])
        status, answer, _, _ = W.deliver("pull_request", "opened", W.pr_fields(3))
        self.assertEqual((status, answer.get("outcome")), (202, "queued"), answer)
        try:
            wait_until(lambda: W.requests("GET", r"/pulls/3/comments"), JOB_TIMEOUT,
                       "the slow GET of pull 3's comments")
        except E2EError as e:
            self.fail_with_log(str(e))
        time.sleep(0.3)
        self.assertEqual(W.queue().get("running"), 1)
        W.procs.kill9(W.service)
        self.assertEqual(W.service.popen.returncode, -signal.SIGKILL)
        self.assertEqual(W.reviews(3), [])
        W.faults([])
        W.start_service()
        try:
            wait_until(lambda: W.reviews(3), JOB_TIMEOUT, "the review of pull 3 after the restart")
            W.wait_check_completed(head)
        except E2EError as e:
            self.fail_with_log(str(e))
        time.sleep(1.0)  # anything that would post twice has had its chance
        st = W.state()
        reviews = W.reviews(3, st)
        self.assertEqual(len(reviews), 1, reviews)
        self.assertEqual(reviews[0]["commit_id"], head)
        runs = [c for c in st["check_runs"] if c["head_sha"] == head]
        self.assertEqual([(r["status"], r["conclusion"]) for r in runs], [("completed", "failure")])
        q = W.queue()
        self.assertEqual((q["queued"], q["running"], q["failed"]), (0, 0, 0), q)

    # 9 ------------------------------------------------------------------------------------------
    def test_09_health_metrics_guidance(self):
        # /metrics shows a family only once it has a sample since the (re)start: when this test
        # runs alone, a job first; in the suite, test_07's restart was followed by one
        self.ensure_pr1_reviewed()
        status, answer, _, _ = W.deliver("ping", None, repo_fields(OWNER, NAME, REPO_ID, W.clone_url))
        self.assertEqual((status, answer.get("outcome")), (202, "ignored"), answer)
        status, _, body = http("GET", W.port, "/healthz")
        self.assertEqual(status, 200)
        status, headers, body = http("GET", W.port, "/readyz")
        self.assertEqual(status, 200)
        ready = json.loads(body)
        self.assertTrue(ready["database_writable"])
        self.assertEqual(set(ready["queue"]), {"queued", "running", "done", "failed", "superseded"})
        self.assertTrue(all(isinstance(v, int) for v in ready["queue"].values()))
        m, text = W.metrics()
        for name, kind in [("lockspan_deliveries_total", "counter"), ("lockspan_jobs", "gauge"),
                           ("lockspan_job_duration_seconds", "histogram"),
                           ("lockspan_github_requests_total", "counter"),
                           ("lockspan_github_ratelimit_remaining", "gauge")]:
            self.assertIn("# TYPE %s %s" % (name, kind), text)
            self.assertTrue(any(k == name or k.startswith(name + "{") or k.startswith(name + "_") for k in m),
                            "no sample of " + name)
        self.assertIn('lockspan_jobs{state="done"}', m)
        self.assertGreater(m['lockspan_jobs{state="done"}'], 0)
        self.assertGreater(m.get("lockspan_job_duration_seconds_count", 0), 0)
        self.assertGreater(m["lockspan_github_ratelimit_remaining"], 0)
        status, headers, body = http("GET", W.port, RULE_URL_PATH)
        self.assertEqual(status, 200)
        self.assertTrue(headers.get("content-type", "").startswith("text/html"), headers)
        self.assertIn(b"<html", body.lower())
        self.assertEqual(http("GET", W.port, "/guidance/no-such-rule")[0], 404)

    # 8 (last: covers the whole run) ---------------------------------------------------------------
    def test_99_no_secret_in_logs(self):
        self.ensure_pr1_reviewed()
        with open(W.log, "rb") as f:
            log = f.read()
        self.assertIn(b"listening", log)
        self.assertNotIn(SECRET.encode(), log)
        with open(W.key, "rb") as f:
            pem = f.read()
        self.assertNotIn(pem.strip(), log)
        for line in pem.splitlines():
            if len(line) >= 16 and not line.startswith(b"-----"):
                self.assertNotIn(line, log, "a private key line is in the log")
        tokens = W.collect_tokens()
        self.assertTrue(tokens)
        for t in tokens:
            self.assertNotIn(t.encode(), log, "an installation token is in the log")
            for part in t.split("."):
                if len(part) >= 32:
                    self.assertNotIn(part.encode(), log, "part of an installation token is in the log")
        jwt = re.search(rb"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}", log)
        self.assertIsNone(jwt, "a JWT is in the log")
        self.assertNotIn(b"Bearer ", log)
        self.assertNotIn(b"x-access-token:", log)


def send_oversized(port, size, headers, chunked=False):
    """POSTs `size` bytes to /webhook as fast as the socket takes them (with Content-Length, or
    in 1 MiB chunks); -> the HTTP status (0: none)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    try:
        head = "POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        for k in ("X-GitHub-Event", "X-GitHub-Delivery", "X-Hub-Signature-256"):
            head += "%s: %s\r\n" % (k, headers[k] if k != "X-GitHub-Delivery" else uuid.uuid4())
        if chunked:
            head += "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        else:
            head += "Content-Length: %d\r\nConnection: close\r\n\r\n" % size
        s.sendall(head.encode())
        chunk = b"[" + b" " * (1024 * 1024 - 1)
        sent = 0
        try:
            while sent < size:
                n = min(len(chunk), size - sent)
                s.sendall(b"%x\r\n%s\r\n" % (n, chunk[:n]) if chunked else chunk[:n])
                sent += n
            if chunked:
                s.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while b"\r\n" not in data:
                more = s.recv(4096)
                if not more:
                    break
                data += more
        except (ConnectionResetError, socket.timeout):
            pass
        m = re.match(rb"HTTP/1\.[01] (\d{3})", data)
        return int(m.group(1)) if m else 0
    finally:
        s.close()


class CountingResult(unittest.TextTestResult):
    current = None

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        CountingResult.current = self
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def main():
    global ARGS
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin", default=os.path.join(REPO_ROOT, "build", "lockspan"))
    p.add_argument("--keep", action="store_true", help="keep the temporary directory")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("-k", dest="patterns", action="append", help="only tests whose name contains this")
    ARGS = p.parse_args()
    ARGS.bin = resolve_bin(ARGS.bin)
    if not os.access(ARGS.bin, os.X_OK):
        print("service_e2e: %s is not an executable" % ARGS.bin, file=sys.stderr)
        print("0 passed, 1 failed")
        return 2
    run([os.path.join(HERE, "setup.sh")], timeout=180)

    def watchdog(_sig, _frame):
        r = CountingResult.current
        passed = r.passed if r else 0
        failed = (len(r.failures) + len(r.errors)) if r else 0
        sys.stderr.write("service_e2e: TIMEOUT after %d s\n" % SUITE_TIMEOUT)
        if W:
            sys.stderr.write("--- service log (tail)\n%s\n" % tail(W.log, 40))
            W.stop()
        print("%d passed, %d failed" % (passed, failed + 1), flush=True)
        os._exit(1)
    signal.signal(signal.SIGALRM, watchdog)
    signal.alarm(SUITE_TIMEOUT)

    loader = unittest.TestLoader()
    if ARGS.patterns:
        loader.testNamePatterns = ["*%s*" % k for k in ARGS.patterns]
    suite = loader.loadTestsFromModule(sys.modules[__name__])
    runner = unittest.TextTestRunner(verbosity=2, resultclass=CountingResult, stream=sys.stdout)
    t0 = time.monotonic()
    result = runner.run(suite)
    signal.alarm(0)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = max(0, result.testsRun - failed - len(result.skipped))
    print("suite took %.1f s" % (time.monotonic() - t0))
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 0 if failed == 0 and result.testsRun > 0 and not result.skipped else 1


if __name__ == "__main__":
    sys.exit(main())
