#!/usr/bin/env node
// Fake GitHub REST API with state, for lockspan's integration tests. Only listens on 127.0.0.1.
//
//   node fake_github.mjs --port 0 --state-dir DIR --app-id 12345 --public-key app_pub.pem
//        [--client-id Iv1.x] [--token-ttl 3600] [--app-slug lockspan]
// prints "LISTENING <port>" when ready; SIGTERM/SIGINT stop it (exit 0).
// Issued installation tokens are written to DIR/users for git_server.sh (see lib/auth.mjs).
// Control API (no auth) under /_control/: see README.md in this directory.
import { createServer } from "node:http";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { OpenApi } from "./lib/openapi.mjs";
import { Auth, docsUrl } from "./lib/auth.mjs";
import { HttpError, createResponder, iso, notFound, readBody } from "./lib/http.mjs";
import { anchorComment, commitCount, commitExists, diffHunkText, parseDiff, rawDiff } from "./lib/gitdiff.mjs";

const { values: opt } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "state-dir": { type: "string" },
    "app-id": { type: "string", default: "12345" },
    "client-id": { type: "string" },
    "public-key": { type: "string" },
    "token-ttl": { type: "string", default: "3600" },
    "app-slug": { type: "string", default: "lockspan" },
  },
});
if (!opt["public-key"] || !opt["state-dir"]) {
  console.error("usage: node fake_github.mjs --port 0 --state-dir DIR --app-id ID --public-key PEM");
  process.exit(2);
}
mkdirSync(opt["state-dir"], { recursive: true });

const api = new OpenApi();
const auth = new Auth({
  appId: opt["app-id"],
  clientId: opt["client-id"],
  publicKeyPem: readFileSync(opt["public-key"], "utf8"),
  stateDir: opt["state-dir"],
  tokenTtl: Number(opt["token-ttl"]),
});
const APP = { id: Number(opt["app-id"]), slug: opt["app-slug"], name: opt["app-slug"] };
const BOT = { login: `${APP.slug}[bot]`, id: 900000 + APP.id, type: "Bot", node_id: "BOT_kgDO" + APP.id };
const DEFAULT_PERMS = { metadata: "read", contents: "read", pull_requests: "write", checks: "write", issues: "write" };
const LEVEL = { none: 0, read: 1, write: 2, admin: 3 };
const LEGACY_ROLE = { admin: "admin", maintain: "write", write: "write", triage: "read", read: "read", none: "none" };

let st;
let requests;
let faults;
const rl = { limit: 5000, used: 0, reset: 0 };
const { rateHeaders, send, sendError, baseUrl, paginate } = createResponder(rl);
let seq;
const diffCache = new Map();
let API_BASE = "http://127.0.0.1"; // set once listening
function resetAll(keepSeed) {
  const seed = keepSeed && st ? { repos: st.repos, pulls: st.pulls, installations: st.installations, permissions: st.permissions } : null;
  st = {
    repos: new Map(), pulls: new Map(), installations: new Map(), permissions: {},
    reviews: [], comments: [], checkRuns: new Map(), issueComments: [], reactions: [], nextId: 1000,
    ...seed,
  };
  requests = [];
  faults = [];
  Object.assign(rl, { limit: 5000, used: 0, reset: Math.floor(Date.now() / 1000) + 3600 });
  seq = 0;
  if (!keepSeed) auth.clear();
}
resetAll(false);

const nextId = () => ++st.nextId;
const repoKey = (o, r) => `${o}/${r}`.toLowerCase();


// ---------------------------------------------------------------- auth
function authenticate(ctx) {
  const h = ctx.req.headers.authorization;
  if (!h) return null;
  const m = /^(token|bearer)\s+(\S+)$/i.exec(h.trim());
  if (!m) throw new HttpError(401, "Bad credentials");
  const rec = auth.lookup(m[2]);
  if (rec?.expired) throw new HttpError(401, "Bad credentials");
  if (rec) return { kind: "token", rec };
  if (m[1].toLowerCase() === "bearer" && m[2].split(".").length === 3 && !m[2].startsWith("ghs_")) {
    const v = auth.verifyJwt(m[2]);
    if (!v.ok) throw new HttpError(v.status, v.message);
    return { kind: "jwt", claims: v.claims };
  }
  throw new HttpError(401, "Bad credentials");
}

