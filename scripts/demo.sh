#!/usr/bin/env bash
# The README's first command: install, build, then review a demo change.
# Builds a small git repository from examples/demo: a base commit, then the
# files of head/ laid over it as a feature branch that adds a lock across an
# await, a guard from a helper and a clean fix. Prints the review lockspan
# would post on that pull request.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git_() { git -C "$work" -c user.name="lockspan demo" -c user.email=demo@example.invalid -c commit.gpgsign=false "$@"; }
git_ init -q -b main
cp -r examples/demo/base/. "$work"/
git_ add -A && git_ commit -qm "Session service"
git_ checkout -qb feature
cp -r examples/demo/head/. "$work"/
git_ add -A && git_ commit -qm "Refresh sessions from the backend"
echo "== lockspan review --base main --head feature (demo repository in $work)" >&2
build/lockspan review --repo "$work" --base main --head feature --format "${LOCKSPAN_DEMO_FORMAT:-markdown}" --fail-on none
