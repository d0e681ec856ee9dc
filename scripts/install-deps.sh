#!/usr/bin/env bash
# Installs every package lockspan needs to build, test and run, from Debian
# bookworm's archive only. The README, .ci/run and the Dockerfile all call
# this one script so that they cannot drift apart.
#
#   scripts/install-deps.sh            build + test + runtime packages
#   scripts/install-deps.sh --runtime  only what the built binary needs at run time
set -euo pipefail

build_packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libclang-19-dev clang-tidy-19
  libgit2-dev libcpp-httplib-dev nlohmann-json3-dev libyaml-cpp-dev
  libcli11-dev libspdlog-dev libsqlite3-dev libssl-dev
  libgtest-dev googletest
  python3 openssl lighttpd
)
runtime_packages=(
  ca-certificates libclang1-19 libgit2-1.5 libyaml-cpp0.7 libspdlog1.10 libcpp-httplib0.11
  libsqlite3-0 libssl3
)

packages=("${build_packages[@]}")
if [[ "${1:-}" == "--runtime" ]]; then
  packages=("${runtime_packages[@]}")
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  # The end-to-end tests' stand-ins for GitHub run on Node.js (Debian's, unless one is there).
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Packages such as lighttpd would start a server on install; tests start their own.
policy=/usr/sbin/policy-rc.d
created_policy=""
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created_policy=1
fi
trap 'if [[ -n $created_policy ]]; then $sudo rm -f "$policy"; fi' EXIT
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
