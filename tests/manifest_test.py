#!/usr/bin/env python3
"""app.yml (the GitHub App manifest) asks for exactly what the service uses.

Reads app.yml with a small reader for the YAML subset it is written in, scans
the C++ sources under bot/ and github/ for the REST calls they make (the
method and the path built from string literals), the webhook events
bot/webhook_intake.cc acts on and the git fetch with the installation token,
maps each to the permission GitHub documents for it (ENDPOINTS below), and
asserts that the manifest's permissions and events equal what that adds up
to: nothing missing, nothing unused.

    python3 tests/manifest_test.py [-v]

Standard library only. Skips (exit 0, "skipped") while bot/webhook_intake.cc
does not exist yet.
"""

import json
import os
import re
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = os.path.join(REPO, "app.yml")
SOURCE_DIRS = ("bot", "github")
INTAKE = os.path.join(REPO, "bot", "webhook_intake.cc")

LEVELS = {"read": 1, "write": 2}

# Every REST call the service may make, with the repository permission GitHub
# documents for a GitHub App installation token. Source: GitHub's
# "Permissions required for GitHub Apps" tables, generated from
# github/docs src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json
# (checked for each row below; ghes-3.x files list the same). A row is a list
# of alternatives; each alternative is a dict of permission -> level that is
# enough on its own ("additional-permissions": true rows have several).
# [] means the call is made with the App's JWT, not an installation token.
ENDPOINTS = {
    # apps/create-installation-access-token and apps/get-repo-installation: App JWT.
    ("POST", "/app/installations/{installation_id}/access_tokens"): [],
    ("GET", "/repos/{owner}/{repo}/installation"): [],
    # "Pull requests" section.
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}"): [{"pull_requests": "read"}],
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files"): [{"pull_requests": "read"}],
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/comments"): [{"pull_requests": "read"}],
    ("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"): [{"pull_requests": "read"}],
    ("POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"): [{"pull_requests": "write"}],
    # "Checks" section.
    ("POST", "/repos/{owner}/{repo}/check-runs"): [{"checks": "write"}],
    ("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}"): [{"checks": "write"}],
    ("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}"): [{"checks": "read"}],
    # "Metadata" section (repos/get-collaborator-permission-level).
    ("GET", "/repos/{owner}/{repo}/collaborators/{username}/permission"): [{"metadata": "read"}],
    ("GET", "/repos/{owner}/{repo}"): [{"metadata": "read"}],
    # "Issues" section only: the "Pull requests" section does not list it.
    ("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"): [{"issues": "write"}],
    # Listed under both "Issues" and "Pull requests" (additional-permissions: true).
    ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"): [
        {"issues": "write"}, {"pull_requests": "write"}],
}

# Event -> permission that subscribing to it needs (webhook docs, "Availability
# for <event>"; check_suite/check_run: "Checks", pull_request: "Pull requests",
# issue_comment: "Issues").
EVENTS = {
    "pull_request": {"pull_requests": "read"},
    "check_suite": {"checks": "read"},
    "check_run": {"checks": "read"},
    "issue_comment": {"issues": "read"},
}
# Delivered to every App without a subscription; handling them needs nothing.
UNSUBSCRIBABLE = {"ping", "installation", "installation_repositories", "installation_target",
                  "github_app_authorization", "meta"}

# Cloning or fetching with the installation token as the password of user
# x-access-token needs "Contents" (docs: "Authenticating as a GitHub App
# installation").
GIT_FETCH = {"contents": "read"}


# ---------------------------------------------------------------- app.yml

def parse_scalar(text):
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    if text in ("true", "false"):
        return text == "true"
    if text in ("null", "~", ""):
        return None
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    return text


