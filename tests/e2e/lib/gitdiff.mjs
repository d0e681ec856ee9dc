// PR diff as GitHub computes it: `git diff base...head` (merge-base to head), 3 lines of context,
// parsed into files and hunks so review-comment anchors can be checked the way GitHub does.
import { execFileSync } from "node:child_process";

function git(gitDir, args) {
  return execFileSync(
    "git",
    ["--git-dir", gitDir, "-c", "core.quotepath=false", "-c", "diff.noprefix=false", ...args],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] },
  );
}

export function commitExists(gitDir, sha) {
  try {
    git(gitDir, ["cat-file", "-e", `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

export function commitCount(gitDir, base, head) {
  try {
    return Number(git(gitDir, ["rev-list", "--count", `${base}..${head}`]).trim());
  } catch {
    return 0;
  }
}

export function rawDiff(gitDir, base, head) {
  return git(gitDir, [
    "diff", "--no-color", "--no-ext-diff", "--full-index", "-M", "--unified=3", `${base}...${head}`,
  ]);
}

function unquote(p) {
  if (!p.startsWith('"')) return p;
  try {
    return JSON.parse(p);
  } catch {
    return p.slice(1, -1);
  }
}

// -> [{filename, previous_filename?, status, additions, deletions, changes, patch?, sha,
//      binary, hunks:[{oldStart, oldLines, newStart, newLines, lines:[{type, old, new, position}]}],
//      positions}]
export function parseDiff(text) {
  const files = [];
  let f = null;
  let hunk = null;
  let inHeader = false;
  const lines = text.split("\n");
  if (lines.length && lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("diff --git ")) {
      const m = /^diff --git (?:"?a\/)(.+?)"? (?:"?b\/)(.+?)"?$/.exec(line);
      f = {
        filename: m ? m[2] : line.slice(11), oldname: m ? m[1] : null, status: "modified",
        additions: 0, deletions: 0, hunks: [], patchLines: [], binary: false, sha: null, position: 0,
      };
      files.push(f);
      hunk = null;
      inHeader = true;
      continue;
    }
    if (!f) continue;
    if (inHeader) {
      let m;
      if (line.startsWith("new file mode")) f.status = "added";
      else if (line.startsWith("deleted file mode")) f.status = "removed";
      else if ((m = /^rename from (.+)$/.exec(line))) { f.status = "renamed"; f.oldname = unquote(m[1]); }
      else if ((m = /^rename to (.+)$/.exec(line))) f.filename = unquote(m[1]);
      else if ((m = /^copy from (.+)$/.exec(line))) { f.status = "copied"; f.oldname = unquote(m[1]); }
      else if ((m = /^copy to (.+)$/.exec(line))) f.filename = unquote(m[1]);
      else if ((m = /^index ([0-9a-f]+)\.\.([0-9a-f]+)/.exec(line))) f.sha = m[2];
      else if (line.startsWith("Binary files ")) f.binary = true;
      else if (line.startsWith("--- ")) {
        const p = line.slice(4);
        if (p !== "/dev/null") f.oldname = unquote(p).replace(/^a\//, "");
      } else if (line.startsWith("+++ ")) {
        const p = line.slice(4);
        if (p !== "/dev/null") f.filename = unquote(p).replace(/^b\//, "");
      } else if (line.startsWith("@@")) inHeader = false;
      if (inHeader) continue;
    }
    if (line.startsWith("@@")) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      // position: lines below the first @@ of the file; later @@ lines count too.
      if (f.hunks.length > 0) f.position++;
      hunk = {
        oldStart: +m[1], oldLines: m[2] === undefined ? 1 : +m[2],
        newStart: +m[3], newLines: m[4] === undefined ? 1 : +m[4],
        header: line, lines: [],
      };
      hunk.nextOld = hunk.oldStart;
      hunk.nextNew = hunk.newStart;
      f.hunks.push(hunk);
      f.patchLines.push(line);
      continue;
    }
    if (!hunk) continue;
    const t = line[0];
    if (t === "\\") { f.patchLines.push(line); continue; } // "\ No newline at end of file"
    if (t !== " " && t !== "+" && t !== "-") continue;
    f.position++;
    const entry = { type: t, old: null, new: null, position: f.position, text: line };
    if (t === " " || t === "-") entry.old = hunk.nextOld++;
    if (t === " " || t === "+") entry.new = hunk.nextNew++;
    if (t === "+") f.additions++;
    if (t === "-") f.deletions++;
    hunk.lines.push(entry);
    f.patchLines.push(line);
  }
  for (const file of files) {
    if (file.status === "modified" && file.oldname && file.oldname !== file.filename) file.status = "renamed";
    if (file.status === "renamed" || file.status === "copied") file.previous_filename = file.oldname;
    file.changes = file.additions + file.deletions;
    if (file.patchLines.length) file.patch = file.patchLines.join("\n");
    file.positions = file.position;
    delete file.patchLines;
    delete file.position;
    delete file.oldname;
    for (const h of file.hunks) { delete h.nextOld; delete h.nextNew; }
  }
  return files;
}

const MSG = {
  notInDiff: "Pull request review thread line must be part of the diff",
  path: "Path could not be resolved",
  blank: "Pull request review thread diff hunk can't be blank",
  sameHunk: "Pull request review thread start line must be part of the same hunk as the line.",
  precede: "Pull request review thread start line must precede the end line.",
  side: "Pull request review thread side must be either LEFT or RIGHT",
  position: "Pull request review thread position is invalid",
  missing: "Pull request review thread line must be part of the diff",
};

function findLine(file, line, side) {
  const key = side === "LEFT" ? "old" : "new";
  for (let hi = 0; hi < file.hunks.length; hi++) {
    for (const l of file.hunks[hi].lines) {
      if (l[key] === line && (side === "LEFT" ? l.type !== "+" : l.type !== "-")) return { hunk: hi, entry: l };
    }
  }
  return null;
}

// Checks one review comment against the parsed diff. -> {ok:true, anchor} | {ok:false, error}
export function anchorComment(files, c) {
  const file = files.find((f) => f.filename === c.path);
  if (!file) return { ok: false, error: MSG.path };
  if (!file.hunks.length) return { ok: false, error: MSG.blank };
  if (c.line === undefined && c.position !== undefined) {
    if (!Number.isInteger(c.position) || c.position < 1 || c.position > file.positions) {
      return { ok: false, error: MSG.position };
    }
    let hunk = 0;
    for (let hi = 0; hi < file.hunks.length; hi++) {
      for (const l of file.hunks[hi].lines) {
        if (l.position === c.position) {
          hunk = hi;
          const side = l.type === "-" ? "LEFT" : "RIGHT";
          return { ok: true, anchor: { file, hunk, side, line: side === "LEFT" ? l.old : l.new, position: l.position } };
        }
      }
    }
    return { ok: false, error: MSG.position }; // position points at a later @@ line
  }
  if (c.line === undefined) return { ok: false, error: MSG.missing };
  const side = c.side ?? "RIGHT";
  if (side !== "LEFT" && side !== "RIGHT") return { ok: false, error: MSG.side };
  const end = findLine(file, c.line, side);
  if (!end) return { ok: false, error: MSG.notInDiff };
  const anchor = { file, hunk: end.hunk, side, line: c.line, position: end.entry.position };
  if (c.start_line !== undefined && c.start_line !== null) {
    const startSide = c.start_side ?? side;
    if (startSide !== "LEFT" && startSide !== "RIGHT") return { ok: false, error: MSG.side };
    const start = findLine(file, c.start_line, startSide);
    if (!start) return { ok: false, error: MSG.notInDiff };
    if (start.hunk !== end.hunk) return { ok: false, error: MSG.sameHunk };
    if (start.entry.position >= end.entry.position) return { ok: false, error: MSG.precede };
    anchor.start_line = c.start_line;
    anchor.start_side = startSide;
  }
  return { ok: true, anchor };
}

// The @@ header plus hunk lines up to the anchored line, as GitHub's `diff_hunk` field.
export function diffHunkText(anchor) {
  const h = anchor.file.hunks[anchor.hunk];
  const out = [h.header];
  for (const l of h.lines) {
    out.push(l.text);
    if (l.position === anchor.position) break;
  }
  return out.join("\n");
}