function requireJwt(ctx) {
  if (!ctx.auth) throw new HttpError(401, "A JSON web token could not be decoded");
  if (ctx.auth.kind !== "jwt") throw new HttpError(401, "A JSON web token could not be decoded");
}

// Installation-token access to a repo: 404 when the token cannot see it (as GitHub does).
function repoFor(ctx, p, perm, level = "read") {
  if (!ctx.auth) throw new HttpError(401, "Requires authentication");
  if (ctx.auth.kind !== "token") {
    throw new HttpError(403, "Resource not accessible by integration"); // JWTs only reach /app endpoints
  }
  const key = repoKey(p.owner, p.repo);
  const repo = st.repos.get(key);
  const tok = ctx.auth.rec;
  const inst = st.installations.get(tok.installation_id);
  if (!repo || !inst || !inst.repos.has(key) || (tok.repos && !tok.repos.has(key))) throw notFound();
  const have = LEVEL[tok.permissions?.[perm] ?? "none"] ?? 0;
  const alt = perm === "issues" ? LEVEL[tok.permissions?.pull_requests ?? "none"] ?? 0 : 0;
  if (Math.max(have, alt) < LEVEL[level]) throw new HttpError(403, "Resource not accessible by integration");
  return repo;
}

function pullFor(repo, number) {
  const pr = st.pulls.get(`${repo.key}#${Number(number)}`);
  if (!pr) throw notFound();
  return pr;
}

function diffFiles(repo, base, head) {
  const key = `${repo.git_dir}\0${base}\0${head}`;
  if (!diffCache.has(key)) diffCache.set(key, parseDiff(rawDiff(repo.git_dir, base, head)));
  return diffCache.get(key);
}

// ---------------------------------------------------------------- representations
function ownerJson(login) {
  return { login, id: 1000 + [...login].reduce((a, c) => a + c.charCodeAt(0), 0), type: "User", site_admin: false };
}
function repoJson(repo) {
  return {
    id: repo.id, node_id: `R_${repo.id}`, name: repo.name, full_name: `${repo.owner}/${repo.name}`,
    private: repo.private, owner: ownerJson(repo.owner), html_url: `https://github.com/${repo.owner}/${repo.name}`,
    url: `${API_BASE}/repos/${repo.owner}/${repo.name}`, clone_url: repo.clone_url,
    default_branch: repo.default_branch, fork: false, archived: false, disabled: false, visibility: repo.private ? "private" : "public",
  };
}
function pullJson(repo, pr) {
  const html = `https://github.com/${repo.owner}/${repo.name}/pull/${pr.number}`;
  const side = (ref, sha, full) => ({
    label: `${full.split("/")[0]}:${ref}`, ref, sha, user: ownerJson(full.split("/")[0]),
    repo: full === `${repo.owner}/${repo.name}` ? repoJson(repo) : { full_name: full, name: full.split("/")[1], owner: ownerJson(full.split("/")[0]), fork: true },
  });
  let files = [];
  try {
    files = diffFiles(repo, pr.base_sha, pr.head_sha);
  } catch { /* unknown commits: report zero counts */ }
  return {
    url: `${API_BASE}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`, id: pr.id, node_id: `PR_${pr.id}`,
    html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, number: pr.number, state: pr.state,
    locked: false, title: pr.title, body: pr.body, user: ownerJson(pr.user), draft: pr.draft,
    created_at: pr.created_at, updated_at: pr.created_at, closed_at: null, merged_at: null, merged: false,
    mergeable: true, mergeable_state: "clean", merge_commit_sha: null,
    head: side(pr.head_ref, pr.head_sha, pr.head_repo), base: side(pr.base_ref, pr.base_sha, `${repo.owner}/${repo.name}`),
    author_association: "CONTRIBUTOR", commits: commitCount(repo.git_dir, pr.base_sha, pr.head_sha),
    additions: files.reduce((a, f) => a + f.additions, 0), deletions: files.reduce((a, f) => a + f.deletions, 0),
    changed_files: files.length,
  };
}
const publicReview = (r) => { const { repo_key, pull_number, ...rest } = r; return rest; };
const publicComment = (c) => { const { repo_key, pull_number, pending, ...rest } = c; return rest; };
function publicCheckRun(c) {
  const { repo_key, annotations, updates, ...rest } = c;
  return { ...rest, output: { ...c.output, annotations_count: annotations.length, annotations_url: `${c.url}/annotations` } };
}