def strip_comment(line):
    """Drops a ' # comment' outside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def load_yaml_subset(text):
    """Block mappings and lists of scalars, two-space indents, comments.
    Anything else (flow collections, anchors, multi-line scalars) is an
    error, so the manifest cannot drift into YAML this reader misreads."""
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ValueError(f"line {number}: tabs in indentation")
        line = strip_comment(raw)
        if line.strip():
            lines.append((number, len(line) - len(line.lstrip()), line.strip()))

    def block(i, indent):
        if i < len(lines) and lines[i][2].startswith("- "):
            out = []
            while i < len(lines) and lines[i][1] == indent and lines[i][2].startswith("- "):
                item = lines[i][2][2:].strip()
                if item.startswith(("[", "{", "&", "*", "|", ">")) or ": " in item:
                    raise ValueError(f"line {lines[i][0]}: only scalar list items are supported")
                out.append(parse_scalar(item))
                i += 1
            return out, i
        out = {}
        while i < len(lines) and lines[i][1] == indent:
            number, _, content = lines[i]
            key, sep, rest = content.partition(":")
            if not sep or (rest and not rest.startswith(" ")):
                raise ValueError(f"line {number}: expected 'key: value'")
            key = key.strip()
            if key in out:
                raise ValueError(f"line {number}: duplicate key {key}")
            rest = rest.strip()
            i += 1
            if rest:
                if rest[0] in "[{&*|>":
                    raise ValueError(f"line {number}: flow and block scalars are not supported")
                out[key] = parse_scalar(rest)
            elif i < len(lines) and lines[i][1] > indent:
                out[key], i = block(i, lines[i][1])
            else:
                out[key] = None
        return out, i

    value, i = block(0, lines[0][1] if lines else 0)
    if i != len(lines):
        raise ValueError(f"line {lines[i][0]}: unexpected indentation")
    return value


def load_manifest(path=None):
    with open(path or MANIFEST, encoding="utf-8") as f:
        return load_yaml_subset(f.read())


# ------------------------------------------------------------ C++ sources

def source_files():
    for d in SOURCE_DIRS:
        top = os.path.join(REPO, d)
        for root, _, files in os.walk(top):
            for name in sorted(files):
                if name.endswith((".cc", ".h", ".cpp", ".hpp")):
                    yield os.path.join(root, name)


def without_comments(code):
    """Blanks // and /* */ comments, keeping string literals and offsets."""
    out, i, n = [], 0, len(code)
    while i < n:
        if code.startswith("//", i):
            j = code.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif code.startswith("/*", i):
            j = code.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", code[i:j]))
            i = j
        elif code.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', code[i:])
            end = code.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(code[i:j])
            i = j
        elif code[i] == '"':
            j = i + 1
            while j < n and code[j] != '"':
                j += 2 if code[j] == "\\" else 1
            out.append(code[i:j + 1])
            i = j + 1
        else:
            out.append(code[i])
            i += 1
    return "".join(out)


