#!/usr/bin/env node
// Builds a signed webhook delivery from a REAL example payload of @octokit/webhooks-examples.
//
//   node make_delivery.mjs --event pull_request --action opened \
//     --set pull_request.head.sha=<sha> --set repository.clone_url=http://127.0.0.1:P/o/r.git \
//     --installation-id 42 --secret-file S [--index N] [--pr-comment] [--delete path]
//     [--set-json path=<json>] [--set-str path=<string>] [--delivery-id UUID] [--app-id 12345]
//     [--body-out FILE] [--headers-out FILE]
//   node make_delivery.mjs --list            # events, actions and example counts
//
// Prints {"headers":{...},"body":"<exact bytes>"}. The signature covers exactly `body` (UTF-8).
// --set VALUE is parsed as JSON when it is true/false/null, a short integer, or starts with
// { [ or "; otherwise it is a string (use --set-str / --set-json to force). Paths: a.b.0.c or a.b[0].c;
// missing objects on the way are created. --secret-file strips trailing CR/LF.
// --headers-out writes "Name: value" lines for `curl -H @FILE`; --body-out writes the raw body for
// `curl --data-binary @FILE`.
import { readFileSync, writeFileSync } from "node:fs";
import { randomUUID, createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { sign } from "@octokit/webhooks-methods";

const require = createRequire(import.meta.url);
const EXAMPLES = require("@octokit/webhooks-examples/api.github.com/index.json");

const { values: opt } = parseArgs({
  options: {
    event: { type: "string" },
    action: { type: "string" },
    index: { type: "string", default: "0" },
    set: { type: "string", multiple: true, default: [] },
    "set-json": { type: "string", multiple: true, default: [] },
    "set-str": { type: "string", multiple: true, default: [] },
    delete: { type: "string", multiple: true, default: [] },
    "installation-id": { type: "string" },
    "pr-comment": { type: "boolean", default: false },
    secret: { type: "string" },
    "secret-file": { type: "string" },
    "delivery-id": { type: "string" },
    "app-id": { type: "string", default: "12345" },
    "hook-id": { type: "string", default: "400000001" },
    "body-out": { type: "string" },
    "headers-out": { type: "string" },
    list: { type: "boolean", default: false },
  },
});

function die(msg) {
  process.stderr.write(`make_delivery: ${msg}\n`);
  process.exit(2);
}

if (opt.list) {
  for (const e of EXAMPLES) {
    const counts = {};
    for (const ex of e.examples) counts[ex.action ?? "-"] = (counts[ex.action ?? "-"] ?? 0) + 1;
    console.log(`${e.name}\t${Object.entries(counts).map(([a, n]) => `${a}:${n}`).join(" ")}`);
  }
  process.exit(0);
}
if (!opt.event) die("--event is required (see --list)");
const group = EXAMPLES.find((e) => e.name === opt.event);
if (!group) die(`no examples for event ${opt.event} (see --list)`);
const matching = group.examples.filter((ex) => opt.action === undefined || ex.action === opt.action);
const idx = Number(opt.index);
if (!matching.length) die(`no ${opt.event} example with action ${opt.action}; have: ${[...new Set(group.examples.map((x) => x.action))].join(", ")}`);
if (!(idx >= 0 && idx < matching.length)) die(`--index ${idx} out of range (0..${matching.length - 1})`);
const payload = structuredClone(matching[idx]);

function splitPath(p) {
  return p.replace(/\[(\d+)\]/g, ".$1").split(".").filter((s) => s.length);
}
function setPath(obj, path, value) {
  const segs = splitPath(path);
  let node = obj;
  segs.slice(0, -1).forEach((s, i) => {
    if (node[s] === null || typeof node[s] !== "object") node[s] = /^\d+$/.test(segs[i + 1]) ? [] : {};
    node = node[s];
  });
  node[segs[segs.length - 1]] = value;
}
function deletePath(obj, path) {
  const segs = splitPath(path);
  let node = obj;
  for (const s of segs.slice(0, -1)) {
    node = node?.[s];
    if (node == null) return;
  }
  if (Array.isArray(node)) node.splice(Number(segs[segs.length - 1]), 1);
  else delete node[segs[segs.length - 1]];
}
function splitAssign(arg, flag) {
  const i = arg.indexOf("=");
  if (i <= 0) die(`${flag} expects path=value, got ${arg}`);
  return [arg.slice(0, i), arg.slice(i + 1)];
}
function guessValue(v) {
  if (/^(true|false|null)$/.test(v) || /^-?(0|[1-9]\d{0,14})$/.test(v) || /^[{["]/.test(v)) {
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }
  return v;
}

if (opt["installation-id"] !== undefined) {
  const id = Number(opt["installation-id"]);
  payload.installation = { id, node_id: Buffer.from(`04:Integration Installation${id}`).toString("base64") };
}
if (opt["pr-comment"]) {
  if (!payload.issue) die("--pr-comment needs an event with an `issue` (issue_comment)");
  const repo = payload.repository ?? {};
  const full = repo.full_name ?? "octo/repo";
  const n = payload.issue.number;
  payload.issue.pull_request = {
    url: `https://api.github.com/repos/${full}/pulls/${n}`,
    html_url: `https://github.com/${full}/pull/${n}`,
    diff_url: `https://github.com/${full}/pull/${n}.diff`,
    patch_url: `https://github.com/${full}/pull/${n}.patch`,
    merged_at: null,
  };
  if (payload.issue.html_url) payload.issue.html_url = payload.issue.html_url.replace("/issues/", "/pull/");
}
for (const a of opt.set) { const [p, v] = splitAssign(a, "--set"); setPath(payload, p, guessValue(v)); }
for (const a of opt["set-str"]) { const [p, v] = splitAssign(a, "--set-str"); setPath(payload, p, v); }
for (const a of opt["set-json"]) {
  const [p, v] = splitAssign(a, "--set-json");
  try { setPath(payload, p, JSON.parse(v)); } catch (e) { die(`--set-json ${p}: ${e.message}`); }
}
for (const p of opt.delete) deletePath(payload, p);

let secret = opt.secret;
if (opt["secret-file"] !== undefined) secret = readFileSync(opt["secret-file"], "utf8").replace(/[\r\n]+$/, "");
if (secret === undefined) die("--secret or --secret-file is required");

const body = JSON.stringify(payload);
const headers = {
  "Content-Type": "application/json",
  "User-Agent": "GitHub-Hookshot/8f7c3a1",
  "X-GitHub-Event": opt.event,
  "X-GitHub-Delivery": opt["delivery-id"] ?? randomUUID(),
  "X-GitHub-Hook-ID": opt["hook-id"],
  "X-GitHub-Hook-Installation-Target-Type": "integration",
  "X-GitHub-Hook-Installation-Target-ID": opt["app-id"],
  "X-Hub-Signature": "sha1=" + createHmac("sha1", secret).update(body, "utf8").digest("hex"),
  "X-Hub-Signature-256": await sign(secret, body),
};
if (opt["body-out"]) writeFileSync(opt["body-out"], body);
if (opt["headers-out"]) writeFileSync(opt["headers-out"], Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join(""));
process.stdout.write(JSON.stringify({ headers, body }) + "\n");