// ---------------------------------------------------------------- handlers (by operationId)
const handlers = {
  "meta/root": (ctx) => send(ctx, 200, { current_user_url: `${baseUrl(ctx)}/user` }),
  "rate-limit/get": (ctx) => {
    const h = rateHeaders();
    const core = { limit: rl.limit, remaining: +h["x-ratelimit-remaining"], reset: rl.reset, used: rl.used };
    send(ctx, 200, { resources: { core }, rate: core });
  },
  "apps/get-authenticated": (ctx) => {
    requireJwt(ctx);
    send(ctx, 200, { ...APP, owner: ownerJson("lockspan-org"), permissions: DEFAULT_PERMS, events: ["pull_request", "check_run", "check_suite", "issue_comment"] });
  },
  "apps/list-installations": (ctx) => {
    requireJwt(ctx);
    const all = [...st.installations.values()].map(instJson);
    const { slice, headers } = paginate(ctx, all);
    send(ctx, 200, slice, headers);
  },
  "apps/get-installation": (ctx, p) => {
    requireJwt(ctx);
    const inst = st.installations.get(Number(p.installation_id));
    if (!inst) throw notFound();
    send(ctx, 200, instJson(inst));
  },
  "apps/get-repo-installation": (ctx, p) => {
    requireJwt(ctx);
    const key = repoKey(p.owner, p.repo);
    const inst = [...st.installations.values()].find((i) => i.repos.has(key));
    if (!inst) throw notFound();
    send(ctx, 200, instJson(inst));
  },
  "apps/create-installation-access-token": (ctx, p, body) => {
    requireJwt(ctx);
    const inst = st.installations.get(Number(p.installation_id));
    if (!inst) throw notFound();
    if (inst.suspended) throw new HttpError(403, "This installation has been suspended");
    let repos = null;
    if (body.repositories || body.repository_ids) {
      repos = new Set();
      for (const name of body.repositories ?? []) {
        const key = [...inst.repos].find((k) => k.split("/")[1] === String(name).toLowerCase());
        if (!key) throw new HttpError(422, "There is at least one repository that does not exist or is not accessible to the parent installation.");
        repos.add(key);
      }
      for (const id of body.repository_ids ?? []) {
        const r = [...st.repos.values()].find((x) => x.id === id && inst.repos.has(x.key));
        if (!r) throw new HttpError(422, "There is at least one repository that does not exist or is not accessible to the parent installation.");
        repos.add(r.key);
      }
    }
    let perms = { ...inst.permissions };
    if (body.permissions) {
      for (const [k, v] of Object.entries(body.permissions)) {
        if ((LEVEL[v] ?? 0) > (LEVEL[inst.permissions[k]] ?? 0)) {
          throw new HttpError(422, `The permissions requested are not granted to this installation.`);
        }
      }
      perms = { ...body.permissions, metadata: body.permissions.metadata ?? "read" };
    }
    const rec = auth.issue(inst.id, repos, perms);
    const out = { token: rec.token, expires_at: iso(rec.expires_at), permissions: perms, repository_selection: "selected" };
    if (repos) out.repositories = [...repos].map((k) => repoJson(st.repos.get(k)));
    send(ctx, 201, out);
  },
  "repos/get": (ctx, p) => send(ctx, 200, repoJson(repoFor(ctx, p, "metadata"))),
  "pulls/get": (ctx, p) => {
    const repo = repoFor(ctx, p, "pull_requests");
    const pr = pullFor(repo, p.pull_number);
    const accept = ctx.req.headers.accept ?? "";
    if (/\.(diff|patch)\b/.test(accept)) return send(ctx, 200, rawDiff(repo.git_dir, pr.base_sha, pr.head_sha));
    send(ctx, 200, pullJson(repo, pr));
  },
  "pulls/list": (ctx, p) => {
    const repo = repoFor(ctx, p, "pull_requests");
    const q = ctx.url.searchParams;
    const want = q.get("state") ?? "open";
    const list = [...st.pulls.entries()].filter(([k, pr]) => k.startsWith(`${repo.key}#`)
      && (want === "all" || pr.state === want) && (!q.get("base") || pr.base_ref === q.get("base"))
      && (!q.get("head") || `${pr.head_repo.split("/")[0]}:${pr.head_ref}` === q.get("head")));
    const { slice, headers } = paginate(ctx, list.map(([, pr]) => pullJson(repo, pr)));
    send(ctx, 200, slice, headers);
  },
  "repos/list-pull-requests-associated-with-commit": (ctx, p) => {
    const repo = repoFor(ctx, p, "pull_requests");
    const list = [...st.pulls.entries()].filter(([k, pr]) => k.startsWith(`${repo.key}#`) && pr.head_sha === p.commit_sha);
    const { slice, headers } = paginate(ctx, list.map(([, pr]) => pullJson(repo, pr)));
    send(ctx, 200, slice, headers);
  },
  "pulls/list-files": (ctx, p) => {
    const repo = repoFor(ctx, p, "pull_requests");
    const pr = pullFor(repo, p.pull_number);
    const files = diffFiles(repo, pr.base_sha, pr.head_sha).slice(0, 3000).map((f) => {
      const out = {
        sha: f.sha, filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions, changes: f.changes,
        blob_url: `https://github.com/${repo.owner}/${repo.name}/blob/${pr.head_sha}/${f.filename}`,
        raw_url: `https://github.com/${repo.owner}/${repo.name}/raw/${pr.head_sha}/${f.filename}`,
        contents_url: `${API_BASE}/repos/${repo.owner}/${repo.name}/contents/${f.filename}?ref=${pr.head_sha}`,
      };
      if (f.patch !== undefined) out.patch = f.patch;
      if (f.previous_filename) out.previous_filename = f.previous_filename;
      return out;
    });
    const { slice, headers } = paginate(ctx, files);
    send(ctx, 200, slice, headers);
  },
  "pulls/list-review-comments": (ctx, p) => {
    const repo = repoFor(ctx, p, "pull_requests");
    pullFor(repo, p.pull_number);
    let list = st.comments.filter((c) => c.repo_key === repo.key && c.pull_number === Number(p.pull_number) && !c.pending);
    if (ctx.url.searchParams.get("direction") === "desc") list = list.slice().reverse();
    const { slice, headers } = paginate(ctx, list.map(publicComment));
    send(ctx, 200, slice, headers);
  },
  "pulls/list-reviews": (ctx, p) => {
    const repo = repoFor(ctx, p, "pull_requests");
    pullFor(repo, p.pull_number);
    const list = st.reviews.filter((r) => r.repo_key === repo.key && r.pull_number === Number(p.pull_number));
    const { slice, headers } = paginate(ctx, list.map(publicReview));
    send(ctx, 200, slice, headers);
  },
  "pulls/get-review": (ctx, p) => {
    const repo = repoFor(ctx, p, "pull_requests");
    const r = st.reviews.find((x) => x.repo_key === repo.key && x.pull_number === Number(p.pull_number) && x.id === Number(p.review_id));
    if (!r) throw notFound();
    send(ctx, 200, publicReview(r));
  },
  "pulls/create-review": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "pull_requests", "write");
    const pr = pullFor(repo, p.pull_number);
    const commitId = body.commit_id ?? pr.head_sha;
    if (!commitExists(repo.git_dir, commitId)) throw new HttpError(422, "Unprocessable Entity", { errors: [`No commit found for SHA: ${commitId}`] });
    const comments = body.comments ?? [];
    if ((body.event === "REQUEST_CHANGES" || body.event === "COMMENT") && !body.body && comments.length === 0) {
      throw new HttpError(422, "Unprocessable Entity", { errors: ["Review body can't be blank"] });
    }
    const files = diffFiles(repo, pr.base_sha, commitId);
    const anchors = comments.map((c) => anchorComment(files, c));
    const bad = anchors.find((a) => !a.ok);
    if (bad) throw new HttpError(422, "Unprocessable Entity", { errors: [bad.error] }); // whole review rejected
    const state = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" }[body.event] ?? "PENDING";
    const id = nextId();
    const html = `https://github.com/${repo.owner}/${repo.name}/pull/${pr.number}`;
    const review = {
      id, node_id: `PRR_${id}`, user: BOT, body: body.body ?? "", state, commit_id: commitId,
      html_url: `${html}#pullrequestreview-${id}`, pull_request_url: `${API_BASE}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`,
      author_association: "NONE", repo_key: repo.key, pull_number: pr.number,
      ...(state === "PENDING" ? {} : { submitted_at: iso() }),
    };
    st.reviews.push(review);
    comments.forEach((c, i) => st.comments.push(commentRecord(repo, pr, c, anchors[i].anchor, commitId, id, state === "PENDING")));
    send(ctx, 200, publicReview(review));
  },
  "pulls/create-review-comment": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "pull_requests", "write");
    const pr = pullFor(repo, p.pull_number);
    let anchor;
    let commitId = body.commit_id ?? pr.head_sha;
    if (body.in_reply_to !== undefined) {
      const parent = st.comments.find((c) => c.id === body.in_reply_to && c.repo_key === repo.key);
      if (!parent) throw notFound();
      commitId = parent.commit_id;
      const a = anchorComment(diffFiles(repo, pr.base_sha, commitId), { path: parent.path, line: parent.line, side: parent.side });
      anchor = a.anchor;
    } else {
      if (!commitExists(repo.git_dir, commitId)) throw new HttpError(422, "Unprocessable Entity", { errors: [`No commit found for SHA: ${commitId}`] });
      const a = anchorComment(diffFiles(repo, pr.base_sha, commitId), body);
      if (!a.ok) throw new HttpError(422, "Unprocessable Entity", { errors: [a.error] });
      anchor = a.anchor;
    }
    const c = commentRecord(repo, pr, body, anchor, commitId, nextId(), false);
    if (body.in_reply_to !== undefined) c.in_reply_to_id = body.in_reply_to;
    st.comments.push(c);
    send(ctx, 201, publicComment(c));
  },
  "pulls/create-reply-for-review-comment": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "pull_requests", "write");
    const pr = pullFor(repo, p.pull_number);
    const parent = st.comments.find((c) => c.id === Number(p.comment_id) && c.repo_key === repo.key && c.pull_number === pr.number);
    if (!parent) throw notFound();
    const a = anchorComment(diffFiles(repo, pr.base_sha, parent.commit_id), { path: parent.path, line: parent.line, side: parent.side });
    const c = commentRecord(repo, pr, { ...body, path: parent.path }, a.anchor, parent.commit_id, parent.pull_request_review_id, false);
    c.in_reply_to_id = parent.id;
    st.comments.push(c);
    send(ctx, 201, publicComment(c));
  },
  "checks/create": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "checks", "write");
    if (!commitExists(repo.git_dir, body.head_sha)) throw new HttpError(422, "Unprocessable Entity", { errors: ["No commit found for SHA: " + body.head_sha] });
    const id = nextId();
    const run = {
      id, node_id: `CR_${id}`, head_sha: body.head_sha, name: body.name, external_id: body.external_id ?? "",
      url: `${API_BASE}/repos/${repo.owner}/${repo.name}/check-runs/${id}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/runs/${id}`, details_url: body.details_url ?? null,
      status: "queued", conclusion: null, started_at: iso(), completed_at: null,
      output: { title: null, summary: null, text: null }, app: { id: APP.id, slug: APP.slug }, check_suite: { id: 7000 + id },
      pull_requests: [], repo_key: repo.key, annotations: [], updates: [],
    };
    applyCheckUpdate(run, body);
    st.checkRuns.set(id, run);
    send(ctx, 201, publicCheckRun(run));
  },
  "checks/update": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "checks", "write");
    const run = st.checkRuns.get(Number(p.check_run_id));
    if (!run || run.repo_key !== repo.key) throw notFound();
    applyCheckUpdate(run, body);
    send(ctx, 200, publicCheckRun(run));
  },
  "checks/get": (ctx, p) => {
    const repo = repoFor(ctx, p, "checks", "read");
    const run = st.checkRuns.get(Number(p.check_run_id));
    if (!run || run.repo_key !== repo.key) throw notFound();
    send(ctx, 200, publicCheckRun(run));
  },
  "checks/list-annotations": (ctx, p) => {
    const repo = repoFor(ctx, p, "checks", "read");
    const run = st.checkRuns.get(Number(p.check_run_id));
    if (!run || run.repo_key !== repo.key) throw notFound();
    const { slice, headers } = paginate(ctx, run.annotations);
    send(ctx, 200, slice, headers);
  },
  "repos/get-collaborator-permission-level": (ctx, p) => {
    const repo = repoFor(ctx, p, "metadata");
    const perRepo = st.permissions[`${repo.owner}/${repo.name}`];
    const role = (typeof perRepo === "object" ? perRepo?.[p.username] : undefined) ?? st.permissions[p.username] ?? "none";
    const permission = LEGACY_ROLE[role] ?? "none";
    send(ctx, 200, { permission, role_name: role, user: { ...ownerJson(p.username), permissions: { admin: permission === "admin", push: LEVEL[permission] >= 2, pull: LEVEL[permission] >= 1 } } });
  },
  "reactions/create-for-issue-comment": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "issues", "write");
    const dup = st.reactions.find((r) => r.repo_key === repo.key && r.comment_id === Number(p.comment_id) && r.content === body.content);
    if (dup) return send(ctx, 200, publicReaction(dup));
    const id = nextId();
    const r = { id, node_id: `REA_${id}`, user: BOT, content: body.content, created_at: iso(), comment_id: Number(p.comment_id), repo_key: repo.key };
    st.reactions.push(r);
    send(ctx, 201, publicReaction(r));
  },
  "issues/create-comment": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "issues", "write");
    const id = nextId();
    const c = {
      id, node_id: `IC_${id}`, url: `${API_BASE}/repos/${repo.owner}/${repo.name}/issues/comments/${id}`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${p.issue_number}#issuecomment-${id}`,
      issue_url: `${API_BASE}/repos/${repo.owner}/${repo.name}/issues/${p.issue_number}`, body: body.body, user: BOT,
      created_at: iso(), updated_at: iso(), author_association: "NONE", issue_number: Number(p.issue_number), repo_key: repo.key,
    };
    st.issueComments.push(c);
    send(ctx, 201, publicIssueComment(c));
  },
  "issues/list-comments": (ctx, p) => {
    const repo = repoFor(ctx, p, "issues", "read");
    const list = st.issueComments.filter((c) => c.repo_key === repo.key && c.issue_number === Number(p.issue_number));
    const { slice, headers } = paginate(ctx, list.map(publicIssueComment));
    send(ctx, 200, slice, headers);
  },
  "issues/update-comment": (ctx, p, body) => {
    const repo = repoFor(ctx, p, "issues", "write");
    const c = st.issueComments.find((x) => x.repo_key === repo.key && x.id === Number(p.comment_id));
    if (!c) throw notFound();
    Object.assign(c, { body: body.body, updated_at: iso() });
    send(ctx, 200, publicIssueComment(c));
  },
};

