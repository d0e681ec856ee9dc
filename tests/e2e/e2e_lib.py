"""Helpers shared by service_e2e.py and webhook_bench.py (python3 stdlib only).

Everything listens on 127.0.0.1. Every process started through Procs is in its own
process group and is stopped (SIGTERM to the group, then SIGKILL) by Procs.stop_all(),
which also runs at interpreter exit and on SIGTERM/SIGINT.
"""
import atexit
import hashlib
import hmac
import http.client as httpclient
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
APP_ID = "12345"
INSTALLATION_ID = 42


class E2EError(Exception):
    pass


# ------------------------------------------------------------------ processes
class Proc:
    def __init__(self, name, popen, out_path, err_path):
        self.name, self.popen, self.out_path, self.err_path = name, popen, out_path, err_path

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None


class Procs:
    def __init__(self):
        self.procs = []
        atexit.register(self.stop_all)

    def start(self, name, argv, out_path, err_path=None, env=None, cwd=None, append=False):
        mode = "ab" if append else "wb"
        out = open(out_path, mode)
        err = open(err_path, mode) if err_path and err_path != out_path else out
        try:
            p = subprocess.Popen(argv, stdout=out, stderr=err if err_path else subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True)
        finally:
            out.close()
            if err is not out:
                err.close()
        proc = Proc(name, p, out_path, err_path or out_path)
        self.procs.append(proc)
        return proc

    def kill9(self, proc):
        """SIGKILL the process itself (not its group: an analysis child may outlive it, as in a crash)."""
        if proc.alive():
            os.kill(proc.pid, signal.SIGKILL)
        proc.popen.wait(timeout=10)

    def stop(self, proc, grace=5.0):
        if proc.popen.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left in the group (the process itself or its children).
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        return proc.popen.returncode

    def stop_all(self):
        for proc in reversed(self.procs):
            self.stop(proc, grace=3.0)
        self.procs = []


def install_signal_cleanup(procs, also=None):
    def handler(signum, _frame):
        procs.stop_all()
        if also:
            also()
        sys.stderr.write("interrupted by signal %d\n" % signum)
        os._exit(128 + signum)
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def resolve_bin(path):
    """--bin as given (relative to the current directory), else relative to the repository root
    (ctest runs in the build directory)."""
    if os.path.isabs(path) or os.path.exists(path):
        return os.path.abspath(path)
    return os.path.join(REPO_ROOT, path)


def wait_until(pred, timeout, what, interval=0.1):
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = pred()
        if last:
            return last
        if time.monotonic() > deadline:
            raise E2EError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)


def wait_listening(proc, timeout=20):
    def port():
        if not proc.alive():
            raise E2EError("%s exited early (rc %s): %s" % (proc.name, proc.popen.returncode, tail(proc.err_path)))
        try:
            with open(proc.out_path) as f:
                for line in f:
                    if line.startswith("LISTENING "):
                        return int(line.split()[1])
        except FileNotFoundError:
            pass
        return None
    return wait_until(port, timeout, proc.name + " to print LISTENING", 0.05)


def tail(path, n=30):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ------------------------------------------------------------------ http
def http(method, port, path, body=None, headers=None, timeout=15):
    """-> (status, headers dict lowercased, body bytes)."""
    conn = httpclient.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            headers = dict(headers or {}, **{"Content-Type": "application/json"})
        elif isinstance(body, str):
            body = body.encode()
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        conn.close()


def http_json(method, port, path, body=None, timeout=15):
    status, _, data = http(method, port, path, body, timeout=timeout)
    if status >= 300:
        raise E2EError("%s %s -> %d: %s" % (method, path, status, data[:500]))
    return json.loads(data) if data else None


