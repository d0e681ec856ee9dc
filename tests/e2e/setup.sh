#!/usr/bin/env bash
# Installs what the e2e stand-ins need:
#  - npm dependencies exactly as locked (package-lock.json), via `npm ci`; skipped when
#    node_modules already matches the lock file (stamp), so repeated runs take ~10 ms;
#  - lighttpd (Debian package) when /usr/sbin/lighttpd is missing and we are root with apt-get
#    (fresh machines do not ship it); no service is started. Set E2E_NO_APT=1 to skip.
set -euo pipefail
cd "$(dirname "$0")"

if [[ ! -x /usr/sbin/lighttpd && -z ${E2E_NO_APT:-} && $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "installing lighttpd (apt-get)"
  created_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then # keep the package from starting a server on :80
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends lighttpd >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends lighttpd >/dev/null; }
  if [[ -n $created_policy ]]; then rm -f /usr/sbin/policy-rc.d; fi
fi

stamp=node_modules/.lockspan-e2e-lock.sha256
want=$( (cat package.json package-lock.json; node --version) | sha256sum | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" && -f node_modules/@octokit/openapi/generated/api.github.com.json ]]; then
  echo "e2e deps up to date"
  exit 0
fi
npm ci --no-audit --no-fund
echo "$want" >"$stamp"
