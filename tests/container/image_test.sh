#!/usr/bin/env bash
# Proves the Dockerfile without a Docker engine.
#
# Reads the Dockerfile (tests/container/dockerfile_plan.py), builds Debian
# bookworm roots with debootstrap, replays every stage's instructions in
# them (RUN with chroot in private mount/pid namespaces, COPY honouring
# .dockerignore, ENV/USER/WORKDIR as Docker applies them), then starts the
# runtime stage's ENTRYPOINT as its USER with its ENV, exactly as
# `docker run IMAGE serve --dry-run` would, in a private network namespace,
# and checks:
#   - GET /healthz is 200 and GET /guidance/lock-across-suspend is 200 HTML;
#   - the Dockerfile's own HEALTHCHECK command passes, and fails once the
#     service is stopped; SIGTERM stops the service within 10 s;
#   - the webhook secret never appears in the service's output;
#   - the runtime root resolves every library of the binary and holds no
#     compiler, build tree, sources or private key; `lockspan rerun --help` works through
#     the ENTRYPOINT.
#
# Usage: tests/container/image_test.sh [--keep]     (--keep leaves the roots)
# Exit: 0 pass, 1 fail, 77 skip ("SKIP: why" on stdout: not root, no
# debootstrap and apt-get cannot install it, mirror unreachable, no
# namespaces, too little disk).
#
# Layers are cached like Docker's under /var/cache/lockspan-rootfs
# (LOCKSPAN_ROOTFS_CACHE): the debootstrap root by its parameters, and the
# root after each RUN by a key chained from the base, every instruction's text
# and the digest of what each COPY adds, so an unchanged Dockerfile and tree
# rerun in about 20 s and an edit rebuilds from the first changed step.
# RUN steps as root also share a ccache directory there (the harness's
# stand-in for a BuildKit cache mount), so a changed tree recompiles only
# what changed. LOCKSPAN_IMAGE_TEST_NO_CACHE=1 ignores both (still refreshing
# the layers): the timing of a machine that never ran it.
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DOCKERFILE=${LOCKSPAN_DOCKERFILE:-$REPO/Dockerfile}
CONTEXT=${LOCKSPAN_DOCKER_CONTEXT:-$REPO}
CACHE=${LOCKSPAN_ROOTFS_CACHE:-/var/cache/lockspan-rootfs}
MIRROR=${LOCKSPAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
NO_CACHE=${LOCKSPAN_IMAGE_TEST_NO_CACHE:-0}
# Time bounds (seconds).
T_DEBOOTSTRAP=${LOCKSPAN_T_DEBOOTSTRAP:-1200}
T_RUN=${LOCKSPAN_T_RUN:-2700}        # one RUN step (the full build is the long one)
T_FS=${LOCKSPAN_T_FS:-600}           # one snapshot, restore or copy
T_START=${LOCKSPAN_T_START:-60}      # the service answering /healthz
KEEP=0
[[ ${1:-} == --keep ]] && KEEP=1

START=$SECONDS
log() { printf '[image_test %5ss] %s\n' "$((SECONDS - START))" "$*"; }
skip() { echo "SKIP: $*"; exit 77; }
die() { echo "FAIL: $*"; exit 1; }
PASSED=0
FAILED=0
check() {  # check NAME COMMAND...: one result line per check
  local name=$1
  shift
  if "$@"; then
    PASSED=$((PASSED + 1))
    log "ok   $name"
  else
    FAILED=$((FAILED + 1))
    log "FAIL $name"
  fi
}

# ---------------------------------------------------------------- preflight
[[ $(uname -s) == Linux ]] || skip "needs Linux (chroot, namespaces)"
[[ $(id -u) -eq 0 ]] || skip "needs root for debootstrap and chroot (running as uid $(id -u))"
[[ -f $DOCKERFILE ]] || die "no Dockerfile at $DOCKERFILE"
for tool in python3 chroot unshare mount mknod tar timeout flock sha256sum ip; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! timeout 600 apt-get install -y -q --no-install-recommends debootstrap >/dev/null 2>&1; then
    timeout 600 apt-get update -q >/dev/null 2>&1 || true
    timeout 600 apt-get install -y -q --no-install-recommends debootstrap >/dev/null 2>&1 || true
  fi
  command -v debootstrap >/dev/null || skip "debootstrap is not installed and apt-get could not install it"
fi
timeout 20 unshare --mount --pid --net --fork --kill-child true 2>/dev/null ||
  skip "cannot create mount/pid/network namespaces (unshare failed)"
timeout 30 python3 - "$MIRROR" "$SUITE" 2>/dev/null <<'EOF' || skip "Debian mirror $MIRROR is unreachable"
import sys, urllib.request
urllib.request.urlopen(f"{sys.argv[1].rstrip('/')}/dists/{sys.argv[2]}/InRelease", timeout=20).read(64)
EOF
mkdir -p "$CACHE/layers" "$CACHE/ccache"
CCACHE_DIR_HOST=$CACHE/ccache
[[ -f $CCACHE_DIR_HOST/ccache.conf ]] || echo "max_size = 2.0G" >"$CCACHE_DIR_HOST/ccache.conf"
((NO_CACHE != 1)) || CCACHE_DIR_HOST=""
avail_kb=$(df -Pk "$CACHE" | awk 'NR == 2 { print $4 }')
((avail_kb > 10 * 1024 * 1024)) || skip "less than 10 GB free under $CACHE"
if command -v zstd >/dev/null; then
  COMPRESS=(zstd -q -T0 -3) DECOMPRESS=(zstd -q -dc) EXT=tar.zst
else
  COMPRESS=(gzip -1) DECOMPRESS=(gzip -dc) EXT=tar.gz
fi

# One test at a time owns the cache (and the machine's two cores).
exec 9>"$CACHE/.lock"
flock -w 3600 9 || die "another image_test has held $CACHE/.lock for an hour"

WORK=$(mktemp -d /var/tmp/lockspan-image-test.XXXXXX)
mkdir -p "$WORK/logs"
cleanup() {
  local rc=$?
  set +e
  # Every mount lives in a private namespace that dies with its processes;
  # this is only the backstop, and nothing is deleted while one remains.
  local m
  for m in $(awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount -l "$m"
  done
  if ((KEEP)); then
    log "kept $WORK"
  elif awk -v w="$WORK/" 'index($2, w) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
    log "not removing $WORK: something is still mounted there"
  else
    rm -rf --one-file-system "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------- running inside a root
# lib.sh runs in a fresh mount+pid namespace (unshare --fork --kill-child,
# so a timeout or our exit kills everything started inside), mounts /proc,
# a small /dev and the host's resolv.conf/hosts there, and runs a command in
# the chroot as USERSPEC with exactly the environment in ENVFILE.
cat >"$WORK/lib.sh" <<'EOF'
set -euo pipefail
prepare_root() {
  local root=$1 f
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=0755,nosuid,size=64m tmpfs "$root/dev"
  mknod -m 666 "$root/dev/null" c 1 3
  mknod -m 666 "$root/dev/zero" c 1 5
  mknod -m 666 "$root/dev/full" c 1 7
  mknod -m 666 "$root/dev/random" c 1 8
  mknod -m 666 "$root/dev/urandom" c 1 9
  mknod -m 666 "$root/dev/tty" c 5 0
  mkdir -m 1777 "$root/dev/shm"
  mkdir -m 0755 "$root/dev/pts"
  mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" 2>/dev/null || true
  ln -s pts/ptmx "$root/dev/ptmx"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  # Docker bind-mounts these; they never become part of a layer.
  for f in resolv.conf hosts; do
    [[ -e $root/etc/$f || -L $root/etc/$f ]] || : >"$root/etc/$f"
    [[ -f /etc/$f ]] && mount --bind -o ro "$(readlink -f /etc/$f)" "$root/etc/$f" 2>/dev/null || true
  done
}
in_root() { "$(dirname "${BASH_SOURCE[0]}")/in_root" "$@"; }
run_step() {  # run_step ROOT USERSPEC WORKDIR ENVFILE ARG...  (a RUN instruction)
  local root=$1 rc=0
  prepare_root "$root"
  # The test's own speed-up, not part of the image: root's ccache directory
  # is kept across runs (like a BuildKit cache mount), so a changed tree
  # recompiles only what changed. Same compiler, same output.
  if [[ -n ${CCACHE_HOST:-} && $2 == 0:* ]]; then
    mkdir -p "$root/root/.cache/ccache"
    mount --bind "$CCACHE_HOST" "$root/root/.cache/ccache"
  fi
  # Keep package postinsts from starting daemons on the host's network.
  local policy=$root/usr/sbin/policy-rc.d made=0
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; made=1; fi
  in_root "$@" || rc=$?
  ((made)) && rm -f "$policy"
  return "$rc"
}
EOF
# in_root ROOT USERSPEC WORKDIR ENVFILE ARG...: a script, not a function, so
# that `timeout` and `&` can run it; it execs, so its pid is the command's.
cat >"$WORK/in_root" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
root=$1 userspec=$2 workdir=$3 envfile=$4
shift 4
env=()
mapfile -d '' env <"$envfile"
exec chroot --userspec="$userspec" "$root" /usr/bin/env -i "${env[@]}" \
  /bin/sh -c 'cd "$1" || exit 1; shift; exec "$@"' sh "$workdir" "$@"
EOF
chmod 755 "$WORK/in_root"
# ns COMMAND...: runs in fresh mount+pid namespaces, bounded by T_NS seconds.
ns() {
  timeout -k 30 "${T_NS:-$T_RUN}" unshare --mount --pid --fork --kill-child --propagation private -- "$@"
}
sha() { printf '%s' "$*" | sha256sum | cut -d' ' -f1; }

snapshot() {  # snapshot ROOT FILE
  timeout "$T_FS" tar -C "$1" --numeric-owner --xattrs --xattrs-include='*' --one-file-system -cf - . |
    "${COMPRESS[@]}" >"$2.tmp"
  mv "$2.tmp" "$2"
}
restore() {  # restore FILE ROOT
  rm -rf --one-file-system "$2"
  mkdir -p "$2"
  timeout "$T_FS" "${DECOMPRESS[@]}" "$1" | tar -C "$2" --numeric-owner --xattrs --xattrs-include='*' -xpf -
  if [[ $1 == "$CACHE/layers/"* ]]; then touch "$1"; fi  # for pruning by age
}

# ------------------------------------------------------------ base roots
# debian:bookworm and debian:bookworm-slim both start from one minbase root
# (the official images are minbase debootstraps too); -slim adds the same
# dpkg path excludes as the real image. apt sources are laid out as in the
# official image (bookworm, -updates and -security).
BASE_KEY=$(sha "debootstrap --variant=minbase $SUITE $MIRROR $(debootstrap --version)")
BASE_TAR=$CACHE/base-$SUITE-$BASE_KEY.$EXT
ensure_base() {
  if [[ -f $BASE_TAR && $NO_CACHE != 1 ]] && [[ -z $(find "$BASE_TAR" -mtime +30) ]]; then
    log "base root: cached ($(basename "$BASE_TAR"))"
    return
  fi
  log "base root: debootstrap --variant=minbase $SUITE (up to ${T_DEBOOTSTRAP}s)"
  local root=$WORK/debootstrap t0=$SECONDS
  if ! timeout -k 30 "$T_DEBOOTSTRAP" debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" \
      >"$WORK/logs/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/logs/debootstrap.log"
    die "debootstrap failed (log above)"
  fi
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${LOCKSPAN_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  snapshot "$root" "$BASE_TAR"
  rm -rf --one-file-system "$root"
  find "$CACHE" -maxdepth 1 -name "base-*" ! -name "$(basename "$BASE_TAR")" -delete
  TIMES+=("debootstrap: $((SECONDS - t0))s")
  log "base root: done in $((SECONDS - t0))s"
}
slim_excludes() {
  mkdir -p "$1/etc/dpkg/dpkg.cfg.d"
  cat >"$1/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
}

# --------------------------------------------------------- the Dockerfile
python3 "$HERE/dockerfile_plan.py" plan "$DOCKERFILE" >"$WORK/plan" || die "cannot read $DOCKERFILE"
declare -a TEXTS=() INSTRS=() STAGE_OF=()
declare -a STAGES=()
current=""
while IFS= read -r text && IFS= read -r instr; do
  eval "set -- $instr"
  if [[ $1 == FROM ]]; then
    current=$3
    STAGES+=("$current")
  fi
  TEXTS+=("${text#\#}")
  INSTRS+=("$instr")
  STAGE_OF+=("$current")
done <"$WORK/plan"

declare -A STAGE_ROOT=() STAGE_KEY=()
declare -a TIMES=()
declare -a USED_LAYERS=()
ensure_base

# Image metadata of the stage being replayed (the last stage is the image).
declare -A ENVV=()
declare -a ENV_ORDER=()
USER_NAME=root WORKDIR=/ ENTRYPOINT_Q="" CMD_Q="" HEALTH_ARGS="" EXPOSED="" VOLUMES=""
set_env() {
  [[ -v ENVV[$1] ]] || ENV_ORDER+=("$1")
  ENVV[$1]=$2
}
resolve_user() {  # resolve_user ROOT NAME -> "uid:gid home"
  local root=$1 name=${2%%:*} group=${2#*:} line
  [[ $2 == *:* ]] || group=""
  line=$(awk -F: -v n="$name" '$1 == n || $3 == n { print; exit }' "$root/etc/passwd")
  if [[ -z $line ]]; then
    [[ $name =~ ^[0-9]+$ ]] || die "USER $name: no such user in the image"
    echo "$name:${group:-$name} /"
    return
  fi
  IFS=: read -r _ _ uid gid _ home _ <<<"$line"
  echo "$uid:${group:-$gid} ${home:-/}"
}
write_env() {  # write_env ROOT FILE: the environment Docker gives a process
  local root=$1 file=$2 spec home k
  read -r spec home <<<"$(resolve_user "$root" "$USER_NAME")"
  {
    printf '%s\0' "HOSTNAME=lockspan-image-test" "HOME=$home"
    for k in "${ENV_ORDER[@]}"; do printf '%s\0' "$k=${ENVV[$k]}"; done
  } >"$file"
  [[ -n $spec ]] || die "USER $USER_NAME: cannot resolve it in the image"
  USERSPEC=$spec
}
abs_path() {  # abs_path PATH: against WORKDIR
  case $1 in
    /*) realpath -m "$1" ;;
    *) realpath -m "$WORKDIR/$1" ;;
  esac
}

build_stage() {
  local stage=$1 i first=-1 last=-1 key prev root image
  for i in "${!INSTRS[@]}"; do
    [[ ${STAGE_OF[$i]} == "$stage" ]] || continue
    ((first < 0)) && first=$i
    last=$i
  done
  root=$WORK/root-$stage
  STAGE_ROOT[$stage]=$root
  ENVV=([PATH]=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
  ENV_ORDER=(PATH)
  USER_NAME=root WORKDIR=/ ENTRYPOINT_Q="" CMD_Q="" HEALTH_ARGS="" EXPOSED="" VOLUMES=""

  # Pass 1: layer keys (staging what each COPY from the context adds).
  declare -a keys=()
  prev=""
  for ((i = first; i <= last; i++)); do
    eval "set -- ${INSTRS[$i]}"
    case $1 in
      FROM)
        image=$2
        case $image in
          debian:bookworm | debian:bookworm-slim | debian:12 | debian:12-slim) ;;
          *) die "FROM $image: the test only builds debian:bookworm[-slim]" ;;
        esac
        key=$(sha "FROM $image $BASE_KEY")
        ;;
      COPY)
        if [[ -n $2 ]]; then
          [[ -n ${STAGE_KEY[$2]:-} ]] || die "COPY --from=$2 before that stage was built"
          key=$(sha "$prev" "${TEXTS[$i]}" "${STAGE_KEY[$2]}")
        else
          local dest=$3
          shift 3
          [[ $dest == */ ]] && dest="$(abs_path "$dest")/" || dest=$(abs_path "$dest")
          local digest
          mkdir -p "$WORK/copy-$i"
          digest=$(timeout "$T_FS" python3 "$HERE/dockerfile_plan.py" stage "$CONTEXT" "$WORK/copy-$i" "$dest" "$@") ||
            die "COPY: cannot stage ${TEXTS[$i]}"
          key=$(sha "$prev" "${TEXTS[$i]}" "$digest")
        fi
        ;;
      WORKDIR)
        WORKDIR=$(abs_path "$2")
        key=$(sha "$prev" "${TEXTS[$i]}")
        ;;
      *) key=$(sha "$prev" "${TEXTS[$i]}") ;;
    esac
    keys[$i]=$key
    prev=$key
  done
  STAGE_KEY[$stage]=$prev

  # The last RUN whose result is cached.
  local resume=$first
  if [[ $NO_CACHE != 1 ]]; then
    for ((i = last; i > first; i--)); do
      eval "set -- ${INSTRS[$i]}"
      if [[ $1 == RUN && -f $CACHE/layers/${keys[$i]}.$EXT ]]; then
        resume=$i
        break
      fi
    done
  fi
  local t0=$SECONDS
  if ((resume > first)); then
    log "stage $stage: cached up to step $((resume - first)) (${TEXTS[$resume]})"
    restore "$CACHE/layers/${keys[$resume]}.$EXT" "$root"
    USED_LAYERS+=("${keys[$resume]}")
  else
    restore "$BASE_TAR" "$root"
    [[ $image == *-slim ]] && slim_excludes "$root"
  fi

  # Pass 2: replay. Steps up to `resume` only update the metadata.
  WORKDIR=/
  for ((i = first + 1; i <= last; i++)); do
    eval "set -- ${INSTRS[$i]}"
    local op=$1 replay=1
    ((i <= resume)) && replay=0
    shift
    case $op in
      WORKDIR)
        WORKDIR=$(abs_path "$1")
        ((replay)) && mkdir -p "$root$WORKDIR"
        ;;
      ENV) set_env "$1" "$2" ;;
      USER) USER_NAME=$1 ;;
      EXPOSE) EXPOSED="$*" ;;
      VOLUME) VOLUMES="$*" ;;
      LABEL) ;;
      HEALTHCHECK) HEALTH_ARGS=$(printf '%q ' "${@:2}") ;;
      ENTRYPOINT) ENTRYPOINT_Q=$(printf '%q ' "$@") ;;
      CMD) CMD_Q=$(printf '%q ' "$@") ;;
      COPY)
        ((replay)) || continue
        local from=$1 dest=$2
        shift 2
        if [[ -n $from ]]; then
          local src
          for src in "$@"; do
            src=$(realpath -m "/$src")
            local target=$dest
            [[ $target == /* ]] || target=$WORKDIR/$target
            if [[ -d ${STAGE_ROOT[$from]}$src ]]; then
              mkdir -p "$root$target"
              timeout "$T_FS" tar -C "${STAGE_ROOT[$from]}$src" --numeric-owner --owner=0 --group=0 -cf - . |
                tar -C "$root$target" --numeric-owner -xpf -
            else
              [[ -e ${STAGE_ROOT[$from]}$src ]] || die "COPY --from=$from $src: not in that stage"
              [[ $target == */ ]] && target=$target$(basename "$src")
              mkdir -p "$(dirname "$root$target")"
              cp -a "${STAGE_ROOT[$from]}$src" "$root$target"
              chown -h 0:0 "$root$target"
            fi
          done
        else
          timeout "$T_FS" tar -C "$WORK/copy-$i" --numeric-owner --owner=0 --group=0 -cf - . |
            tar -C "$root" --numeric-owner --no-overwrite-dir -xpf -
        fi
        log "stage $stage: ${TEXTS[$i]}"
        ;;
      RUN)
        ((replay)) || continue
        local mode=$1
        shift
        local -a args=("$@")
        [[ $mode == sh ]] && args=(/bin/sh -c "$1")
        write_env "$root" "$WORK/env"
        local s0=$SECONDS logf
        logf=$WORK/logs/$stage-$((i - first)).log
        log "stage $stage: ${TEXTS[$i]} (up to ${T_RUN}s)"
        if ! CCACHE_HOST=$CCACHE_DIR_HOST T_NS=$T_RUN ns bash -c 'source "$1"; shift; run_step "$@"' _ "$WORK/lib.sh" \
            "$root" "$USERSPEC" "$WORKDIR" "$WORK/env" "${args[@]}" >"$logf" 2>&1; then
          tail -n 60 "$logf"
          die "stage $stage: '${TEXTS[$i]}' failed after $((SECONDS - s0))s (log above)"
        fi
        TIMES+=("$stage: ${TEXTS[$i]:0:60}: $((SECONDS - s0))s")
        log "stage $stage: done in $((SECONDS - s0))s"
        # Snapshot where a rerun most likely resumes: before the next COPY
        # (whose content may change) and at the end of the stage.
        local j next=END
        for ((j = i + 1; j <= last; j++)); do
          case ${INSTRS[$j]} in RUN* | COPY*) next=${INSTRS[$j]%% *}; break ;; esac
        done
        if [[ $next != RUN ]]; then
          local f0=$SECONDS
          snapshot "$root" "$CACHE/layers/${keys[$i]}.$EXT"
          USED_LAYERS+=("${keys[$i]}")
          TIMES+=("$stage: snapshot: $((SECONDS - f0))s")
        fi
        ;;
      *) die "unexpected instruction $op" ;;
    esac
  done
  log "stage $stage: ready in $((SECONDS - t0))s"
}

