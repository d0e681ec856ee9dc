// HTTP plumbing shared by fake_github.mjs: errors, GitHub-style responses, rate-limit headers,
// RFC 5988 Link pagination.
import { docsUrl } from "./auth.mjs";

export const iso = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export class HttpError extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}
export const notFound = () => new HttpError(404, "Not Found");

// rl: {limit, used, reset} (mutated in place by the server)
export function createResponder(rl) {
  function rateHeaders(remainingOverride, resetOverride) {
    const now = Math.floor(Date.now() / 1000);
    if (now >= rl.reset) Object.assign(rl, { used: 0, reset: now + 3600 });
    return {
      "x-ratelimit-limit": String(rl.limit),
      "x-ratelimit-remaining": String(remainingOverride ?? Math.max(0, rl.limit - rl.used)),
      "x-ratelimit-reset": String(resetOverride ?? rl.reset),
      "x-ratelimit-used": String(rl.used),
      "x-ratelimit-resource": "core",
    };
  }

  function send(ctx, status, body, headers = {}) {
    const { res, rec } = ctx;
    if (res.headersSent || res.destroyed) return;
    const isText = typeof body === "string";
    const payload = body === undefined ? "" : isText ? body : JSON.stringify(body);
    const h = {
      "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
      "x-github-request-id": ctx.requestId,
      "x-github-media-type": "github.v3; format=json",
      "x-github-api-version-selected": "2022-11-28",
      ...(ctx.control ? {} : rateHeaders()),
      ...headers,
    };
    if (status === 204) delete h["content-type"];
    if (rec) {
      rec.status = status;
      rec.duration_ms = Date.now() - ctx.t0;
    }
    res.writeHead(status, h);
    res.end(status === 204 ? undefined : payload);
  }

  function sendError(ctx, err) {
    if (!(err instanceof HttpError)) {
      console.error(err);
      err = new HttpError(500, `fake_github internal error: ${err.message}`);
    }
    send(ctx, err.status, { message: err.message, ...err.extra, documentation_url: docsUrl(), status: String(err.status) }, err.headers);
  }

  function baseUrl(ctx) {
    return `http://${ctx.req.headers.host ?? "127.0.0.1"}`;
  }

  // RFC 5988 Link pagination, GitHub style: omitted when everything fits in one page.
  function paginate(ctx, items) {
    const q = ctx.url.searchParams;
    const perPage = Math.min(100, Math.max(1, parseInt(q.get("per_page") ?? "30", 10) || 30));
    const page = Math.max(1, parseInt(q.get("page") ?? "1", 10) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers = {};
    if (last > 1) {
      const link = (p) => {
        const u = new URL(ctx.url.pathname + ctx.url.search, baseUrl(ctx));
        u.searchParams.set("per_page", String(perPage));
        u.searchParams.set("page", String(p));
        return `<${u}>`;
      };
      const rels = [];
      if (page > 1) rels.push(`${link(page - 1)}; rel="prev"`);
      if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
      if (page > 1) rels.push(`${link(1)}; rel="first"`);
      if (rels.length) headers.link = rels.join(", ");
    }
    return { slice, headers };
  }
  return { rateHeaders, send, sendError, baseUrl, paginate };
}

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