def split_top(text, sep):
    """Splits at `sep` outside brackets and string literals."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def call_arguments(code, open_paren):
    """The text between the parenthesis at `open_paren` and its match."""
    depth, i = 0, open_paren
    while i < len(code):
        ch = code[i]
        if ch == '"':
            i += 1
            while i < len(code) and code[i] != '"':
                i += 2 if code[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return code[open_paren + 1:i]
        i += 1
    return ""


STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"$')


def evaluate_path(expr, code, before, depth=0):
    """The path template an expression builds: literals kept, anything else
    '{}'. Local `std::string NAME = ...;` variables are followed. Returns
    (template, saw_literal)."""
    out, literal = "", False
    for term in split_top(expr, "+"):
        m = STRING.match(term)
        if m:
            out += bytes(m.group(1), "utf-8").decode("unicode_escape")
            literal = True
            continue
        if re.fullmatch(r"[A-Za-z_]\w*", term) and depth < 5:
            defs = [d for d in re.finditer(
                r"(?:const\s+)?(?:std::string|auto)\s+" + term + r"\s*=\s*([^;]+);", code)
                if d.start() < before]
            if defs:
                sub, lit = evaluate_path(defs[-1].group(1), code, defs[-1].start(), depth + 1)
                out += sub
                literal = literal or lit
                continue
        out += "{}"
    return out, literal


def normalize_template(path):
    path = path.split("?", 1)[0]
    path = re.sub(r"\{[A-Za-z_]*\}", "{}", path)
    path = path.replace("/repos/{}/{}", "/repos/{}")  # owner + "/" + name
    return re.sub(r"(\{\})+", "{}", path)


def normalize_documented(path):
    return normalize_template(path.replace("{owner}/{repo}", "{}"))


def scan_rest_calls():
    """[(method, template, 'file:line')] for every REST call in the sources.
    Calls whose path has no literal '/' (the REST client passing a caller's
    path or a Link URL on) are not calls of their own."""
    calls = []
    for path in source_files():
        with open(path, encoding="utf-8") as f:
            code = without_comments(f.read())
        for m in re.finditer(r"(?:\.|->)\s*(call|request|get_all)\s*\(|\b(request|get_all)\s*\(", code):
            name = m.group(1) or m.group(2)
            args = split_top(call_arguments(code, m.end() - 1), ",")
            if name == "get_all":
                method, expr = "GET", args[0] if args else ""
            else:
                if len(args) < 2:
                    continue
                lit = STRING.match(args[0])
                if not lit:
                    continue  # a definition or a pass-through of `method`
                method, expr = lit.group(1), args[1]
            template, literal = evaluate_path(expr, code, m.start())
            if not literal or "/" not in template.replace("{}", ""):
                continue  # e.g. `path + "?per_page=100"`: the caller's path passed on
            line = code.count("\n", 0, m.start()) + 1
            calls.append((method, template, f"{os.path.relpath(path, REPO)}:{line}"))
    return calls


def scan_events():
    with open(INTAKE, encoding="utf-8") as f:
        code = without_comments(f.read())
    return set(re.findall(r'\bevent\s*==\s*"([a-z_]+)"', code))


def uses_git_fetch_with_token():
    for path in source_files():
        with open(path, encoding="utf-8") as f:
            if '"x-access-token"' in without_comments(f.read()):
                return True
    return False


def add_need(needs, perms, why, reasons):
    for perm, level in perms.items():
        if LEVELS[level] > LEVELS.get(needs.get(perm), 0):
            needs[perm] = level
        reasons.setdefault(perm, []).append(f"{level}: {why}")


def required_permissions(calls, events, git_fetch):
    """(permission -> level, permission -> [reasons], unknown calls)."""
    documented = {(method, normalize_documented(p)): (p, alts)
                  for (method, p), alts in ENDPOINTS.items()}
    needs, reasons, unknown, choices = {"metadata": "read"}, {}, [], []
    reasons["metadata"] = ["read: every GitHub App has it"]
    for method, template, where in calls:
        key = (method, normalize_template(template))
        if key not in documented:
            unknown.append(f"{method} {template} ({where})")
            continue
        path, alternatives = documented[key]
        if len(alternatives) == 1:
            add_need(needs, alternatives[0], f"{method} {path} ({where})", reasons)
        elif alternatives:
            choices.append((alternatives, f"{method} {path} ({where})"))
    for event in events:
        add_need(needs, EVENTS[event], f"event {event}", reasons)
    if git_fetch:
        add_need(needs, GIT_FETCH, "git fetch as x-access-token", reasons)
    # An endpoint several permissions allow is satisfied by one already needed.
    for alternatives, why in choices:
        if not any(all(LEVELS.get(needs.get(p), 0) >= LEVELS[l] for p, l in alt.items())
                   for alt in alternatives):
            add_need(needs, alternatives[0], why, reasons)
        else:
            for alt in alternatives:
                for p, l in alt.items():
                    if LEVELS.get(needs.get(p), 0) >= LEVELS[l]:
                        reasons.setdefault(p, []).append(f"{l}: {why}")
    return needs, reasons, unknown


@unittest.skipUnless(os.path.exists(INTAKE),
                     "bot/webhook_intake.cc does not exist yet: the service is not written, "
                     "so there is nothing to check app.yml against")
class ManifestTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manifest = load_manifest()
        cls.calls = scan_rest_calls()
        cls.events = scan_events() - UNSUBSCRIBABLE
        cls.git_fetch = uses_git_fetch_with_token()
        cls.needs, cls.reasons, cls.unknown = required_permissions(
            cls.calls, cls.events, cls.git_fetch)

    def test_manifest_has_the_fields_the_manifest_flow_takes(self):
        m = self.manifest
        for key in ("name", "url", "hook_attributes", "redirect_url", "public",
                    "default_permissions", "default_events"):
            self.assertIn(key, m, f"app.yml has no {key}")
        self.assertIsInstance(m["name"], str)
        self.assertLessEqual(len(m["name"]), 34, "GitHub App names are at most 34 characters")
        self.assertIsInstance(m["public"], bool)
        self.assertTrue(m["url"].startswith(("https://", "http://")))
        self.assertTrue(m["hook_attributes"]["url"].endswith("/webhook"),
                        "the webhook URL must end in the service's route, /webhook")
        self.assertIs(m["hook_attributes"].get("active", True), True)
        for perm, level in m["default_permissions"].items():
            self.assertIn(level, LEVELS, f"default_permissions.{perm}: {level!r}")
        self.assertIsInstance(m["default_events"], list)
        self.assertEqual(len(m["default_events"]), len(set(m["default_events"])))

    def test_sources_were_scanned(self):
        self.assertTrue(self.calls, "found no REST call under bot/ or github/")
        self.assertTrue(self.events, "found no event handled in bot/webhook_intake.cc")

    def test_every_rest_call_is_in_the_permission_table(self):
        self.assertEqual(self.unknown, [],
                         "REST calls without a documented permission: add them to ENDPOINTS in "
                         "tests/manifest_test.py, and the permission to app.yml")

    def test_events_are_exactly_the_handled_ones(self):
        self.assertEqual(sorted(self.manifest["default_events"]), sorted(self.events))
        for event in self.events:
            self.assertIn(event, EVENTS, f"no permission recorded for event {event}")

    def test_no_permission_missing(self):
        have = self.manifest["default_permissions"]
        missing = {p: l for p, l in self.needs.items()
                   if LEVELS.get(have.get(p), 0) < LEVELS[l]}
        self.assertEqual(missing, {}, "\n".join(
            f"{p}: needs {l} for " + "; ".join(self.reasons.get(p, [])) for p, l in missing.items()))

    def test_no_permission_unused(self):
        have = self.manifest["default_permissions"]
        extra = {p: l for p, l in have.items() if LEVELS[l] > LEVELS.get(self.needs.get(p), 0)}
        self.assertEqual(extra, {}, "permissions in app.yml that no call, event or fetch needs")

    def test_exact_match(self):
        self.assertEqual(self.manifest["default_permissions"], self.needs)


class YamlSubsetTest(unittest.TestCase):
    def test_reads_the_subset(self):
        doc = load_yaml_subset(
            'a: 1\nb: "x # y"  # comment\nc:\n  d: true\n  e:\n    - one  # c\n    - "two"\nf:\n')
        self.assertEqual(doc, {"a": 1, "b": "x # y", "c": {"d": True, "e": ["one", "two"]}, "f": None})

    def test_rejects_what_it_cannot_read(self):
        for bad in ("a: [1, 2]\n", "a: {b: 1}\n", "a: |\n  text\n", "a: 1\na: 2\n", "a\n"):
            with self.assertRaises(ValueError, msg=bad):
                load_yaml_subset(bad)

    def test_path_templates(self):
        code = 'std::string base = "/repos/" + t.repo + "/pulls/" + std::to_string(n);\n'
        template, literal = evaluate_path('base + "/files"', code, len(code))
        self.assertTrue(literal)
        self.assertEqual(normalize_template(template),
                         normalize_documented("/repos/{owner}/{repo}/pulls/{pull_number}/files"))
        self.assertEqual(normalize_template('/repos/{}/{}/pulls?per_page=100'),
                         normalize_documented("/repos/{owner}/{repo}/pulls"))


if __name__ == "__main__":
    if "--print-json" in sys.argv:
        # scripts/register-app.sh uses this reader rather than a second one.
        json.dump(load_manifest(sys.argv[sys.argv.index("--print-json") + 1]
                                if len(sys.argv) > sys.argv.index("--print-json") + 1 else MANIFEST),
                  sys.stdout, indent=2)
        print()
        sys.exit(0)
    unittest.main()