function instJson(inst) {
  return {
    id: inst.id, account: ownerJson(inst.account), app_id: APP.id, app_slug: APP.slug, target_type: "Organization",
    permissions: inst.permissions, events: [], repository_selection: "selected", suspended_at: inst.suspended ? iso() : null,
    access_tokens_url: `/app/installations/${inst.id}/access_tokens`,
  };
}
function publicReaction(r) { const { repo_key, comment_id, ...rest } = r; return rest; }
function publicIssueComment(c) { const { repo_key, issue_number, ...rest } = c; return rest; }

function commentRecord(repo, pr, c, anchor, commitId, reviewId, pending) {
  const id = nextId();
  const html = `https://github.com/${repo.owner}/${repo.name}/pull/${pr.number}`;
  const url = `${API_BASE}/repos/${repo.owner}/${repo.name}/pulls/comments/${id}`;
  return {
    url, pull_request_review_id: reviewId, id, node_id: `PRRC_${id}`, diff_hunk: diffHunkText(anchor), path: c.path ?? anchor.file.filename,
    position: anchor.position, original_position: anchor.position, commit_id: commitId, original_commit_id: commitId,
    user: BOT, body: c.body, created_at: iso(), updated_at: iso(), html_url: `${html}#discussion_r${id}`,
    pull_request_url: `${API_BASE}/repos/${repo.owner}/${repo.name}/pulls/${pr.number}`, author_association: "NONE",
    _links: { self: { href: url }, html: { href: `${html}#discussion_r${id}` } },
    start_line: anchor.start_line ?? null, original_start_line: anchor.start_line ?? null, start_side: anchor.start_side ?? null,
    line: anchor.line, original_line: anchor.line, side: anchor.side, subject_type: "line",
    repo_key: repo.key, pull_number: pr.number, pending,
  };
}

