#!/usr/bin/env bash
# End-to-end proof that the GitHub stand-ins work, using curl + git + openssl only (no lockspan).
# Bounded (< 60 s watchdog), cleans up every process it starts. Exit 0 = all checks passed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
"$HERE/setup.sh" >/dev/null

T=$(mktemp -d /tmp/lockspan-e2e-selftest.XXXXXX)
PIDS=()
WATCHDOG=""
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n $WATCHDOG ]] && kill "$WATCHDOG" 2>/dev/null && wait "$WATCHDOG" 2>/dev/null
  if [[ $rc -ne 0 ]]; then
    echo "--- fake_github stderr"; cat "$T/fake.err" 2>/dev/null | tail -20
    echo "--- lighttpd error log"; tail -20 "$T/git/lighttpd.error.log" 2>/dev/null
  fi
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
( trap 'kill $sp 2>/dev/null; exit 0' TERM; sleep 55 & sp=$!; wait $sp; echo "selftest: TIMEOUT after 55 s" >&2; kill -TERM $$ ) &
WATCHDOG=$!

PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   - $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
jget() { node -e 'const fs=require("fs");const d=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));const v=(new Function("d","return ("+process.argv[2]+")"))(d);console.log(typeof v==="string"?v:JSON.stringify(v))' "$1" "$2"; }

export HOME="$T/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
mkdir -p "$HOME" "$T/git/repos/octo"

# ---------------------------------------------------------------- repo: main + feature
W="$T/work"
git init -q -b main "$W"
for i in $(seq 1 40); do echo "int line_$i = $i;"; done >"$W/a.cc"
printf 'keep\n' >"$W/old.txt"
git -C "$W" add -A && git -C "$W" commit -qm base
BASE=$(git -C "$W" rev-parse HEAD)
git -C "$W" checkout -qb feature
sed -i 's/int line_10 = 10;/int line_10 = 100;/; /int line_30 = 30;/d' "$W/a.cc"
for i in $(seq 1 5); do echo "int added_$i;"; done >>"$W/a.cc"
printf 'new file\n' >"$W/b.h"
git -C "$W" add -A && git -C "$W" commit -qm feature
HEAD_SHA=$(git -C "$W" rev-parse HEAD)
BARE="$T/git/repos/octo/demo.git"
git init -q --bare -b main "$BARE"
git -C "$W" push -q "$BARE" main feature "feature:refs/pull/7/head"

# ---------------------------------------------------------------- start servers
openssl genrsa -out "$T/app.pem" 2048 2>/dev/null
openssl rsa -in "$T/app.pem" -pubout -out "$T/app_pub.pem" 2>/dev/null
wait_listening() { # FILE -> port
  for _ in $(seq 1 200); do
    if grep -q '^LISTENING ' "$1" 2>/dev/null; then awk '/^LISTENING/{print $2; exit}' "$1"; return 0; fi
    sleep 0.05
  done
  echo "server did not print LISTENING ($1)" >&2; return 1
}
node "$HERE/fake_github.mjs" --port 0 --state-dir "$T/git" --app-id 12345 --public-key "$T/app_pub.pem" >"$T/fake.out" 2>"$T/fake.err" &
FAKE_PID=$!; PIDS+=("$FAKE_PID")
"$HERE/git_server.sh" "$T/git" 0 >"$T/git.out" 2>"$T/git.err" &
GIT_PID=$!; PIDS+=("$GIT_PID")
API_PORT=$(wait_listening "$T/fake.out")
GIT_PORT=$(wait_listening "$T/git.out")
API="http://127.0.0.1:$API_PORT"
CLONE_URL="http://127.0.0.1:$GIT_PORT/octo/demo.git"
echo "# fake_github on $API_PORT, git server on $GIT_PORT"

