#!/usr/bin/env bash
# The README's test command: install, build, run every test with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
tests/e2e/setup.sh   # npm packages for the fake GitHub (exact versions from package-lock.json)
ctest --test-dir build --output-on-failure -j"${JOBS:-2}" "$@"