function applyCheckUpdate(run, body) {
  const anns = body.output?.annotations ?? [];
  if (anns.length > 50) throw new HttpError(422, "Only 50 annotations may be sent per request");
  if (body.status === "completed" && !body.conclusion && !run.conclusion) {
    throw new HttpError(422, "Invalid request.\n\n\"conclusion\" wasn't supplied.");
  }
  for (const k of ["name", "details_url", "external_id", "started_at", "completed_at", "status", "conclusion", "actions"]) {
    if (body[k] !== undefined) run[k] = body[k];
  }
  if (body.conclusion) {
    run.status = "completed";
    run.completed_at = body.completed_at ?? run.completed_at ?? iso();
  }
  if (body.output) {
    for (const k of ["title", "summary", "text", "images"]) if (body.output[k] !== undefined) run.output[k] = body.output[k];
    run.annotations.push(...anns);
  }
  run.updates.push({ at: iso(), body });
}

// ---------------------------------------------------------------- control API
function seed(body) {
  for (const r of body.repos ?? []) {
    if (!r.owner || !r.name) throw new HttpError(422, "repo needs owner and name");
    if (!r.git_dir || !existsSync(r.git_dir)) throw new HttpError(422, `git_dir missing or not found: ${r.git_dir}`);
    const key = repoKey(r.owner, r.name);
    const old = st.repos.get(key);
    st.repos.set(key, {
      key, owner: r.owner, name: r.name, default_branch: r.default_branch ?? "main", clone_url: r.clone_url ?? null,
      git_dir: r.git_dir, private: r.private ?? true, id: r.id ?? old?.id ?? nextId()
    });
  }
  for (const p of body.pulls ?? []) {
    const key = repoKey(p.owner, p.name);
    if (!st.repos.has(key)) throw new HttpError(422, `pull for unknown repo ${key}`);
    const old = st.pulls.get(`${key}#${p.number}`);
    st.pulls.set(`${key}#${Number(p.number)}`, {
      number: Number(p.number), id: old?.id ?? nextId(), head_sha: p.head_sha, base_sha: p.base_sha,
      head_ref: p.head_ref ?? "feature", base_ref: p.base_ref ?? st.repos.get(key).default_branch,
      head_repo: p.head_repo ?? `${p.owner}/${p.name}`, title: p.title ?? `PR #${p.number}`, body: p.body ?? "",
      user: p.user ?? "octocat", draft: p.draft ?? false, state: p.state ?? "open", created_at: old?.created_at ?? iso(),
    });
  }
  for (const i of body.installations ?? []) {
    const repos = new Set((i.repos ?? []).map((r) => (typeof r === "string" ? r.toLowerCase() : repoKey(r.owner, r.name))));
    st.installations.set(Number(i.id), {
      id: Number(i.id), repos, account: i.account ?? [...repos][0]?.split("/")[0] ?? "octo-org",
      permissions: { ...DEFAULT_PERMS, ...(i.permissions ?? {}) }, suspended: !!i.suspended,
    });
  }
  Object.assign(st.permissions, body.permissions ?? {});
}

