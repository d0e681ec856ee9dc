#!/usr/bin/env python3
"""lockspan review: does its cost follow the change, not the repository's size? And is it exact?

  python3 bench/review_bench.py [--bin build/lockspan] [--out bench/out/review] [--repeat 3]

Builds two git repositories with `git fast-import` (seeded, deterministic, fixed dates, so the
commit ids are the same on every run):
  * large: 5,000 C++ files at the fork (nested directories, headers and sources, 2-15 KiB);
    most are plain C++ (no coroutine), some plain mutex code (bench_gen's plain files), and
    320 coroutine files (bench_gen's, with and without findings) that the change does not touch;
  * small: 500 files built the same way (a subset of the same files, 32 untouched coroutine files).
On the branch `feature` of both, the SAME change of 200 files (two commits):
  * 180 plain files edited (lines modified, helper functions added, some of them taking a mutex);
  * 20 coroutine files from bench_gen, each with 2-3 `// expect: <rule>` markers: 10 new files,
    and 10 edited ones whose base version lacks the marked lines (the change adds them).
`main` then moves on by one unrelated commit after the fork: it drops the marked lines of an
untouched coroutine file (and edits a plain file). Diffing from main's tip instead of the merge
base would show those lines as added by the change and report their findings.

Then it runs `lockspan review --repo R --base main --head feature --format json --fail-on none`
--repeat times on each repository (alternating), and keeps the best wall clock and the peak RSS
(/usr/bin/time -f %M, or os.wait4 in a small wrapper), plus CPU time as a hint. It checks:
  * findings == the markers of the 20 coroutine files, as a strict set of (path, line, rule);
    a finding in a file the change does not touch is listed as such, a repeated one as a duplicate;
  * every inline comment (review.comments) is on a line the change adds.
Prints a table, the large/small wall-time ratio and the cost per changed file.

Exit 0: passed (or --no-gate); 1: a gate failed: findings/comments not exact on either repository,
or the large review took more than --max-ratio (1.5) x the small one; 2: could not run (binary
missing, git failing, lockspan exit 2 / timeout / bad JSON, generator problem).
Results go to OUT/results.json, lockspan's JSON to OUT/review-{large,small}.json.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # keep bench/ free of __pycache__
sys.path.insert(0, HERE)
import bench_gen  # noqa: E402

DATE = 1700000000  # fixed commit dates: same object ids on every run
PEOPLE = {"alice": "Alice Bench <alice@example.com>", "bob": "Bob Bench <bob@example.com>"}
SUPPORT = "coro_support.h"  # at the root: `#include "coro_support.h"` resolves from there


class CannotRun(Exception):
    """The benchmark could not run (exit 2)."""


# ---------------------------------------------------------------------------------------------
# Plain C++ (no coroutine keyword anywhere): the bulk of a realistic repository.

TOPS = ["src", "src", "src", "lib", "services", "tools", "platform"]
MODULES = ["net", "storage", "rpc", "auth", "cache", "config", "util", "metrics", "db", "http", "codec",
           "sched", "fs", "crypto", "json", "log", "ipc", "render", "geo", "billing", "search", "queue",
           "proto", "io", "text", "image", "audit", "replication", "gateway", "mesh"]
SUBS = ["core", "detail", "impl", "internal", "client", "server", "common", "v2", "engine", "model",
        "adapters", "policy", "backend", "frontend", "testing"]
NOUNS = ["buffer", "frame", "packet", "record", "segment", "token", "session", "channel", "handle", "cursor",
         "snapshot", "manifest", "ledger", "bucket", "shard", "replica", "lease", "digest", "header", "payload",
         "schema", "query", "plan", "index", "filter", "window", "span", "trace", "counter", "histogram",
         "policy", "route", "endpoint", "resolver", "encoder", "decoder", "parser", "writer", "reader", "pool",
         "arena", "slab", "table", "column", "row", "batch", "stream", "pipe", "socket", "timer"]
ROLES = ["manager", "builder", "registry", "store", "view", "codec", "tracker", "planner", "cache", "factory",
         "validator", "formatter", "scanner", "merger", "splitter", "router", "selector", "monitor"]
VERBS = ["build", "parse", "encode", "decode", "merge", "split", "resolve", "validate", "flush", "load", "store",
         "compact", "scan", "rebuild", "apply", "reset", "emit", "collect", "normalize", "rank", "trim", "format"]
FIELDS = ["size", "offset", "count", "limit", "weight", "version", "epoch", "capacity", "length", "priority",
          "retries", "timeout_ms", "checksum", "generation", "depth", "stride"]
STD_HEADERS = ["<algorithm>", "<array>", "<cassert>", "<chrono>", "<cstddef>", "<cstdint>", "<cstring>",
               "<functional>", "<map>", "<memory>", "<numeric>", "<optional>", "<ostream>", "<set>", "<span>",
               "<sstream>", "<string>", "<string_view>", "<tuple>", "<unordered_map>", "<utility>", "<variant>",
               "<vector>"]
BODY_STMTS = [
    "if ({a}.empty()) {{\n  return{ret};\n}}",
    "for (const auto& item : {a}) {{\n  total += item.{f};\n  if (total > kMax{F}) {{\n    break;\n  }}\n}}",
    "std::size_t {v} = 0;\nwhile ({v} < {a}.size() && {a}[{v}].{f} != 0) {{\n  ++{v};\n}}",
    "auto it = index_.find(key);\nif (it == index_.end()) {{\n  ++misses_;\n  return{ret};\n}}\n++hits_;",
    "std::sort({a}.begin(), {a}.end(), [](const auto& lhs, const auto& rhs) {{\n"
    "  return lhs.{f} < rhs.{f};\n}});",
    "switch (kind) {{\n  case Kind::kPrimary:\n    total += 1;\n    break;\n  case Kind::kReplica:\n"
    "    total += 2;\n    break;\n  default:\n    break;\n}}",
    "std::ostringstream out;\nout << \"{n}:\" << {a}.size() << '/' << kMax{F};\nlast_message_ = out.str();",
    "const auto now = std::chrono::steady_clock::now();\nif (now - last_{f}_ < std::chrono::milliseconds(kMax{F})) {{\n"
    "  return{ret};\n}}\nlast_{f}_ = now;",
    "std::vector<std::uint32_t> {v};\n{v}.reserve({a}.size());\nfor (const auto& item : {a}) {{\n"
    "  {v}.push_back(static_cast<std::uint32_t>(item.{f}));\n}}",
    "if (options_.{f} == 0 || options_.{f} > kMax{F}) {{\n  options_.{f} = kMax{F};\n}}",
    "total = std::accumulate({a}.begin(), {a}.end(), std::int64_t{{0}},\n"
    "                        [](std::int64_t acc, const auto& item) {{ return acc + item.{f}; }});",
    "// Entries past the limit are dropped: the caller retries with a fresh {n}.\n"
    "if ({a}.size() > kMax{F}) {{\n  {a}.resize(kMax{F});\n}}",
    "for (std::size_t i = 0; i + 1 < {a}.size(); ++i) {{\n  if ({a}[i].{f} > {a}[i + 1].{f}) {{\n"
    "    std::swap({a}[i], {a}[i + 1]);\n  }}\n}}",
    "const std::string_view name = {n}_name(kind);\nif (name.size() > 32) {{\n  return{ret};\n}}",
]


def camel(words):
    return "".join(w.capitalize() for w in words)


class PlainGen:
    """One plain header or source; content depends only on (seed, path)."""

    def __init__(self, seed, path, header, partner):
        self.rng = random.Random(f"review-bench:{seed}:{path}")
        self.path, self.header, self.partner = path, header, partner
        stem = os.path.basename(path).rsplit(".", 1)[0]
        self.words = stem.split("_")
        parts = path.split("/")
        self.ns = f"acme::{parts[1]}" if len(parts) > 2 else "acme"
        self.cls = camel(self.words)

    def fn_body(self, ret, indent):
        r = self.rng
        n = self.words[0]
        lines = ["std::int64_t total = 0;"]
        for _ in range(r.randint(2, 5)):
            f = r.choice(FIELDS)
            s = r.choice(BODY_STMTS).format(a=r.choice(["entries_", "pending_", "items"]), f=f,
                                            F=camel(f.split("_")), v=r.choice(["pos", "cursor", "scratch"]),
                                            n=n, ret=ret)
            lines += s.split("\n")
        if ret:  # a void function just falls off the end
            lines.append("return static_cast<int>(total);" if ret == " 0" else "return total > 0;")
        pad = "  " * indent
        return [pad + ln if ln else "" for ln in lines]

    def methods(self):
        r = self.rng
        used, out = set(), []
        for _ in range(60):
            name = f"{r.choice(VERBS)}_{r.choice(NOUNS)}"
            if name not in used:
                used.add(name)
                out.append((r.choice(["int", "bool", "void"]), name,
                            r.choice(["", "Kind kind", "std::string_view key", "std::span<const Entry> items",
                                      "Kind kind, std::string_view key"])))
        return out

    def render(self, target):
        r = self.rng
        out = [f"// {self.path}", f"// {r.choice(['Part of', 'Implements', 'Helpers for'])} the "
               f"{' '.join(self.words)} {r.choice(['layer', 'service', 'pipeline', 'subsystem'])}.",
               "// Copyright 2024 Acme Corp. Licensed under the Apache License, Version 2.0.", ""]
        guard = re.sub(r"[^A-Z0-9]", "_", self.path.upper()) + "_"
        if self.header:
            if r.random() < 0.5:
                out += ["#pragma once", ""]
            else:
                out += [f"#ifndef {guard}", f"#define {guard}", ""]
        elif self.partner:
            out += [f'#include "{self.partner}"', ""]
        hs = sorted(r.sample(STD_HEADERS, r.randint(3, 8)))
        out += [f"#include {h}" for h in hs] + [""]
        out += [f"namespace {self.ns} {{", ""]
        methods = self.methods()
        fields = r.sample(FIELDS, 5)
        if self.header:
            out += ["enum class Kind { kPrimary, kReplica, kWitness };", "",
                    f"struct {self.cls}Options {{"] + [f"  std::size_t {f} = {r.randint(1, 512)};" for f in fields]
            out += ["};", "", "struct Entry {"] + [f"  std::int64_t {f} = 0;" for f in fields[:3]] + ["};", ""]
            out += [f"// {self.cls} keeps its entries sorted by {fields[0]} and answers lookups by key.",
                    f"class {self.cls} {{", " public:",
                    f"  explicit {self.cls}({self.cls}Options options);", f"  ~{self.cls}();", ""]
            k = 0
            while len("\n".join(out)) < min(max(target - 700, 1800), 13600) and k < len(methods):
                ret, name, params = methods[k]
                k += 1
                if r.random() < 0.3:
                    out += [f"  // Inline: called on the hot path of {name.split('_')[0]}."]
                    out += [f"  {ret} {name}({params}) {{"] + self.fn_body(
                        {"int": " 0", "bool": " false", "void": ""}[ret], 2) + ["  }", ""]
                else:
                    out += [f"  // {name.replace('_', ' ').capitalize()}; returns "
                            f"{'nothing' if ret == 'void' else 'the result'}.", f"  {ret} {name}({params});"]
            out += ["", " private:", f"  {self.cls}Options options_;", "  std::vector<Entry> entries_;",
                    "  std::vector<Entry> pending_;", "  std::map<std::string, std::size_t> index_;",
                    "  std::string last_message_;", "  long hits_ = 0;", "  long misses_ = 0;", "};", ""]
            out += [f"}}  // namespace {self.ns}"]
            if not out[4].startswith("#pragma"):
                out += ["", f"#endif  // {guard}"]
            return "\n".join(out) + "\n"
        out += ["namespace {", ""]
        for f in fields[:3]:
            out.append(f"constexpr std::size_t kMax{camel(f.split('_'))} = {r.choice([16, 64, 128, 1024, 4096])};")
        out += ["", f"std::string_view {self.words[0]}_name(Kind kind) {{", "  switch (kind) {",
                "    case Kind::kPrimary: return \"primary\";", "    case Kind::kReplica: return \"replica\";",
                "    default: return \"witness\";", "  }", "}", "", "}  // namespace", ""]
        out += [f"{self.cls}::{self.cls}({self.cls}Options options) : options_(std::move(options)) {{}}", "",
                f"{self.cls}::~{self.cls}() = default;", ""]
        for ret, name, params in methods:
            if len("\n".join(out)) >= min(target, 13600):
                break
            if r.random() < 0.4:
                out.append(f"// {name.replace('_', ' ').capitalize()} "
                           f"{r.choice(['in one pass', 'without allocating', 'under the current options'])}.")
            out += [f"{ret} {self.cls}::{name}({params}) {{"] + self.fn_body(
                {"int": " 0", "bool": " false", "void": ""}[ret], 1) + ["}", ""]
        out += [f"}}  // namespace {self.ns}"]
        return "\n".join(out) + "\n"


def plain_target(rng):
    """File size in bytes, log-uniform in 2-15 KiB (most files are small)."""
    return int(2048 * (15 / 2) ** rng.random())


def trim_to(text, limit=15 * 1024):
    """The generators stop near 13.5 KiB; cut a rare outlier after its last complete function."""
    cut = text.rfind("\n}\n", 0, limit)
    return text if len(text) <= limit or cut < 0 else text[:cut + 3]


# ---------------------------------------------------------------------------------------------
# The universe of files (large repository); the small one takes a subset.

def make_universe(seed, n_large, n_small, n_coro_untouched, n_coro_small, workdir):
    """Returns dict(files=[...], change=..., base_move=...). Each file: path, text (at the fork), kind."""
    gen_dir = os.path.join(workdir, "gen")
    n_coro = n_coro_untouched + 20 + 8  # 20 for the change; spare: clean ones are skipped for the change
    n_sync = 400
    manifest = bench_gen.generate(gen_dir, n_files=n_coro, n_plain=n_sync, seed=seed)
    if manifest["problems"]:
        raise CannotRun("bench_gen problems: " + "; ".join(manifest["problems"][:5]))
    support = open(os.path.join(gen_dir, SUPPORT)).read()
    coro = [(f["name"], open(os.path.join(gen_dir, f["name"])).read(), f["expect"]) for f in manifest["coroutine_files"]]
    sync = [(f["name"], open(os.path.join(gen_dir, f["name"])).read()) for f in manifest["plain_files"]]
    rng = random.Random(f"review-bench:{seed}:layout")

    taken = {SUPPORT}

    def place(stem, ext, top=None, mod=None):
        for attempt in range(100):
            t = top or rng.choice(TOPS)
            m = mod or rng.choice(MODULES)
            depth = rng.choice([0, 1, 1, 2])
            dirs = [t, m] + rng.sample(SUBS, depth)
            p = "/".join(dirs) + f"/{stem}{'' if attempt == 0 else '_' + str(attempt)}.{ext}"
            if p not in taken:
                taken.add(p)
                return p
        raise RuntimeError("path space exhausted")

    # the change's 20 coroutine files: dirty ones (with markers), first by index
    dirty = [c for c in coro if c[2]]
    change_coro, rest_coro = dirty[:20], [c for c in coro if c not in dirty[:20]][:n_coro_untouched]
    coro_files = []
    for name, text, _e in change_coro + rest_coro:
        noun = name.rsplit("_", 1)[1][:-4]
        coro_files.append(dict(path=place(f"{noun}_{rng.choice(ROLES)}", "cc", "services", noun),
                               text=text, kind="coroutine", gen=name))
    change_coro_files, untouched_coro = coro_files[:20], coro_files[20:]

    # plain bulk: bench_gen's mutex files (synchronous) and PlainGen header/source pairs
    n_plain = n_large - 1 - len(coro_files) + 10  # 10 of the change's coroutine files are new
    bulk = []
    for name, text in sync:
        noun = name.rsplit("_", 1)[1][:-4]
        bulk.append(dict(path=place(f"{noun}_{rng.choice(['sync', 'locking', 'state', 'table'])}",
                                    rng.choice(["cc", "cpp"])), text=text, kind="plain-mutex"))
    while len(bulk) < n_plain:
        stem = f"{rng.choice(NOUNS)}_{rng.choice(ROLES)}"
        hdr_ext, src_ext = rng.choice([("h", "cc"), ("h", "cc"), ("hpp", "cpp"), ("h", "cpp")])
        top, mod = rng.choice(TOPS), rng.choice(MODULES)
        hp = place(stem, hdr_ext, top, mod)
        sp = hp.rsplit(".", 1)[0] + "." + src_ext
        what = rng.random()
        if what < 0.7 and sp not in taken:  # header + source
            taken.add(sp)
            bulk.append(dict(path=hp, text=trim_to(PlainGen(seed, hp, True, None).render(plain_target(rng))),
                             kind="plain"))
            inc = hp.split("/", 1)[1] if rng.random() < 0.5 else os.path.basename(hp)
            bulk.append(dict(path=sp, text=trim_to(PlainGen(seed, sp, False, inc).render(plain_target(rng))),
                             kind="plain"))
        elif what < 0.85:  # header only
            bulk.append(dict(path=hp, text=trim_to(PlainGen(seed, hp, True, None).render(plain_target(rng))),
                             kind="plain"))
        else:  # source only (tools, tests)
            taken.discard(hp)
            p = hp.rsplit(".", 1)[0] + "_test." + src_ext if rng.random() < 0.5 else hp.rsplit(".", 1)[0] + "." + src_ext
            if p in taken:
                continue
            taken.add(p)
            bulk.append(dict(path=p, text=trim_to(PlainGen(seed, p, False, None).render(plain_target(rng))),
                             kind="plain"))
    bulk = bulk[:n_plain]
    rng.shuffle(bulk)

    # 180 edited plain files: 60 of bench_gen's mutex files, 120 others (headers and sources)
    mutex_bulk = [f for f in bulk if f["kind"] == "plain-mutex"]
    other_bulk = [f for f in bulk if f["kind"] == "plain"]
    edited_plain = mutex_bulk[:60] + other_bulk[:120]
    edited_set = {f["path"] for f in edited_plain}
    rest_bulk = [f for f in bulk if f["path"] not in edited_set]

    # the change's coroutine files: 10 edited (base lacks the marked lines), 10 new
    change = dict(plain=[], coro_new=[], coro_edited=[])
    for i, f in enumerate(edited_plain):
        head = edit_plain(f["text"], random.Random(f"review-bench:{seed}:edit:{f['path']}"), i)
        change["plain"].append(dict(path=f["path"], base=f["text"], head=head))
    for i, f in enumerate(change_coro_files):
        if i % 2 == 0:
            change["coro_edited"].append(dict(path=f["path"], base=drop_marked(f["text"], first_line=True),
                                              head=f["text"]))
        else:
            change["coro_new"].append(dict(path=f["path"], base=None, head=f["text"]))
    # unrelated commit on main after the fork: fixes an untouched coroutine file, edits a plain file
    moved_coro = next(f for f in untouched_coro if bench_gen.expectations(f["text"]))
    moved_plain = rest_bulk[0]
    base_move = [dict(path=moved_coro["path"], text=drop_marked(moved_coro["text"], first_line=False)),
                 dict(path=moved_plain["path"], text=moved_plain["text"].replace("\n", "\n// Reviewed for the "
                                                                                  "2024 audit.\n", 1))]

    support_file = dict(path=SUPPORT, text=support, kind="support")
    edited_coro_base = [dict(path=c["path"], text=c["base"], kind="coroutine") for c in change["coro_edited"]]
    edited_plain_files = [dict(f) for f in edited_plain]
    fixed = [support_file] + edited_plain_files + edited_coro_base + [moved_coro]
    if moved_plain not in fixed:
        fixed.append(moved_plain)
    fixed_paths = {f["path"] for f in fixed}
    others_coro = [f for f in untouched_coro if f["path"] not in fixed_paths]
    others_plain = [f for f in rest_bulk if f["path"] not in fixed_paths]

    def take(n_total, n_coro_total):
        files = list(fixed)
        n_c = n_coro_total - 1  # moved_coro counts
        files += others_coro[:n_c]
        files += others_plain[:n_total - len(files)]
        if len(files) != n_total:
            raise CannotRun(f"could only lay out {len(files)} files, want {n_total}")
        return sorted(files, key=lambda f: f["path"])

    return dict(large=take(n_large, len(untouched_coro)), small=take(n_small, n_coro_small),
                change=change, base_move=base_move)


def drop_marked(text, first_line):
    """The same file without its `// expect:` lines (the change adds them); optionally an edited title."""
    lines = text.split("\n")
    out = [ln for ln in lines if not bench_gen.MARK.search(ln)]
    if first_line and out:
        out[1] = out[1].rstrip(".") + " (draft)."
    return "\n".join(out)


HELPER_TEMPLATES = [
    # plain locking: a mutex but no suspension, so no finding
    ["namespace {{", "", "std::mutex g_{n}_mu;", "long g_{n}_count = 0;", "", "}}  // namespace", "",
     "// Counts {n} events for the audit log; safe from any thread.", "long record_{n}_event(long delta) {{",
     "  std::lock_guard<std::mutex> lock(g_{n}_mu);", "  g_{n}_count += delta;", "  return g_{n}_count;", "}}"],
    ["// Returns the number of {n} entries with a non-zero weight.",
     "std::size_t count_{n}_weighted(const std::vector<int>& weights) {{", "  std::size_t n = 0;",
     "  for (int w : weights) {{", "    if (w != 0) {{", "      ++n;", "    }}", "  }}", "  return n;", "}}"],
    ["// Clamps a {n} limit to the configured range.", "constexpr int clamp_{n}_limit(int value) {{",
     "  if (value < 1) {{", "    return 1;", "  }}", "  return value > 4096 ? 4096 : value;", "}}"],
    ["// Joins {n} names with commas, skipping empty ones.",
     "std::string join_{n}_names(const std::vector<std::string>& names) {{", "  std::string out;",
     "  for (const auto& name : names) {{", "    if (name.empty()) continue;", "    if (!out.empty()) out += ',';",
     "    out += name;", "  }}", "  return out;", "}}"],
]


def edit_plain(text, rng, i):
    """A realistic edit: a few lines modified, one or two helpers added at top level. No coroutines."""
    lines = text.split("\n")
    # modify 2-4 statement lines: bump an integer literal, or append a trailing remark
    cand = [k for k, ln in enumerate(lines) if ln.rstrip().endswith(";") and not ln.lstrip().startswith(("#", "//"))
            and "// expect" not in ln]
    for k in sorted(rng.sample(cand, min(len(cand), rng.randint(2, 4)))):
        m = re.search(r"\b(\d+)\b", lines[k])
        if m and rng.random() < 0.6:
            lines[k] = lines[k][:m.start(1)] + str(int(m.group(1)) + 1) + lines[k][m.end(1):]
        else:
            lines[k] = lines[k] + "  // checked by the caller"
    # top-level insertion points: a blank line after a line that closes a top-level block
    tops = [k for k in range(1, len(lines) - 1) if lines[k] == "" and lines[k - 1] in ("}", "};")
            and lines[k + 1][:1] not in ("", " ", "}", "#")]
    n = f"{re.sub(r'[^a-z]', '', rng.choice(NOUNS))}{i}"
    picks = sorted(rng.sample(tops, min(len(tops), rng.randint(1, 2))), reverse=True) if tops else []
    for j, k in enumerate(picks):
        tpl = HELPER_TEMPLATES[(i + j) % len(HELPER_TEMPLATES)]
        block = [ln.format(n=f"{n}_{j}") for ln in tpl] + [""]
        lines[k + 1:k + 1] = block
    if not picks:  # no top-level spot found: add at the end
        tpl = HELPER_TEMPLATES[i % len(HELPER_TEMPLATES)]
        if lines and lines[-1] == "":
            lines.pop()
        lines += [""] + [ln.format(n=n) for ln in tpl] + [""]
    out = "\n".join(lines)
    assert not bench_gen.SUSPEND_WORD.search(out)
    return out


# ---------------------------------------------------------------------------------------------
# git

def git_env():
    env = dict(os.environ)
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    for k in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(k, None)
    return env


def git(repo, *args, input=None, timeout=120):
    try:
        p = subprocess.run(["git", "-C", repo] + list(args), input=input, capture_output=True, env=git_env(),
                           timeout=timeout)
    except FileNotFoundError:
        raise CannotRun("git is not installed (needed to build the benchmark repositories)")
    except subprocess.TimeoutExpired:
        raise CannotRun(f"git {' '.join(args[:2])} timed out after {timeout}s in {repo}")
    if p.returncode != 0:
        raise CannotRun(f"git {' '.join(args[:3])} failed in {repo}: {p.stderr.decode(errors='replace').strip()[:400]}")
    return p.stdout.decode(errors="replace")


def build_repo(path, files, change, base_move):
    """git fast-import: fork commit on main, two commits on feature, one unrelated commit on main."""
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    git(path, "init", "-q", "-b", "main")
    stream = bytearray()
    mark = [0]

    def blob(text):
        mark[0] += 1
        data = text.encode()
        stream.extend(b"blob\nmark :%d\ndata %d\n" % (mark[0], len(data)) + data + b"\n")
        return mark[0]

    def commit(ref, who, when, msg, changes, parent=None):
        marks = [(p, blob(t)) for p, t in changes]
        mark[0] += 1
        m = msg.encode()
        stream.extend(b"commit refs/heads/%s\nmark :%d\n" % (ref.encode(), mark[0]))
        stream.extend(b"author %s %d +0000\ncommitter %s %d +0000\n" % (PEOPLE[who].encode(), when,
                                                                         PEOPLE[who].encode(), when))
        stream.extend(b"data %d\n" % len(m) + m + b"\n")
        if parent:
            stream.extend(b"from :%d\n" % parent)
        for p, bm in marks:
            stream.extend(b"M 100644 :%d %s\n" % (bm, p.encode()))
        stream.extend(b"\n")
        return mark[0]

    fork = commit("main", "alice", DATE, "Import the tree", [(f["path"], f["text"]) for f in files])
    c1 = commit("feature", "bob", DATE + 3600, "Tidy plain code and add audit helpers",
                [(c["path"], c["head"]) for c in change["plain"]], parent=fork)
    commit("feature", "bob", DATE + 7200, "Stream results from the coroutine services",
           [(c["path"], c["head"]) for c in change["coro_edited"] + change["coro_new"]], parent=c1)
    commit("main", "alice", DATE + 5400, "Fix a lock held across I/O; audit note",
           [(m["path"], m["text"]) for m in base_move], parent=fork)
    git(path, "fast-import", "--quiet", "--done", input=bytes(stream) + b"done\n", timeout=300)
    shas = dict(fork=git(path, "rev-parse", "feature~2").strip(), main=git(path, "rev-parse", "main").strip(),
                feature=git(path, "rev-parse", "feature").strip())
    if git(path, "merge-base", "main", "feature").strip() != shas["fork"] or shas["main"] == shas["fork"]:
        raise CannotRun(f"{path}: the branches are not laid out as planned")
    return shas


def added_lines(repo, base, head):
    """{path: set(lines added at head)} and {path: [(start, end)] hunk ranges at head}, via git diff -U0/-U3."""
    def parse(text):
        out, path = {}, None
        for ln in text.split("\n"):
            if ln.startswith("+++ "):
                path = None if ln[4:] == "/dev/null" else ln[6:]
                if path is not None:
                    out.setdefault(path, [])
            elif ln.startswith("@@") and path is not None:
                m = re.match(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", ln)
                start, count = int(m.group(1)), int(m.group(2) or 1)
                if count:
                    out[path].append((start, start + count - 1))
        return out
    a = parse(git(repo, "diff", "-U0", "--no-color", "--no-renames", base, head))
    h = parse(git(repo, "diff", "-U3", "--no-color", "--no-renames", base, head))
    added = {p: {n for s, e in rs for n in range(s, e + 1)} for p, rs in a.items()}
    return added, h


# ---------------------------------------------------------------------------------------------
# running lockspan

TIME_BIN = "/usr/bin/time"
# Without /usr/bin/time: a fresh, small interpreter runs the command and reports its child's rusage.
# (os.wait4 straight from this process would count the pre-exec copy of this large process.)
RUSAGE_WRAPPER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[2:])\n"
    "_, st, ru = os.wait4(p.pid, 0)\n"
    "open(sys.argv[1], 'w').write('%d %.3f %.3f' % (ru.ru_maxrss, ru.ru_utime, ru.ru_stime))\n"
    "rc = os.waitstatus_to_exitcode(st)\n"
    "sys.exit(rc if rc >= 0 else 128 - rc)\n"
)


def run_once(cmd, timeout, out_path):
    """One run: wall seconds, peak RSS KiB and CPU seconds of the command itself, exit code, output."""
    fd, ru_path = tempfile.mkstemp(prefix="lockspan-review-bench-ru-")
    os.close(fd)
    if os.access(TIME_BIN, os.X_OK):
        wrapped = [TIME_BIN, "-f", "%M %U %S", "-o", ru_path] + cmd
    else:
        wrapped = [sys.executable, "-c", RUSAGE_WRAPPER, ru_path] + cmd
    timed_out = False
    try:
        with open(out_path, "wb") as so, tempfile.TemporaryFile() as se:
            t0 = time.perf_counter()
            try:
                p = subprocess.Popen(wrapped, stdin=subprocess.DEVNULL, stdout=so, stderr=se,
                                     start_new_session=True)
            except FileNotFoundError:
                raise CannotRun(f"cannot start {wrapped[0]}")
            try:
                rc = p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                try:
                    os.killpg(p.pid, signal.SIGKILL)  # the session this run started
                except ProcessLookupError:
                    pass
                rc = p.wait()
            wall = time.perf_counter() - t0
            se.seek(0)
            err = se.read().decode(errors="replace")
        with open(out_path, "rb") as fh:
            out = fh.read().decode(errors="replace")
        rss_kib, cpu = 0, 0.0
        try:
            fields = open(ru_path).read().split()
            # /usr/bin/time writes "Command exited with non-zero status N" first when rc != 0
            rss_kib, cpu = int(fields[-3]), float(fields[-2]) + float(fields[-1])
        except (OSError, ValueError, IndexError):
            pass
    finally:
        os.remove(ru_path)
    return dict(wall=wall, rss_kib=rss_kib, cpu=cpu, rc=rc, timed_out=timed_out, stdout=out, stderr=err)


def wait_for_binary(path, seconds):
    end = time.time() + seconds
    while not (os.path.isfile(path) and os.access(path, os.X_OK)):
        if time.time() >= end:
            return False
        time.sleep(2)
    return True


def review(binary, repo, timeout, out_path, bin_wait):
    cmd = [binary, "review", "--repo", repo, "--base", "main", "--head", "feature", "--format", "json",
           "--fail-on", "none"]
    if not wait_for_binary(binary, bin_wait):  # someone may be relinking it
        raise CannotRun(f"lockspan binary not found or not executable: {binary} (build it first)")
    r = run_once(cmd, timeout, out_path)
    if r["timed_out"]:
        raise CannotRun(f"lockspan review timed out after {timeout}s on {repo}")
    if r["rc"] not in (0, 1):
        raise CannotRun(f"lockspan review exited {r['rc']} on {repo}: {r['stderr'].strip()[:400]}")
    try:
        r["json"] = json.loads(r["stdout"])
    except json.JSONDecodeError as e:
        raise CannotRun(f"lockspan review printed bad JSON on {repo}: {e}")
    return r


def check(doc, expected, changed_paths, added, hunks, shas):
    """Strict comparison of findings and comment placement."""
    found = [(f.get("path"), f.get("line"), f.get("rule")) for f in doc.get("findings", [])]
    fs = set(found)
    dups = sorted({x for x in found if found.count(x) > 1})
    missed = sorted(expected - fs)
    extra = sorted(fs - expected)
    untouched = sorted(x for x in extra if x[0] not in changed_paths)
    bad_comments = []
    comments = (doc.get("review") or {}).get("comments", [])
    for c in comments:
        p, n = c.get("path"), c.get("line")
        if n not in added.get(p, set()):
            where = "in a hunk, not an added line" if any(s <= (n or 0) <= e for s, e in hunks.get(p, [])) \
                else "outside every hunk"
            bad_comments.append(dict(path=p, line=n, where=where))
    sha_problems = []
    if doc.get("merge_base") and doc["merge_base"] != shas["fork"]:
        sha_problems.append(f"merge_base {doc['merge_base'][:12]} != {shas['fork'][:12]}")
    if doc.get("head") and doc["head"] != shas["feature"]:
        sha_problems.append(f"head {doc['head'][:12]} != {shas['feature'][:12]}")
    exact = not missed and not extra and not dups and not bad_comments and not sha_problems
    return dict(found=len(fs & expected), expected=len(expected), reported=len(found), missed=missed, extra=extra,
                extra_untouched=untouched, duplicates=dups, comments=len(comments),
                file_comments=len(doc.get("file_comments", [])), bad_comments=bad_comments,
                sha_problems=sha_problems, exact=exact)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO_ROOT, "build", "lockspan"))
    ap.add_argument("--out", default=os.path.join(REPO_ROOT, "bench", "out", "review"))
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per repository; the best one counts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120, help="seconds for one lockspan run")
    ap.add_argument("--max-ratio", type=float, default=1.5, help="gate: large/small best wall time")
    ap.add_argument("--no-gate", action="store_true", help="report only; exit 0 unless it cannot run")
    ap.add_argument("--work", default=None, help="where to build the repositories (default: a temp dir, removed)")
    ap.add_argument("--keep", action="store_true", help="keep the repositories")
    ap.add_argument("--bin-wait", type=float, default=30, help="seconds to wait for a missing binary (rebuilds)")
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    binary = os.path.abspath(a.bin)
    out = os.path.abspath(a.out)
    os.makedirs(out, exist_ok=True)
    work = os.path.abspath(a.work) if a.work else tempfile.mkdtemp(prefix="lockspan-review-bench-")
    os.makedirs(work, exist_ok=True)
    try:
        return run(a, binary, out, work)
    except CannotRun as e:
        print(f"review_bench: cannot run: {e}", file=sys.stderr)
        return 2
    finally:
        if not a.keep and not a.work:
            shutil.rmtree(work, ignore_errors=True)


def run(a, binary, out, work):
    if not wait_for_binary(binary, a.bin_wait):
        raise CannotRun(f"lockspan binary not found or not executable: {binary} (build it first)")
    if shutil.which("git") is None:
        raise CannotRun("git is not installed (needed to build the benchmark repositories)")
    t0 = time.perf_counter()
    u = make_universe(a.seed, 5000, 500, 320, 32, work)
    t_gen = time.perf_counter() - t0
    change = u["change"]
    expected = set()
    for c in change["coro_edited"] + change["coro_new"]:
        for line, rule in bench_gen.expectations(c["head"]):
            expected.add((c["path"], line, rule))
    changed_paths = {c["path"] for c in change["plain"] + change["coro_edited"] + change["coro_new"]}

    repos = {}
    for name in ("large", "small"):
        files = u[name]
        t = time.perf_counter()
        path = os.path.join(work, name)
        shas = build_repo(path, files, change, u["base_move"])
        t_build = time.perf_counter() - t
        names = git(path, "diff", "--name-only", "--no-renames", shas["fork"], shas["feature"]).split()
        if set(names) != changed_paths:
            raise CannotRun(f"{name}: the change has {len(names)} files, want the {len(changed_paths)} planned")
        added, hunks = added_lines(path, shas["fork"], shas["feature"])
        sizes = [len(f["text"].encode()) for f in files]
        n_head = len(git(path, "ls-tree", "-r", "--name-only", "feature").split())
        repos[name] = dict(path=path, shas=shas, files_fork=len(files), files_head=n_head, build_s=round(t_build, 3),
                           kib_min=round(min(sizes) / 1024, 1), kib_max=round(max(sizes) / 1024, 1),
                           kib_mean=round(sum(sizes) / len(sizes) / 1024, 1),
                           headers=sum(f["path"].endswith((".h", ".hpp")) for f in files),
                           coroutine_files=sum(f.get("kind") == "coroutine" for f in files),
                           changed=len(names), added_lines=sum(len(v) for v in added.values()),
                           added=added, hunks=hunks, runs=[])

    # alternate so drift (thermal, page cache, a neighbour's build) hits both alike
    for i in range(a.repeat):
        for name in ("small", "large"):
            r = review(binary, repos[name]["path"], a.timeout, os.path.join(out, f"review-{name}.json"), a.bin_wait)
            repos[name]["runs"].append(dict(wall_ms=round(r["wall"] * 1000, 1), cpu_ms=round(r["cpu"] * 1000, 1),
                                            rss_mib=round(r["rss_kib"] / 1024, 1), rc=r["rc"]))
            repos[name]["last"] = r["json"]

    for name, info in repos.items():
        info["check"] = check(info["last"], expected, changed_paths, info["added"], info["hunks"], info["shas"])
        info["best_ms"] = min(r["wall_ms"] for r in info["runs"])
        info["median_ms"] = sorted(r["wall_ms"] for r in info["runs"])[len(info["runs"]) // 2]
        info["rss_mib"] = max(r["rss_mib"] for r in info["runs"])
        info["best_cpu_ms"] = min(r["cpu_ms"] for r in info["runs"])
        info["summary"] = info["last"].get("summary")
        info["lockspan_files"] = info["last"].get("files", [])

    large, small = repos["large"], repos["small"]
    ratio = large["best_ms"] / small["best_ms"] if small["best_ms"] else float("inf")
    n_changed = len(changed_paths)

    hdr = f"{'repo':<6} {'files':>6} {'changed':>8} {'wall ms (best)':>15} {'median':>8} {'cpu ms':>7} " \
          f"{'max RSS MiB':>12} {'findings found/expected':>24} {'extra':>6} {'comments ok':>12}"
    print(f"lockspan review benchmark: {binary}")
    print(f"change: {n_changed} files ({len(change['plain'])} plain edited, {len(change['coro_edited'])} coroutine "
          f"edited, {len(change['coro_new'])} coroutine new), {len(expected)} expected findings; "
          f"best of {a.repeat}; main moved on by 1 commit after the fork")
    print(hdr)
    print("-" * len(hdr))
    for name in ("large", "small"):
        r = repos[name]
        c = r["check"]
        print(f"{name:<6} {r['files_head']:>6} {r['changed']:>8} {r['best_ms']:>15.1f} {r['median_ms']:>8.1f} "
              f"{r['best_cpu_ms']:>7.0f} {r['rss_mib']:>12.1f} {str(c['found']) + '/' + str(c['expected']):>24} {len(c['extra']):>6} "
              f"{str(c['comments'] - len(c['bad_comments'])) + '/' + str(c['comments']):>12}")
    cpu_ratio = large["best_cpu_ms"] / small["best_cpu_ms"] if small["best_cpu_ms"] else float("inf")
    print(f"ratio large/small wall: {ratio:.2f}x (gate: <= {a.max_ratio}x); cpu (user+sys, not gated): "
          f"{cpu_ratio:.2f}x")
    print(f"per changed file: large {large['best_ms'] / n_changed:.2f} ms, small {small['best_ms'] / n_changed:.2f} ms")
    for name in ("large", "small"):
        r = repos[name]
        c = r["check"]
        print(f"{name}: {r['files_head']} files at head ({r['headers']} headers, {r['coroutine_files']} coroutine "
              f"files at the fork), {r['kib_min']}-{r['kib_max']} KiB (mean {r['kib_mean']}), built in "
              f"{r['build_s']:.2f}s; lockspan: {r['summary']}")
        for x in c["missed"]:
            print(f"  MISS  {name} {x[0]}:{x[1]} {x[2]}")
        for x in c["extra"]:
            print(f"  EXTRA {name} {x[0]}:{x[1]} {x[2]}{'  (file not in the change)' if x in c['extra_untouched'] else ''}")
        for x in c["duplicates"]:
            print(f"  DUP   {name} {x[0]}:{x[1]} {x[2]}")
        for b in c["bad_comments"]:
            print(f"  COMMENT {name} {b['path']}:{b['line']} {b['where']}")
        for s in c["sha_problems"]:
            print(f"  SHA   {name} {s}")

    exact = large["check"]["exact"] and small["check"]["exact"]
    fast = ratio <= a.max_ratio
    results = dict(binary=binary, seed=a.seed, repeat=a.repeat, generate_s=round(t_gen, 3),
                   rss_probe="/usr/bin/time -f %M" if os.access(TIME_BIN, os.X_OK) else "os.wait4 in a small wrapper",
                   change=dict(files=n_changed, plain_edited=len(change["plain"]),
                               coroutine_edited=[c["path"] for c in change["coro_edited"]],
                               coroutine_new=[c["path"] for c in change["coro_new"]],
                               base_move=[m["path"] for m in u["base_move"]]),
                   expected=sorted(list(x) for x in expected),
                   repos={n: {k: v for k, v in r.items() if k not in ("added", "hunks", "last", "path")}
                          for n, r in repos.items()},
                   ratio_large_small=round(ratio, 3), cpu_ratio_large_small=round(cpu_ratio, 3), per_changed_file_ms=dict(
                       large=round(large["best_ms"] / n_changed, 3), small=round(small["best_ms"] / n_changed, 3)),
                   gate=dict(max_ratio=a.max_ratio, findings_exact=exact, ratio_ok=fast, enforced=not a.no_gate))
    for n in ("large", "small"):
        results["repos"][n]["check"] = {k: [list(x) if isinstance(x, tuple) else x for x in v]
                                        if isinstance(v, list) else v for k, v in repos[n]["check"].items()}
    with open(os.path.join(out, "results.json"), "w") as fh:
        json.dump(results, fh, indent=1)
    with open(os.path.join(out, "expected.json"), "w") as fh:
        json.dump(sorted(list(x) for x in expected), fh, indent=1)
    if a.keep or a.work:
        print(f"repositories kept in {work}")
    print(f"results: {os.path.join(out, 'results.json')}")
    failed = []
    if not exact:
        failed.append("findings/comments not exact")
    if not fast:
        failed.append(f"large/small wall {ratio:.2f}x > {a.max_ratio}x")
    if failed:
        print(("GATE FAILED: " if not a.no_gate else "gate would fail (--no-gate): ") + "; ".join(failed))
        return 0 if a.no_gate else 1
    print("gate passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
