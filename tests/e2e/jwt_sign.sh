#!/usr/bin/env bash
# Signs a GitHub App JWT (RS256) with openssl only.
# Usage: jwt_sign.sh PRIVATE_KEY.pem ISS [EXP_SECONDS=540] [IAT_OFFSET=-60]
# Prints the JWT. iat = now + IAT_OFFSET, exp = now + EXP_SECONDS (GitHub allows at most 600).
set -euo pipefail
key=$1 iss=$2 ttl=${3:-540} iat_off=${4:--60}
now=$(date +%s)
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
if [[ $iss =~ ^[0-9]+$ ]]; then iss_json=$iss; else iss_json="\"$iss\""; fi
payload=$(printf '{"iat":%d,"exp":%d,"iss":%s}' $((now + iat_off)) $((now + ttl)) "$iss_json" | b64url)
sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$sig"