function stateJson() {
  return {
    repos: [...st.repos.values()], pulls: [...st.pulls.values()],
    installations: [...st.installations.values()].map((i) => ({ ...i, repos: [...i.repos] })),
    permissions: st.permissions,
    reviews: st.reviews, comments: st.comments, check_runs: [...st.checkRuns.values()],
    issue_comments: st.issueComments, reactions: st.reactions,
    tokens: [...auth.tokens.values()].map((t) => ({ installation_id: t.installation_id, expires_at: iso(t.expires_at), length: t.token.length, expired: t.expires_at <= Date.now() })),
    faults, rate_limit: rl,
  };
}

function control(ctx, body) {
  const { method } = ctx.req;
  const path = ctx.url.pathname.replace(/\/+$/, "");
  if (method === "GET" && path === "/_control/health") return send(ctx, 200, { ok: true });
  if (method === "POST" && path === "/_control/seed") { seed(body); return send(ctx, 200, { ok: true }); }
  if (method === "POST" && path === "/_control/reset") { resetAll(!!body.keep_seed); diffCache.clear(); return send(ctx, 200, { ok: true }); }
  if (method === "GET" && path === "/_control/state") return send(ctx, 200, stateJson());
  if (method === "GET" && path === "/_control/faults") return send(ctx, 200, { rules: faults });
  if (method === "POST" && path === "/_control/faults") {
    if (body.replace) faults = [];
    for (const r of body.rules ?? []) {
      new RegExp(r.path_regex ?? ""); // throws -> 500 with message
      faults.push({ count: 1, ...r, method: (r.method ?? "*").toUpperCase(), path_regex: r.path_regex ?? "" });
    }
    return send(ctx, 200, { rules: faults });
  }
  if (method === "GET" && path === "/_control/requests") {
    const q = ctx.url.searchParams;
    let list = requests;
    if (q.get("method")) list = list.filter((r) => r.method === q.get("method").toUpperCase());
    if (q.get("path_regex")) { const re = new RegExp(q.get("path_regex")); list = list.filter((r) => re.test(r.path)); }
    if (q.get("since")) list = list.filter((r) => r.seq > Number(q.get("since")));
    return send(ctx, 200, list);
  }
  if (method === "POST" && path === "/_control/config") {
    if (body.token_ttl !== undefined) auth.tokenTtl = Number(body.token_ttl);
    if (body.rate_limit !== undefined) rl.limit = Number(body.rate_limit);
    if (body.rate_used !== undefined) rl.used = Number(body.rate_used);
    return send(ctx, 200, { token_ttl: auth.tokenTtl, rate_limit: rl.limit, rate_used: rl.used });
  }
  if (method === "POST" && path === "/_control/expire_tokens") { auth.expireAll(); return send(ctx, 200, { ok: true }); }
  throw notFound();
}

