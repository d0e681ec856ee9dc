// GitHub App authentication stand-in: RS256 App JWTs and expiring installation tokens.
// Issued tokens are mirrored into STATE_DIR/users ("x-access-token:<token>" lines, atomically
// replaced) so that git_server.sh's lighttpd, which re-reads the file per request, accepts them.
import { createPublicKey, randomBytes, verify } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DOCS = "https://docs.github.com/rest";

function b64urlJson(part) {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

export class Auth {
  constructor({ appId, clientId, publicKeyPem, stateDir, tokenTtl = 3600 }) {
    this.appId = String(appId);
    this.clientId = clientId ? String(clientId) : null;
    this.publicKey = createPublicKey(publicKeyPem);
    this.stateDir = stateDir;
    this.tokenTtl = tokenTtl;
    this.tokens = new Map(); // token -> {token, installation_id, expires_at(ms), repos|null, permissions}
    this.written = "";
    this.writeUsers();
    this.pruneTimer = setInterval(() => this.writeUsers(), 500);
    this.pruneTimer.unref();
  }

  // -> {ok:true, claims} | {ok:false, status, message}
  verifyJwt(jwt) {
    const fail = (message) => ({ ok: false, status: 401, message });
    const parts = jwt.split(".");
    if (parts.length !== 3) return fail("A JSON web token could not be decoded");
    let header, claims;
    try {
      header = b64urlJson(parts[0]);
      claims = b64urlJson(parts[1]);
    } catch {
      return fail("A JSON web token could not be decoded");
    }
    if (header.alg !== "RS256") return fail("A JSON web token could not be decoded");
    const ok = verify(
      "sha256",
      Buffer.from(`${parts[0]}.${parts[1]}`),
      this.publicKey,
      Buffer.from(parts[2], "base64url"),
    );
    if (!ok) return fail("A JSON web token could not be decoded");
    const now = Math.floor(Date.now() / 1000);
    const iss = claims.iss === undefined ? "" : String(claims.iss);
    if (iss !== this.appId && (!this.clientId || iss !== this.clientId)) {
      return fail("Integration not found");
    }
    if (!Number.isInteger(claims.iat) || claims.iat > now + 1) {
      return fail("'Issued at' claim ('iat') must be an Integer representing a time in the past");
    }
    if (!Number.isInteger(claims.exp) || claims.exp <= now) {
      return fail("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
    }
    if (claims.exp > now + 600) return fail("'Expiration time' claim ('exp') is too far in the future");
    if (claims.exp <= claims.iat) return fail("'Expiration time' claim ('exp') must be after 'iat'");
    return { ok: true, claims };
  }

  // ~520 chars like the stateless `ghs_APPID_JWT` format: letters, digits and `_ . -`.
  newTokenString(installationId) {
    const seg = (n) => randomBytes(n).toString("base64url");
    const head = Buffer.from(JSON.stringify({ typ: "ghs", inst: installationId })).toString("base64url");
    let t = `ghs_${this.appId}_${head}.${seg(306)}.${seg(48)}`;
    if (!t.includes("-")) t += "-" + seg(3);
    return t;
  }

  issue(installationId, repos, permissions) {
    const token = this.newTokenString(installationId);
    const rec = {
      token,
      installation_id: installationId,
      expires_at: Date.now() + this.tokenTtl * 1000,
      repos, // null = every repo of the installation
      permissions,
    };
    this.tokens.set(token, rec);
    this.writeUsers();
    return rec;
  }

  // -> rec | {expired: rec} | null
  lookup(token) {
    const rec = this.tokens.get(token);
    if (!rec) return null;
    if (rec.expires_at <= Date.now()) return { expired: rec };
    return rec;
  }

  expireAll() {
    const past = Date.now() - 1000;
    for (const rec of this.tokens.values()) rec.expires_at = past;
    this.writeUsers();
  }

  clear() {
    this.tokens.clear();
    this.writeUsers();
  }

  // Rewrites STATE_DIR/users when the set of live tokens changed. Lines from STATE_DIR/users.static
  // (written by git_server.sh --token) are kept.
  writeUsers() {
    if (!this.stateDir) return;
    const now = Date.now();
    const lines = [];
    const staticFile = join(this.stateDir, "users.static");
    if (existsSync(staticFile)) lines.push(...readFileSync(staticFile, "utf8").split("\n").filter(Boolean));
    for (const rec of this.tokens.values()) {
      if (rec.expires_at > now) lines.push(`x-access-token:${rec.token}`);
    }
    const text = lines.length ? lines.join("\n") + "\n" : "";
    if (text === this.written) return;
    const file = join(this.stateDir, "users");
    writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    this.written = text;
  }

  stop() {
    clearInterval(this.pruneTimer);
  }
}

export const docsUrl = (p = "") => `${DOCS}${p}`;
