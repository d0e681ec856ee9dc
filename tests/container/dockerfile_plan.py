#!/usr/bin/env python3
"""Reads a Dockerfile and a .dockerignore for image_test.sh (stdlib only).

  dockerfile_plan.py plan DOCKERFILE
      One instruction per line, as shell words (quoted with shlex.quote) that
      image_test.sh reads with `eval "set -- $line"`:
        FROM IMAGE STAGE-NAME
        WORKDIR PATH
        COPY FROM-STAGE-OR-EMPTY DEST SRC...
        RUN sh COMMAND          | RUN exec ARG...
        ENV NAME VALUE          (one line per variable)
        USER NAME
        VOLUME PATH... | EXPOSE PORT... | LABEL TEXT
        HEALTHCHECK OPTIONS-TEXT exec ARG... | HEALTHCHECK OPTIONS-TEXT sh COMMAND
        ENTRYPOINT ARG...       | CMD ARG...   (exec form only)
      Each line is preceded by a "#TEXT" line holding the instruction as written
      (normalised whitespace), which image_test.sh hashes for its layer cache.
      Anything it does not understand is an error (exit 2), so the test never
      silently skips a step of the real file.

  dockerfile_plan.py stage CONTEXT-DIR OUT-DIR DEST SRC...
      Copies into OUT-DIR what `COPY SRC... DEST` adds (after .dockerignore),
      laid out from the image's root, and prints a digest of it.
"""

import hashlib
import json
import os
import re
import shlex
import shutil
import stat
import sys