function takeFault(method, pathname) {
  for (const f of faults) {
    if (f.count === 0) continue;
    if (f.method !== "*" && f.method !== method) continue;
    if (!new RegExp(f.path_regex).test(pathname)) continue;
    if (f.count > 0) f.count--;
    return f;
  }
  return null;
}

async function applyFault(ctx, f) {
  ctx.rec.fault = true;
  if (f.delay_ms) await new Promise((r) => setTimeout(r, f.delay_ms));
  if (!f.status) return false; // pure delay: handle normally afterwards
  const now = Math.floor(Date.now() / 1000);
  if (f.status === 429 || f.status === 403) {
    const wait = f.retry_after ?? 60;
    const headers = { ...rateHeaders(f.ratelimit_remaining ?? 0, now + wait) };
    if (f.retry_after !== undefined) headers["retry-after"] = String(f.retry_after);
    send(ctx, f.status, f.body ?? {
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID " + ctx.requestId + ".",
      documentation_url: docsUrl("/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"), status: String(f.status),
    }, headers);
  } else {
    send(ctx, f.status, f.body ?? { message: f.status === 502 ? "Server Error" : "Internal Server Error", status: String(f.status) });
  }
  return true;
}

// ---------------------------------------------------------------- server
async function handle(req, res) {
  const url = new URL(req.url, "http://127.0.0.1");
  const ctx = { req, res, url, t0: Date.now(), requestId: randomUUID().toUpperCase().slice(0, 23) };
  try {
    await route(ctx);
  } catch (err) {
    sendError(ctx, err);
  }
}