# api METHOD PATH [BODY] [AUTH-HEADER]: sets CODE, body in $T/resp, headers in $T/hdr
api() {
  local args=(-s -o "$T/resp" -D "$T/hdr" -w '%{http_code}' --max-time 10 -X "$1" "$API$2"
    -H 'Accept: application/vnd.github+json' -H 'X-GitHub-Api-Version: 2022-11-28')
  [[ -n ${3:-} ]] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  [[ -n ${4:-} ]] && args+=(-H "$4")
  CODE=$(curl "${args[@]}")
}
hdr() { grep -i "^$1:" "$T/hdr" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

api POST /_control/seed "{\"repos\":[{\"owner\":\"octo\",\"name\":\"demo\",\"default_branch\":\"main\",\"clone_url\":\"$CLONE_URL\",\"git_dir\":\"$BARE\"}],
  \"pulls\":[{\"owner\":\"octo\",\"name\":\"demo\",\"number\":7,\"head_sha\":\"$HEAD_SHA\",\"base_sha\":\"$BASE\",\"head_ref\":\"feature\",\"base_ref\":\"main\"}],
  \"installations\":[{\"id\":42,\"repos\":[\"octo/demo\"]}],\"permissions\":{\"alice\":\"maintain\",\"bob\":\"read\"}}"
check "seed accepted" [ "$CODE" = 200 ]

# ---------------------------------------------------------------- App JWT -> installation token
JWT=$("$HERE/jwt_sign.sh" "$T/app.pem" 12345)
api POST /app/installations/42/access_tokens '' "Authorization: Bearer $JWT"
check "JWT exchanged for token (201)" [ "$CODE" = 201 ]
TOKEN=$(jget "$T/resp" d.token)
check "token is long (${#TOKEN} chars) and has _ . -" bash -c '[[ ${#1} -ge 500 && $1 == *_* && $1 == *.* && $1 == *-* ]]' _ "$TOKEN"
check "expires_at ~1 h ahead" node -e 'const d=new Date(process.argv[1])-Date.now(); process.exit(d>3500e3&&d<=3600e3?0:1)' "$(jget "$T/resp" d.expires_at)"
openssl genrsa -out "$T/other.pem" 2048 2>/dev/null
api POST /app/installations/42/access_tokens '' "Authorization: Bearer $("$HERE/jwt_sign.sh" "$T/other.pem" 12345)"
check "JWT signed by another key -> 401" [ "$CODE" = 401 ]
api POST /app/installations/42/access_tokens '' "Authorization: Bearer $("$HERE/jwt_sign.sh" "$T/app.pem" 12345 900)"
check "JWT exp > 10 min ahead -> 401" [ "$CODE" = 401 ]
api POST /app/installations/42/access_tokens '' "Authorization: Bearer $("$HERE/jwt_sign.sh" "$T/app.pem" 12345 -30 -300)"
check "expired JWT -> 401" [ "$CODE" = 401 ]
api POST /app/installations/99/access_tokens '' "Authorization: Bearer $JWT"
check "unknown installation -> 404" [ "$CODE" = 404 ]
AUTH="Authorization: token $TOKEN"
api GET /repos/octo/demo
check "no auth -> 401" [ "$CODE" = 401 ]
api GET /repos/octo/demo '' "Authorization: Bearer $JWT"
check "JWT on repo endpoint -> 403" [ "$CODE" = 403 ]
api GET /repos/octo/demo '' "$AUTH"
check "GET repo with token (200) + rate-limit headers" [ "$CODE" = 200 -a -n "$(hdr x-ratelimit-limit)" -a -n "$(hdr x-ratelimit-remaining)" -a -n "$(hdr x-ratelimit-reset)" ]
api GET /repos/octo/other '' "$AUTH"
check "repo outside installation -> 404" [ "$CODE" = 404 ]

# ---------------------------------------------------------------- clone through lighttpd with the token
BASIC="Authorization: Basic $(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)"
check "clone with http.extraHeader" git -c http.extraHeader="$BASIC" clone -q "$CLONE_URL" "$T/clone"
check "clone has base content" grep -q 'int line_30 = 30;' "$T/clone/a.cc"
check "fetch refs/pull/7/head" git -C "$T/clone" -c http.extraHeader="$BASIC" fetch -q origin "refs/pull/7/head:pr7"
check "fetched head sha matches" [ "$(git -C "$T/clone" rev-parse pr7)" = "$HEAD_SHA" ]
check "token not stored in clone" bash -c "! grep -rqF -- '${TOKEN:0:60}' '$T/clone/.git/config' '$T/home'"
check "token in URL: 401 challenge, git retries with Basic" git ls-remote -q "http://x-access-token:$TOKEN@127.0.0.1:$GIT_PORT/octo/demo.git" >/dev/null
check "clone without credentials fails" bash -c "! git clone -q '$CLONE_URL' '$T/noauth' 2>/dev/null"
check "clone with wrong token fails" bash -c "! git -c http.extraHeader='Authorization: Basic $(printf 'x-access-token:nope' | base64 -w0)' clone -q '$CLONE_URL' '$T/badauth' 2>/dev/null"

# ---------------------------------------------------------------- pull, files
api GET /repos/octo/demo/pulls/7 '' "$AUTH"
check "GET pull (200, head sha)" [ "$CODE" = 200 -a "$(jget "$T/resp" d.head.sha)" = "$HEAD_SHA" ]
api GET /repos/octo/demo/pulls/7/files '' "$AUTH"
check "pull files: a.cc modified, b.h added, no Link" [ "$(jget "$T/resp" 'd.map(f=>f.filename+":"+f.status).join(",")')" = "a.cc:modified,b.h:added" -a -z "$(hdr link)" ]

# ---------------------------------------------------------------- reviews
api POST /repos/octo/demo/pulls/7/reviews "{\"commit_id\":\"$HEAD_SHA\",\"event\":\"COMMENT\",\"body\":\"lockspan\",
  \"comments\":[{\"path\":\"a.cc\",\"line\":10,\"side\":\"RIGHT\",\"body\":\"changed line\"},
               {\"path\":\"a.cc\",\"line\":30,\"side\":\"LEFT\",\"body\":\"deleted line\"},
               {\"path\":\"a.cc\",\"start_line\":8,\"line\":10,\"body\":\"range\"}]}" "$AUTH"
check "review inside the diff -> 200 with id" [ "$CODE" = 200 -a -n "$(jget "$T/resp" d.id)" ]
api POST /repos/octo/demo/pulls/7/reviews "{\"commit_id\":\"$HEAD_SHA\",\"event\":\"COMMENT\",\"body\":\"x\",
  \"comments\":[{\"path\":\"a.cc\",\"line\":11,\"body\":\"ok line\"},{\"path\":\"a.cc\",\"line\":20,\"side\":\"RIGHT\",\"body\":\"outside\"}]}" "$AUTH"
check "review with a line outside the diff -> 422" [ "$CODE" = 422 -a "$(jget "$T/resp" d.errors[0])" = "Pull request review thread line must be part of the diff" ]
api GET /_control/state
check "422 rejected the whole review (1 review, 3 comments stored)" [ "$(jget "$T/resp" 'd.reviews.length+"/"+d.comments.length')" = "1/3" ]
api POST /repos/octo/demo/pulls/7/reviews '{"event":"COMMENT","body":"x","comments":[{"path":"a.cc","line":"10","body":"b"}]}' "$AUTH"
check "schema-invalid review (line as string) -> 422" [ "$CODE" = 422 ]

# ---------------------------------------------------------------- check runs, schema validation, faults
api POST /repos/octo/demo/check-runs "{\"name\":\"lockspan\",\"head_sha\":\"$HEAD_SHA\",\"status\":\"bogus\"}" "$AUTH"
check "schema-invalid check run -> 422 with Ajv errors" [ "$CODE" = 422 -a "$(jget "$T/resp" d.errors[0].keyword)" = enum ]
api POST /repos/octo/demo/check-runs "{\"name\":\"lockspan\"}" "$AUTH"
check "check run without head_sha -> 422" [ "$CODE" = 422 ]
api POST /_control/faults '{"rules":[{"method":"POST","path_regex":"/check-runs$","status":500,"count":1}]}'
api POST /repos/octo/demo/check-runs "{\"name\":\"lockspan\",\"head_sha\":\"$HEAD_SHA\",\"status\":\"in_progress\"}" "$AUTH"
check "fault rule: first request -> 500" [ "$CODE" = 500 ]
api POST /repos/octo/demo/check-runs "{\"name\":\"lockspan\",\"head_sha\":\"$HEAD_SHA\",\"status\":\"in_progress\"}" "$AUTH"
check "fault rule: retry -> 201" [ "$CODE" = 201 ]
RUN=$(jget "$T/resp" d.id)
ANN=$(node -e 'console.log(JSON.stringify(Array.from({length:+process.argv[1]},(_, i)=>({path:"a.cc",start_line:10,end_line:10,annotation_level:"warning",message:"m"+i}))))' 51)
api PATCH "/repos/octo/demo/check-runs/$RUN" "{\"output\":{\"title\":\"t\",\"summary\":\"s\",\"annotations\":$ANN}}" "$AUTH"
check "51 annotations in one PATCH -> 422" [ "$CODE" = 422 ]
ANN=$(node -e 'console.log(JSON.stringify(Array.from({length:50},(_, i)=>({path:"a.cc",start_line:10,end_line:10,annotation_level:"warning",message:"m"+i}))))')
api PATCH "/repos/octo/demo/check-runs/$RUN" "{\"output\":{\"title\":\"t\",\"summary\":\"s\",\"annotations\":$ANN}}" "$AUTH"
api PATCH "/repos/octo/demo/check-runs/$RUN" "{\"conclusion\":\"neutral\",\"output\":{\"title\":\"t\",\"summary\":\"done\",\"annotations\":$ANN}}" "$AUTH"
check "PATCH completes the run" [ "$CODE" = 200 -a "$(jget "$T/resp" 'd.status+"/"+d.conclusion+"/"+d.output.annotations_count')" = "completed/neutral/100" ]
api POST /_control/faults '{"rules":[{"method":"GET","path_regex":"^/repos/octo/demo$","status":429,"retry_after":7,"count":1},{"path_regex":"^/repos/octo/demo$","status":403,"count":1}]}'
api GET /repos/octo/demo '' "$AUTH"
check "429 with retry-after and remaining 0" [ "$CODE" = 429 -a "$(hdr retry-after)" = 7 -a "$(hdr x-ratelimit-remaining)" = 0 ]
api GET /repos/octo/demo '' "$AUTH"
check "403 rate limit with remaining 0 and reset" [ "$CODE" = 403 -a "$(hdr x-ratelimit-remaining)" = 0 -a -n "$(hdr x-ratelimit-reset)" ]
api POST /_control/faults '{"rules":[{"path_regex":"^/repos/octo/demo$","delay_ms":400}]}'
T0=$(date +%s%N); api GET /repos/octo/demo '' "$AUTH"; T1=$(date +%s%N)
check "delay fault holds the answer >= 400 ms, then 200" [ "$CODE" = 200 -a $(((T1 - T0) / 1000000)) -ge 400 ]

# ---------------------------------------------------------------- pagination over 150 (+3) comments
MANY=$(node -e 'console.log(JSON.stringify(Array.from({length:150},(_, i)=>({path:"a.cc",line:41+(i%4),body:"c"+i}))))')
api POST /repos/octo/demo/pulls/7/reviews "{\"commit_id\":\"$HEAD_SHA\",\"event\":\"COMMENT\",\"body\":\"many\",\"comments\":$MANY}" "$AUTH"
check "review with 150 comments -> 200" [ "$CODE" = 200 ]
api GET "/repos/octo/demo/pulls/7/comments?per_page=100" '' "$AUTH"
NEXT=$(hdr link | tr ',' '\n' | grep 'rel="next"' | sed 's/.*<\(.*\)>.*/\1/')
check "page 1: 100 comments, Link has next + last" [ "$(jget "$T/resp" d.length)" = 100 -a -n "$NEXT" -a -n "$(hdr link | grep 'rel="last"')" ]
CODE=$(curl -s -o "$T/resp" -D "$T/hdr" -w '%{http_code}' --max-time 10 -H "$AUTH" "$NEXT")
check "page 2 via Link: 53 comments, no next" [ "$CODE" = 200 -a "$(jget "$T/resp" d.length)" = 53 -a -z "$(hdr link | grep 'rel="next"')" ]

# ---------------------------------------------------------------- permissions, reactions, issue comments
api GET /repos/octo/demo/collaborators/alice/permission '' "$AUTH"
check "alice: role maintain (legacy permission write)" [ "$(jget "$T/resp" 'd.role_name+"/"+d.permission')" = maintain/write ]
api POST /repos/octo/demo/issues/comments/555/reactions '{"content":"eyes"}' "$AUTH"
check "reaction -> 201" [ "$CODE" = 201 ]
api POST /repos/octo/demo/issues/comments/555/reactions '{"content":"eyes"}' "$AUTH"
check "same reaction again -> 200" [ "$CODE" = 200 ]
api POST /repos/octo/demo/issues/7/comments '{"body":"summary"}' "$AUTH"
check "issue comment -> 201" [ "$CODE" = 201 ]

# ---------------------------------------------------------------- webhook delivery
printf 'It'"'"'s a Secret to Everybody\n' >"$T/secret"
node "$HERE/make_delivery.mjs" --event pull_request --action opened --installation-id 42 \
  --set pull_request.head.sha="$HEAD_SHA" --set repository.clone_url="$CLONE_URL" --set number=7 \
  --secret-file "$T/secret" --body-out "$T/delivery.body" >"$T/delivery.json"
SIG=$(jget "$T/delivery.json" 'd.headers["X-Hub-Signature-256"]')
check "delivery signature = openssl HMAC of body" [ "$SIG" = "sha256=$(openssl dgst -sha256 -hmac "It's a Secret to Everybody" -r <"$T/delivery.body" | cut -d' ' -f1)" ]
check "delivery body has installation + head sha" [ "$(jget "$T/delivery.json" 'JSON.parse(d.body).installation.id+"/"+JSON.parse(d.body).pull_request.head.sha')" = "42/$HEAD_SHA" ]

# ---------------------------------------------------------------- token expiry (API and git)
api POST /_control/config '{"token_ttl":1}'
api POST /app/installations/42/access_tokens '' "Authorization: Bearer $JWT"
SHORT=$(jget "$T/resp" d.token)
SHORT_BASIC="Authorization: Basic $(printf 'x-access-token:%s' "$SHORT" | base64 -w0)"
check "a second live token (short-lived) also works for git" git -c http.extraHeader="$SHORT_BASIC" ls-remote -q "$CLONE_URL" >/dev/null
sleep 2
api GET /repos/octo/demo '' "Authorization: Bearer $SHORT"
check "expired token -> 401 on the API" [ "$CODE" = 401 ]
check "expired token rejected by the git server" bash -c "! git -c http.extraHeader='$SHORT_BASIC' ls-remote -q '$CLONE_URL' >/dev/null 2>&1"
check "long-lived token still works for git" git -c http.extraHeader="$BASIC" ls-remote -q "$CLONE_URL" >/dev/null

# ---------------------------------------------------------------- request log, reset, clean stop
api GET '/_control/requests?path_regex=/reviews$'
check "request log records reviews (method, status, body)" [ "$(jget "$T/resp" 'd.map(r=>r.method+r.status).join(",")')" = "POST200,POST422,POST422,POST200" ]
api POST /_control/reset '{}'
api GET /_control/state
check "reset clears state" [ "$(jget "$T/resp" 'd.reviews.length+d.comments.length+d.check_runs.length+d.repos.length')" = 0 ]
LPID=$(cat "$T/git/lighttpd.pid")
kill -TERM "$FAKE_PID" "$GIT_PID"
check "fake_github exits 0 on SIGTERM" wait "$FAKE_PID"
check "git_server exits 0 on SIGTERM" wait "$GIT_PID"
PIDS=()
check "no lighttpd left behind" bash -c "! kill -0 $LPID 2>/dev/null"

echo "selftest: $PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