for stage in "${STAGES[@]}"; do
  build_stage "$stage"
done
IMAGE_STAGE=${STAGES[-1]}
RT=${STAGE_ROOT[$IMAGE_STAGE]}

# Prune: keep the layers this run used plus the 4 most recently used others
# (another checkout's chain), drop the rest.
keep_pattern=$(printf '%s|' "${USED_LAYERS[@]}" none)
others=0
while read -r f; do
  [[ $(basename "$f" ".$EXT") =~ ^(${keep_pattern%|})$ ]] && continue
  others=$((others + 1))
  ((others <= 4)) || rm -f "$f"
done < <(ls -1t "$CACHE/layers"/*."$EXT" 2>/dev/null)
find "$CACHE/layers" -maxdepth 1 -name '*.tmp' -delete

# --------------------------------------------------------- the runtime image
log "image: user=$USER_NAME expose=$EXPOSED volume=$VOLUMES entrypoint=$ENTRYPOINT_Q cmd=$CMD_Q"
eval "ENTRYPOINT=($ENTRYPOINT_Q)"
eval "CMD=($CMD_Q)"
eval "HEALTH=($HEALTH_ARGS)"
write_env "$RT" "$WORK/image.env"
IMAGE_USERSPEC=$USERSPEC
log "image: runs as $USER_NAME ($IMAGE_USERSPEC); runtime root $(du -sh --one-file-system "$RT" | cut -f1)"

not_root_user() { [[ ${IMAGE_USERSPEC%%:*} != 0 ]]; }
check "image runs as a non-root user" not_root_user
cmd_is_serve() { [[ ${#ENTRYPOINT[@]} -gt 0 && "${CMD[*]}" == serve ]]; }
check "ENTRYPOINT + CMD run 'serve' (${ENTRYPOINT[*]} ${CMD[*]})" cmd_is_serve
no_build_tools() {
  local f bad=0
  for f in usr/bin/cc usr/bin/c++ usr/bin/g++ usr/bin/cmake usr/bin/ninja usr/bin/curl usr/bin/wget src; do
    [[ -e $RT/$f ]] && { echo "  runtime root has /$f"; bad=1; }
  done
  ((bad == 0))
}
check "runtime root has no compiler, build tool, curl or sources" no_build_tools
no_private_keys() {
  local found
  found=$(find "$RT" -xdev \( -path "$RT/proc" -o -path "$RT/etc/ssl" -o -path "$RT/usr/share/ca-certificates" \) -prune -o \
    -type f \( -name '*.pem' -o -name '*.key' -o -name '.env' -o -name 'webhook-secret*' \) -print | head -5)
  [[ -z $found ]] || { echo "  $found"; return 1; }
  ! grep -rlsI --exclude-dir=proc -e 'BEGIN RSA PRIVATE KEY' -e 'BEGIN PRIVATE KEY' "$RT/opt" "$RT/data" "$RT/etc" | head -5 | grep .
}
check "runtime root holds no private key or secret file" no_private_keys
has_guidance() { compgen -G "$RT/opt/lockspan/share/lockspan/guidance/*" >/dev/null; }
check "guidance pages installed under /opt/lockspan/share/lockspan/guidance" has_guidance
T_NS=60 ns bash -c 'source "$1"; shift; prepare_root "$1"; in_root "$@"' _ "$WORK/lib.sh" \
  "$RT" 0:0 / "$WORK/image.env" ldd /opt/lockspan/bin/lockspan >"$WORK/logs/ldd.log" 2>&1 || true
libs_resolve() { grep -q 'libc.so' "$WORK/logs/ldd.log" && ! grep 'not found' "$WORK/logs/ldd.log"; }
check "every library of the binary is in the runtime root (ldd)" libs_resolve

# The service and the checks share one private network namespace, so the
# image's own LOCKSPAN_LISTEN (0.0.0.0:8080) is used unchanged.
SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\0' "GITHUB_WEBHOOK_SECRET=$SECRET" >>"$WORK/image.env"
cat >"$WORK/serve_check.sh" <<'EOF'
source "$1"
set +e
in_root=$(dirname "$1")/in_root
rt=$2 userspec=$3 envfile=$4 logs=$5 start_timeout=$6 workdir=$7
shift 7
# Remaining: ENTRYPOINT... -- HEALTHCHECK-ARGS...
entry=() health=()
while (($#)) && [[ $1 != -- ]]; do entry+=("$1"); shift; done
shift; health=("$@")
ip link set lo up
prepare_root "$rt"
listen=$(tr '\0' '\n' <"$envfile" | sed -n 's/^LOCKSPAN_LISTEN=//p')
port=${listen##*:} host=${listen%:*}
case $host in ''|0.0.0.0|'[::]') host=127.0.0.1 ;; esac
result() { echo "RESULT $1 $2"; }

# docker run IMAGE serve --dry-run: ENTRYPOINT + the given args.
"$in_root" "$rt" "$userspec" "$workdir" "$envfile" "${entry[@]}" serve --dry-run >"$logs/serve.log" 2>&1 &
pid=$!
python3 - "$host" "$port" "$start_timeout" "$pid" <<'PY' >"$logs/http.log" 2>&1
import http.client, os, sys, time
host, port, limit, pid = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
def get(path):
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    return r.status, r.getheader("Content-Type") or "", r.read()
deadline = time.time() + limit
status = None
while time.time() < deadline:
    try:
        status = get("/healthz")[0]
        if status == 200:
            break
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        print("the service exited"); break
    time.sleep(0.25)
print(f"RESULT healthz {'pass' if status == 200 else 'fail'} status={status}")
if status == 200:
    s, ctype, body = get("/guidance/lock-across-suspend")
    html = "html" in ctype.lower() and b"<" in body
    print(f"RESULT guidance {'pass' if s == 200 and html else 'fail'} status={s} type={ctype} bytes={len(body)}")
    s, ctype, body = get("/metrics")
    print(f"RESULT metrics {'pass' if s == 200 and b'lockspan_' in body else 'fail'} status={s} type={ctype}")
    s, _, _ = get("/readyz")
    print(f"INFO readyz status={s}")
PY
cat "$logs/http.log"
# The Dockerfile's HEALTHCHECK, as Docker runs it (as USER, with the ENV).
if timeout 5 "$in_root" "$rt" "$userspec" "$workdir" "$envfile" "${health[@]}" >>"$logs/health.log" 2>&1; then
  result healthcheck-up pass
else
  result healthcheck-up fail
fi
# docker stop: SIGTERM, then 10 s.
kill -TERM "$pid" 2>/dev/null
stopped=fail
for _ in $(seq 1 40); do
  if ! kill -0 "$pid" 2>/dev/null; then stopped=pass; break; fi
  sleep 0.25
done
wait "$pid" 2>/dev/null; rc=$?
result sigterm-stop "$stopped rc=$rc"
if timeout 5 "$in_root" "$rt" "$userspec" "$workdir" "$envfile" "${health[@]}" >>"$logs/health.log" 2>&1; then
  result healthcheck-down fail
else
  result healthcheck-down pass
fi
# docker run IMAGE rerun --help: arguments replace CMD.
if timeout 20 "$in_root" "$rt" "$userspec" "$workdir" "$envfile" "${entry[@]}" rerun --help >"$logs/rerun-help.log" 2>&1; then
  result rerun-help pass
else
  result rerun-help fail
fi
EOF
[[ ${HEALTH[0]:-} == exec ]] || die "HEALTHCHECK must use the exec form (got '${HEALTH[*]}')"
log "service: ${ENTRYPOINT[*]} serve --dry-run as $USER_NAME in a private network namespace"
timeout -k 10 $((T_START + 120)) unshare --net --mount --pid --fork --kill-child --mount-proc \
  --propagation private -- bash "$WORK/serve_check.sh" "$WORK/lib.sh" "$RT" "$IMAGE_USERSPEC" \
  "$WORK/image.env" "$WORK/logs" "$T_START" "$WORKDIR" "${ENTRYPOINT[@]}" -- "${HEALTH[@]:1}" \
  >"$WORK/logs/serve_check.log" 2>&1 || true
grep -v '^RESULT' "$WORK/logs/serve_check.log" | sed 's/^/  /' || true
result_is() { grep -q "^RESULT $1 pass" "$WORK/logs/serve_check.log"; }
for name in healthz guidance metrics healthcheck-up sigterm-stop healthcheck-down rerun-help; do
  detail=$(sed -n "s/^RESULT $name //p" "$WORK/logs/serve_check.log")
  check "$name ${detail:-not reached}" result_is "$name"
done
secret_kept() { ! grep -rqF "$SECRET" "$WORK/logs"; }
check "the webhook secret is not in the service's output" secret_kept
if ! result_is healthz; then
  echo "  --- serve.log (last 40 lines)"
  tail -n 40 "$WORK/logs/serve.log" 2>/dev/null | sed 's/^/  /'
fi

for t in "${TIMES[@]}"; do log "time: $t"; done
log "total: $((SECONDS - START))s"
echo "image_test: $PASSED passed, $FAILED failed"
((FAILED == 0))