async function route(ctx) {
  const { req, url } = ctx;
  const raw = await readBody(req);
  let body = {};
  let parseError = false;
  if (raw.trim()) {
    try { body = JSON.parse(raw); } catch { parseError = true; }
  }
  if (url.pathname.startsWith("/_control/")) {
    ctx.control = true;
    if (parseError) return sendError(ctx, new HttpError(400, "Problems parsing JSON"));
    return control(ctx, body);
  }
  ctx.rec = { seq: ++seq, at: iso(), method: req.method, path: url.pathname + url.search, status: null, body: parseError ? raw : raw ? body : null,
    headers: { accept: req.headers.accept, "user-agent": req.headers["user-agent"], "content-type": req.headers["content-type"], "x-github-api-version": req.headers["x-github-api-version"] } };
  requests.push(ctx.rec);
  rl.used++;
  const f = takeFault(req.method, url.pathname);
  if (f && (await applyFault(ctx, f))) return;
  try { ctx.auth = authenticate(ctx); ctx.rec.auth = ctx.auth?.kind ?? "none"; } catch (e) { ctx.rec.auth = "invalid"; throw e; }
  if (rl.used > rl.limit) {
    throw Object.assign(new HttpError(403, "API rate limit exceeded for installation."), { headers: rateHeaders(0) });
  }
  const m = api.match(req.method, url.pathname);
  if (!m) throw notFound();
  if (m.methodNotAllowed) throw notFound();
  const handler = handlers[m.operationId];
  if (!handler) throw new HttpError(404, "Not Found", { fake_github: `operation ${m.operationId} is not implemented by the fake` });
  if (m.operation.requestBody) {
    if (parseError) throw new HttpError(400, "Problems parsing JSON");
    const invalid = api.validateBody(m.operation, body);
    if (invalid) throw new HttpError(422, invalid.message, { errors: invalid.errors });
  }
  return handler(ctx, m.params, body);
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.destroy();
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(opt.port), "127.0.0.1", () => {
  API_BASE = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
const stop = () => {
  auth.stop();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
