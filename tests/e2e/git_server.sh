#!/usr/bin/env bash
# git smart-HTTP stand-in for github.com: lighttpd + git http-backend on 127.0.0.1
# with HTTP Basic auth, user "x-access-token", password = an installation token.
# Auth is checked by git_auth.cgi (a CGI gate in front of git-http-backend) rather than lighttpd's
# mod_auth: mod_authn_file's plain backend re-reads the user file per request but only ever compares
# against the FIRST line for a user name, so with several live tokens only the oldest would work.
#
# Usage: git_server.sh DIR PORT [--token TOKEN | --token-file FILE]
#   DIR/repos/<owner>/<name>.git   bare repos, served as http://127.0.0.1:PORT/<owner>/<name>.git
#                                  (flat DIR/repos/<name>.git works too)
#   DIR/users                      lines "x-access-token:<token>"; git_auth.cgi re-reads it on every
#                                  request, so tokens that fake_github.mjs (started with
#                                  --state-dir DIR) issues or prunes take effect at once.
#   PORT                           0 = pick a free port.
#   --token T / --token-file F     additionally accept T (or the token in F): appended to DIR/users and
#                                  DIR/users.static (fake_github.mjs keeps users.static lines).
# Prints "LISTENING <port>" on stdout once the server answers; runs in the foreground until
# SIGTERM/SIGINT, then stops lighttpd and exits 0. Logs go to DIR/lighttpd.error.log.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 DIR PORT [--token TOKEN | --token-file FILE]" >&2
  exit 2
fi
DIR=$(cd "$1" && pwd)
PORT=$2
shift 2
EXTRA_TOKEN=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --token) EXTRA_TOKEN=$2; shift 2 ;;
    --token-file) EXTRA_TOKEN=$(tr -d '\r\n' <"$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

LIGHTTPD=${LIGHTTPD:-/usr/sbin/lighttpd}
BACKEND=${GIT_HTTP_BACKEND:-/usr/lib/git-core/git-http-backend}
GATE="$(cd "$(dirname "$0")" && pwd)/git_auth.cgi"
[[ -x $LIGHTTPD ]] || { echo "lighttpd not found at $LIGHTTPD (apt-get install lighttpd)" >&2; exit 1; }
[[ -x $BACKEND ]] || { echo "git-http-backend not found at $BACKEND" >&2; exit 1; }
[[ -x $GATE ]] || { echo "$GATE missing or not executable" >&2; exit 1; }

mkdir -p "$DIR/repos" "$DIR/www" "$DIR/tmp"
touch "$DIR/users"
if [[ -n $EXTRA_TOKEN ]]; then
  # users.static survives fake_github.mjs rewriting DIR/users.
  printf 'x-access-token:%s\n' "$EXTRA_TOKEN" >>"$DIR/users.static"
  printf 'x-access-token:%s\n' "$EXTRA_TOKEN" >>"$DIR/users"
fi

if [[ $PORT == 0 ]]; then
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
fi

CONF="$DIR/lighttpd.conf"
cat >"$CONF" <<EOF
server.modules = ( "mod_alias", "mod_setenv", "mod_cgi" )
server.bind = "127.0.0.1"
server.port = $PORT
server.document-root = "$DIR/www"
server.pid-file = "$DIR/lighttpd.pid"
server.upload-dirs = ( "$DIR/tmp" )
server.errorlog = "$DIR/lighttpd.error.log"
server.stream-request-body = 2
server.max-request-size = 0
alias.url = ( "/" => "$GATE/" )
cgi.assign = ( "" => "" )
setenv.set-environment = ( "GIT_PROJECT_ROOT" => "$DIR/repos", "GIT_HTTP_EXPORT_ALL" => "1",
                           "E2E_USERS_FILE" => "$DIR/users", "E2E_GIT_HTTP_BACKEND" => "$BACKEND" )
EOF

"$LIGHTTPD" -tt -f "$CONF" >/dev/null

LPID=""
stop() {
  if [[ -n $LPID ]] && kill -0 "$LPID" 2>/dev/null; then
    kill -TERM "$LPID" 2>/dev/null || true
    wait "$LPID" 2>/dev/null || true
  fi
  exit 0
}
trap stop TERM INT HUP

"$LIGHTTPD" -D -f "$CONF" </dev/null &
LPID=$!

# Ready when it answers HTTP at all (401 without credentials is expected).
for _ in $(seq 1 200); do
  if ! kill -0 "$LPID" 2>/dev/null; then
    echo "lighttpd exited early; see $DIR/lighttpd.error.log" >&2
    cat "$DIR/lighttpd.error.log" >&2 2>/dev/null || true
    exit 1
  fi
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/" || true)
  if [[ $code != 000 && -n $code ]]; then
    echo "LISTENING $PORT"
    break
  fi
  sleep 0.05
done
if [[ ${code:-000} == 000 ]]; then
  echo "lighttpd did not answer on 127.0.0.1:$PORT" >&2
  kill -TERM "$LPID" 2>/dev/null || true
  exit 1
fi

# wait returns early when a trapped signal arrives (stop() then exits 0); if lighttpd dies on
# its own, exit with its status.
rc=0
while kill -0 "$LPID" 2>/dev/null; do
  rc=0
  wait "$LPID" 2>/dev/null || rc=$?
done
exit "$rc"