def fail(message):
    print(f"dockerfile_plan: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- Dockerfile

def logical_lines(text):
    """Joins backslash continuations; drops comments and blank lines."""
    out, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction
        if stripped.endswith("\\"):
            current += stripped[:-1].rstrip() + " "
            continue
        current += stripped
        out.append(current.strip())
        current = ""
    if current:
        out.append(current.strip())
    return out


def exec_form(text, what):
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(f"{what}: expected a JSON array of strings")
    return value


def flags(words):
    """Splits leading --name=value flags off a word list."""
    found = {}
    while words and words[0].startswith("--"):
        name, _, value = words.pop(0)[2:].partition("=")
        found[name] = value
    return found


def env_pairs(rest):
    words = shlex.split(rest)
    if words and "=" not in words[0]:
        # Legacy form: ENV NAME VALUE WITH SPACES
        name, _, value = rest.partition(" ")
        return [(name, value.strip())]
    pairs = []
    for word in words:
        name, eq, value = word.partition("=")
        if not eq:
            fail(f"ENV: '{word}' is not NAME=VALUE")
        pairs.append((name, value))
    return pairs


def plan(path):
    with open(path, encoding="utf-8") as f:
        lines = logical_lines(f.read())
    out = []
    stage = None
    stages = []

    def emit(text, *words):
        out.append("#" + text)
        out.append(" ".join(shlex.quote(w) for w in words))

    for line in lines:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        rest = rest.strip()
        if keyword in ("FROM", "WORKDIR", "COPY", "ENV", "USER", "VOLUME") and "$" in rest:
            fail(f"{keyword}: variable expansion is not supported by the test: '{rest}'")
        if keyword == "FROM":
            words = rest.split()
            flags(words)
            if len(words) == 3 and words[1].upper() == "AS":
                stage = words[2]
            elif len(words) == 1:
                stage = str(len(stages))
            else:
                fail(f"FROM: cannot read '{rest}'")
            stages.append(stage)
            emit(line, "FROM", words[0], stage)
            continue
        if stage is None:
            if keyword == "ARG":
                fail("ARG before FROM is not supported")
            fail(f"{keyword} before FROM")
        if keyword == "WORKDIR":
            emit(line, "WORKDIR", rest)
        elif keyword == "COPY":
            words = rest.split()
            opts = flags(words)
            unknown = set(opts) - {"from"}
            if unknown:
                fail(f"COPY: unsupported flag(s) {sorted(unknown)}")
            if len(words) < 2:
                fail(f"COPY: needs a source and a destination: '{rest}'")
            if opts.get("from") and opts["from"] not in stages:
                fail(f"COPY --from={opts['from']}: no earlier stage of that name")
            emit(line, "COPY", opts.get("from", ""), words[-1], *words[:-1])
        elif keyword == "RUN":
            if rest.startswith("--"):
                fail("RUN flags (--mount, --network) are not supported by the test")
            args = exec_form(rest, "RUN")
            if args is None:
                emit(line, "RUN", "sh", rest)
            else:
                emit(line, "RUN", "exec", *args)
        elif keyword == "ENV":
            for name, value in env_pairs(rest):
                emit(f"ENV {name}={value}", "ENV", name, value)
        elif keyword == "USER":
            emit(line, "USER", rest)
        elif keyword in ("VOLUME", "EXPOSE", "LABEL"):
            args = exec_form(rest, keyword) if rest.startswith("[") else None
            emit(line, keyword, *(args if args is not None else rest.split()))
        elif keyword == "HEALTHCHECK":
            options, sep, command = rest.partition("CMD ")
            if not sep:
                if rest.strip().upper() == "NONE":
                    emit(line, "HEALTHCHECK", "NONE", "none")
                    continue
                fail("HEALTHCHECK: expected CMD")
            args = exec_form(command.strip(), "HEALTHCHECK")
            if args is None:
                emit(line, "HEALTHCHECK", options.strip(), "sh", command.strip())
            else:
                emit(line, "HEALTHCHECK", options.strip(), "exec", *args)
        elif keyword in ("ENTRYPOINT", "CMD"):
            args = exec_form(rest, keyword)
            if args is None:
                fail(f"{keyword}: use the exec (JSON array) form")
            emit(line, keyword, *args)
        else:
            fail(f"instruction {keyword} is not supported by the test")
    if not stages:
        fail("no FROM")
    print("\n".join(out))


# ------------------------------------------------------------- .dockerignore

def pattern_regex(pattern):
    """Docker's (moby/patternmatcher) syntax: '*' and '?' stay within one
    path segment, '**' spans any number of segments, [...] classes."""
    i, out = 0, ""
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
                out += "(?:.*/)?"
            else:
                out += ".*"
            continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out += re.escape(c)
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out += "[" + body + "]"
                i = end
        elif c == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(c)
        i += 1
    return re.compile(out + r"\Z")


def read_ignore(context):
    rules = []
    path = os.path.join(context, ".dockerignore")
    if not os.path.exists(path):
        return rules
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            if negate:
                line = line[1:].strip()
            line = os.path.normpath(line).lstrip("/")
            if line in ("", "."):
                continue
            rules.append((negate, pattern_regex(line)))
    return rules


def excluded(rules, rel):
    """rel is excluded when the last rule matching it, or one of its parent
    directories, is not a '!' exception."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    result = False
    for negate, regex in rules:
        if any(regex.match(p) for p in prefixes):
            result = not negate
    return result


def selected(context_dir, rules, source):
    """The context paths (relative, sorted) that one COPY source sends."""
    source = os.path.normpath(source).lstrip("/")
    if any(ch in source for ch in "*?["):
        fail(f"COPY source '{source}': wildcards are not supported by the test")
    if source.startswith(".."):
        fail(f"COPY source '{source}' is outside the build context")
    top = os.path.join(context_dir, source) if source != "." else context_dir
    if not os.path.lexists(top):
        fail(f"COPY source '{source}' is not in the build context")
    rel_top = os.path.relpath(top, context_dir)
    if rel_top != "." and excluded(rules, rel_top):
        fail(f"COPY source '{source}' is excluded by .dockerignore")
    if not os.path.isdir(top) or os.path.islink(top):
        return rel_top, [rel_top]
    prune = not any(negate for negate, _ in rules)
    chosen = []
    for root, dirs, files in os.walk(top):
        rel_root = os.path.relpath(root, context_dir)
        keep = []
        for d in sorted(dirs):
            rel = os.path.normpath(os.path.join(rel_root, d))
            if excluded(rules, rel):
                if not prune:
                    keep.append(d)
                continue
            chosen.append(rel)
            keep.append(d)
        dirs[:] = keep
        for name in files:
            rel = os.path.normpath(os.path.join(rel_root, name))
            if not excluded(rules, rel):
                chosen.append(rel)
    return rel_top, sorted(chosen)


def stage(context_dir, out_dir, dest, sources):
    """Lays out under OUT-DIR what `COPY SOURCES DEST` adds to the image
    (DEST absolute), with Docker's rules: a directory source contributes its
    contents, a file goes to DEST/NAME when DEST is a directory (ends in '/'
    or there are several sources), else to DEST itself. Prints a digest of
    the paths, modes and contents (not times): the layer cache key."""
    context_dir = os.path.abspath(context_dir)
    rules = read_ignore(context_dir)
    dest_is_dir = dest.endswith("/") or len(sources) > 1
    dest = os.path.normpath(dest).lstrip("/")
    digest = hashlib.sha256()
    for source in sources:
        rel_top, paths = selected(context_dir, rules, source)
        top = os.path.join(context_dir, rel_top)
        for rel in paths:
            src = os.path.join(context_dir, rel)
            if os.path.isdir(top) and not os.path.islink(top):
                target_rel = os.path.normpath(os.path.join(dest, os.path.relpath(src, top)))
            elif dest_is_dir or os.path.isdir(os.path.join(out_dir, dest)):
                target_rel = os.path.join(dest, os.path.basename(src))
            else:
                target_rel = dest
            target = os.path.join(out_dir, target_rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            st = os.lstat(src)
            digest.update(f"{target_rel}\0{stat.S_IMODE(st.st_mode):o}\0".encode())
            if os.path.islink(src):
                link = os.readlink(src)
                digest.update(b"L" + link.encode() + b"\0")
                os.symlink(link, target)
            elif os.path.isdir(src):
                digest.update(b"D\0")
                os.makedirs(target, exist_ok=True)
                os.chmod(target, stat.S_IMODE(st.st_mode))
            else:
                file_digest = hashlib.sha256()
                with open(src, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        file_digest.update(chunk)
                digest.update(b"F" + file_digest.hexdigest().encode() + b"\0")
                shutil.copy2(src, target, follow_symlinks=False)
    print(digest.hexdigest())


def main(argv):
    if len(argv) >= 2 and argv[0] == "plan":
        plan(argv[1])
    elif len(argv) >= 5 and argv[0] == "stage":
        stage(argv[1], argv[2], argv[3], argv[4:])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
