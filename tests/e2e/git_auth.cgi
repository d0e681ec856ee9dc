#!/bin/bash
# CGI gate in front of git http-backend, run by git_server.sh's lighttpd.
# Accepts HTTP Basic "x-access-token:<token>" when "x-access-token:<token>" is ANY line of
# $E2E_USERS_FILE (re-read on every request). lighttpd's own mod_auth plain backend cannot do this:
# it only compares against the first line of a given user name, so only one token would work.
# Anything else gets 401 + WWW-Authenticate, so git retries with credentials as with github.com.
PATH=/usr/bin:/bin
deny() {
  printf 'Status: 401 Unauthorized\r\nWWW-Authenticate: Basic realm="GitHub"\r\nContent-Type: text/plain\r\n\r\n%s\n' "$1"
  exit 0
}
auth=${HTTP_AUTHORIZATION:-}
[[ $auth =~ ^[Bb][Aa][Ss][Ii][Cc][[:space:]]+([A-Za-z0-9+/=]+)[[:space:]]*$ ]] || deny "Authentication required"
cred=$(printf '%s' "${BASH_REMATCH[1]}" | base64 -d 2>/dev/null) || deny "Invalid credentials"
[[ $cred == x-access-token:?* && $cred != *$'\n'* && $cred != *$'\r'* ]] || deny "Invalid username or password."
found=0
if [[ -r ${E2E_USERS_FILE:-} ]]; then
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line == "$cred" ]] && { found=1; break; }
  done <"$E2E_USERS_FILE"
fi
[[ $found == 1 ]] || deny "Invalid username or password."
export REMOTE_USER=x-access-token AUTH_TYPE=Basic
exec "${E2E_GIT_HTTP_BACKEND:-/usr/lib/git-core/git-http-backend}"
