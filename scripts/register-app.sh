#!/usr/bin/env bash
# Registers lockspan's GitHub App from app.yml with GitHub's manifest flow and
# saves what GitHub hands back (App id, private key, webhook secret) as files
# the service reads. docs/install-and-run.md explains each step.
#
#   scripts/register-app.sh --public-url https://lockspan.example.org [options]
#
#     --public-url URL   where GitHub will reach this service (webhook: URL/webhook)
#     --org ORG          register the App under an organization, not your account
#     --name NAME        App name (default from app.yml; must be unique on GitHub)
#     --github-url URL   https://github.com (default) or https://HOST for GHES
#     --api-url URL      REST root (default https://api.github.com, GHES https://HOST/api/v3)
#     --out DIR          where to write the results (default ./lockspan-app, mode 0700)
#     --port N           local port for the browser round trip (default 3000)
#     --print-form       only print the HTML form (open it in a browser on any machine;
#                        then finish with --convert CODE)
#     --convert CODE     finish by hand with the code from the redirect URL (?code=...)
#
# Without --print-form/--convert it serves http://127.0.0.1:PORT/ : open it in
# a browser on this machine, click "Create", and GitHub sends the browser back
# to http://127.0.0.1:PORT/callback with a one-hour code that this script
# trades for the App's credentials (POST /app-manifests/{code}/conversions).
# Secrets go to files only (0600); nothing secret is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

public_url="" org="" name="" github_url="https://github.com" api_url="" out="./lockspan-app"
port=3000 mode=serve code=""
while (($#)); do
  case $1 in
    --public-url) public_url=${2:?}; shift 2 ;;
    --org) org=${2:?}; shift 2 ;;
    --name) name=${2:?}; shift 2 ;;
    --github-url) github_url=${2:?}; shift 2 ;;
    --api-url) api_url=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --port) port=${2:?}; shift 2 ;;
    --print-form) mode=form; shift ;;
    --convert) mode=convert; code=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "register-app: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z $api_url ]]; then
  if [[ $github_url == https://github.com ]]; then api_url=https://api.github.com; else api_url=${github_url%/}/api/v3; fi
fi
if [[ $mode != convert && -z $public_url ]]; then
  echo "register-app: --public-url is required (the address GitHub will send webhooks to)" >&2
  exit 2
fi

exec python3 - "$mode" "$public_url" "$org" "$name" "$github_url" "$api_url" "$out" "$port" "$code" <<'PY'
import html, json, os, secrets, subprocess, sys, urllib.error, urllib.parse, urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer

mode, public_url, org, name, github_url, api_url, out, port, code = sys.argv[1:]
port = int(port)
github_url, api_url, public_url = github_url.rstrip("/"), api_url.rstrip("/"), public_url.rstrip("/")

def manifest():
    # app.yml is read by the same reader tests/manifest_test.py checks it with.
    text = subprocess.run([sys.executable, "tests/manifest_test.py", "--print-json", "app.yml"],
                          check=True, capture_output=True, text=True).stdout
    m = json.loads(text)
    placeholder = "https://lockspan.example.com"
    m["url"] = m["url"].replace(placeholder, public_url)
    m["hook_attributes"]["url"] = m["hook_attributes"]["url"].replace(placeholder, public_url)
    m["redirect_url"] = f"http://127.0.0.1:{port}/callback"
    if name:
        m["name"] = name
    return m

def form_page(state):
    target = (f"{github_url}/organizations/{urllib.parse.quote(org)}/settings/apps/new" if org
              else f"{github_url}/settings/apps/new")
    target += "?state=" + state
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Register lockspan</title></head>
<body><h1>Register the lockspan GitHub App</h1>
<p>GitHub will create the App with the permissions and events in app.yml and send
webhooks to <code>{html.escape(public_url)}/webhook</code>.</p>
<form action="{html.escape(target)}" method="post">
<input type="hidden" name="manifest" value="{html.escape(json.dumps(manifest()))}">
<button type="submit">Create the GitHub App on {html.escape(github_url)}</button>
</form></body></html>"""

def convert(code):
    url = f"{api_url}/app-manifests/{urllib.parse.quote(code)}/conversions"
    req = urllib.request.Request(url, method="POST", data=b"", headers={
        "Accept": "application/vnd.github+json", "User-Agent": "lockspan-register-app"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            app = json.load(r)
    except urllib.error.HTTPError as e:
        sys.exit(f"register-app: GitHub answered {e.code} to the conversion "
                 "(codes are single-use and expire after an hour)")
    os.makedirs(out, mode=0o700, exist_ok=True)
    os.chmod(out, 0o700)
    def secret_file(fname, content):
        path = os.path.join(out, fname)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(content)
        return os.path.abspath(path)
    key = secret_file("private-key.pem", app["pem"])
    hook = secret_file("webhook-secret", (app.get("webhook_secret") or "") + "\n")
    env = secret_file("lockspan.env", "".join(f"{k}={v}\n" for k, v in [
        ("GITHUB_APP_ID", app["id"]),
        ("GITHUB_APP_PRIVATE_KEY_FILE", key),
        ("GITHUB_WEBHOOK_SECRET_FILE", hook),
        ("GITHUB_API_URL", api_url),
        ("LOCKSPAN_PUBLIC_URL", public_url or "http://127.0.0.1:8080"),
    ]))
    print(f"register-app: created App {app.get('slug', '?')} (id {app['id']})")
    print(f"register-app: wrote {env}, {key}, {hook} (mode 0600)")
    print(f"register-app: install it on repositories: {app.get('html_url', github_url)}/installations/new")
    return app

if mode == "form":
    print(form_page("manual"))
    sys.exit(0)
if mode == "convert":
    convert(code)
    sys.exit(0)

state = secrets.token_urlsafe(16)
done = {}

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass  # the query string holds the code: keep it out of the terminal
    def reply(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/":
            return self.reply(200, form_page(state))
        if url.path == "/callback":
            q = urllib.parse.parse_qs(url.query)
            if q.get("state", [""])[0] != state or "code" not in q:
                return self.reply(400, "<p>Unexpected callback (state does not match).</p>")
            app = convert(q["code"][0])
            done["app"] = app
            link = html.escape(f"{app.get('html_url', github_url)}/installations/new")
            return self.reply(200, f"<p>lockspan is registered (App id {app['id']}). "
                                   f"Credentials are in <code>{html.escape(os.path.abspath(out))}</code>. "
                                   f'Next: <a href="{link}">install it on repositories</a>.</p>')
        self.reply(404, "<p>Not found.</p>")

server = HTTPServer(("127.0.0.1", port), Handler)
server.timeout = 5
print(f"register-app: open http://127.0.0.1:{port}/ in a browser on this machine "
      "(waiting up to 15 minutes; Ctrl-C to stop)")
import time
deadline = time.time() + 900
while "app" not in done and time.time() < deadline:
    server.handle_request()
if "app" not in done:
    sys.exit("register-app: no callback from GitHub within 15 minutes")
PY