class SniffProxy:
    """A byte-for-byte TCP relay on 127.0.0.1 in front of `upstream_port` that records the
    request lines and Authorization headers the clients send (HTTP/1.x, keep-alive or not).
    Threads are daemons; close() stops accepting and closes every open socket."""

    HEADER = re.compile(rb"(?im)^(authorization):[ \t]*([^\r\n]*)\r?$")
    REQLINE = re.compile(rb"(?m)^(GET|POST|HEAD|PUT|PATCH|DELETE|OPTIONS) (\S+) HTTP/1\.[01]\r?$")

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.lock = threading.Lock()
        self.authorizations = []
        self.request_lines = []
        self.socks = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.socks += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, src, dst, sniff):
        window = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if sniff:
                    window = (window + data)[-262144:]
                    self._sniff(window)
                    window = window[-8192:]  # keeps a header split across reads
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _sniff(self, window):
        with self.lock:
            for m in self.HEADER.finditer(window):
                v = m.group(2).decode("latin-1")
                if v not in self.authorizations:
                    self.authorizations.append(v)
            for m in self.REQLINE.finditer(window):
                line = m.group(0).decode("latin-1").strip()
                if line not in self.request_lines:
                    self.request_lines.append(line)

    def close(self):
        self.closed = True
        try:
            self.listener.close()
        except OSError:
            pass
        with self.lock:
            for s in self.socks:
                try:
                    s.close()
                except OSError:
                    pass


# ------------------------------------------------------------------ keys, git
def run(argv, cwd=None, env=None, check=True, timeout=60, input=None):
    r = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=timeout, input=input)
    if check and r.returncode != 0:
        raise E2EError("%s failed (%d): %s" % (" ".join(argv), r.returncode, r.stderr.decode(errors="replace")))
    return r.stdout.decode()


def make_keys(dir_):
    key = os.path.join(dir_, "app.pem")
    pub = os.path.join(dir_, "app_pub.pem")
    run(["openssl", "genrsa", "-out", key, "2048"])
    run(["openssl", "rsa", "-in", key, "-pubout", "-out", pub])
    os.chmod(key, 0o600)
    return key, pub


def git_env(home):
    env = dict(os.environ)
    env.update(HOME=home, GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.com", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return env


class GitWork:
    """A work tree that builds commits and pushes them to the served bare repository."""

    def __init__(self, path, bare, home):
        self.path, self.bare = path, bare
        os.makedirs(home, exist_ok=True)
        self.env = git_env(home)
        run(["git", "init", "-q", "-b", "main", path], env=self.env)
        run(["git", "init", "-q", "--bare", "-b", "main", bare], env=self.env)

    def git(self, *args):
        return run(["git", "-C", self.path] + list(args), env=self.env).strip()

    def overlay(self, src):
        shutil.copytree(src, self.path, dirs_exist_ok=True)

    def write(self, rel, text, append=False):
        p = os.path.join(self.path, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "a" if append else "w") as f:
            f.write(text)

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def push(self, *refspecs):
        self.git("push", "-q", "--force", self.bare, *refspecs)


# ------------------------------------------------------------------ deliveries
def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def make_delivery(secret_file, event, action, fields=None, pr_comment=False, delivery_id=None, index=0):
    """A real @octokit/webhooks-examples payload through make_delivery.mjs, with `fields`
    ({dotted.path: python value}) set -> (headers, body bytes)."""
    argv = ["node", os.path.join(HERE, "make_delivery.mjs"), "--event", event, "--index", str(index),
            "--installation-id", str(INSTALLATION_ID), "--secret-file", secret_file]
    if action:
        argv += ["--action", action]
    for path, value in (fields or {}).items():
        argv += ["--set-json", "%s=%s" % (path, json.dumps(value))]
    if pr_comment:
        argv.append("--pr-comment")
    if delivery_id:
        argv += ["--delivery-id", delivery_id]
    d = json.loads(run(argv, cwd=HERE))
    return d["headers"], d["body"].encode("utf-8")


def repo_fields(owner, name, repo_id, clone_url):
    return {"repository.full_name": owner + "/" + name, "repository.name": name, "repository.owner.login": owner,
            "repository.id": repo_id, "repository.clone_url": clone_url, "repository.default_branch": "main"}


def pull_request_fields(owner, name, repo_id, clone_url, number, head_sha, base_sha, head_ref, base_ref="main"):
    f = repo_fields(owner, name, repo_id, clone_url)
    f.update({"number": number, "pull_request.number": number, "pull_request.draft": False,
              "pull_request.state": "open", "pull_request.head.sha": head_sha, "pull_request.head.ref": head_ref,
              "pull_request.base.sha": base_sha, "pull_request.base.ref": base_ref})
    for side in ("head", "base"):
        f.update({"pull_request.%s.repo.full_name" % side: owner + "/" + name,
                  "pull_request.%s.repo.name" % side: name,
                  "pull_request.%s.repo.owner.login" % side: owner,
                  "pull_request.%s.repo.id" % side: repo_id,
                  "pull_request.%s.repo.clone_url" % side: clone_url})
    return f
