// Route matching and request-body validation against GitHub's own REST description
// (@octokit/openapi generated/api.github.com.json, OpenAPI 3.0.3).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
export const SPEC_PATH = require.resolve("@octokit/openapi/generated/api.github.com.json");

const METHODS = ["get", "post", "put", "patch", "delete"];

function decodePointerSegment(s) {
  return s.replace(/~1/g, "/").replace(/~0/g, "~");
}

function getPointer(doc, ref) {
  if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`);
  let node = doc;
  for (const seg of ref.slice(2).split("/").map(decodePointerSegment)) {
    if (node == null || !(seg in node)) throw new Error(`unresolvable $ref ${ref}`);
    node = node[seg];
  }
  return node;
}

function setPointer(root, ref, value) {
  const segs = ref.slice(2).split("/").map(decodePointerSegment);
  let node = root;
  for (const seg of segs.slice(0, -1)) node = node[seg] ??= {};
  node[segs[segs.length - 1]] = value;
}

// OpenAPI 3.0 -> JSON Schema: `nullable: true` becomes a "null" alternative. Works with or
// without a sibling `type` (type-less nullable is what trips plain Ajv).
function convert(node, formats) {
  if (Array.isArray(node)) return node.map((n) => convert(n, formats));
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "nullable" || k === "example" || k === "examples" || k === "discriminator") continue;
    if (k === "enum" || k === "default" || k === "const") out[k] = v;
    else if (k === "properties" || k === "patternProperties" || k === "definitions") {
      out[k] = {};
      for (const [pk, pv] of Object.entries(v)) out[k][pk] = convert(pv, formats);
    } else out[k] = convert(v, formats);
  }
  if (typeof out.format === "string") formats.add(out.format);
  if (node.nullable === true) {
    if (out.type !== undefined) {
      const types = Array.isArray(out.type) ? out.type : [out.type];
      if (!types.includes("null")) out.type = [...types, "null"];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

export class OpenApi {
  constructor(specPath = SPEC_PATH) {
    this.doc = JSON.parse(readFileSync(specPath, "utf8"));
    this.routes = [];
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const segs = template.split("/").slice(1);
      const names = [];
      const re = segs
        .map((s) => {
          const m = /^\{(.+)\}$/.exec(s);
          if (m) {
            names.push(m[1]);
            return "([^/]+)";
          }
          return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        })
        .join("/");
      const literals = segs.filter((s) => !s.startsWith("{")).length;
      this.routes.push({ template, item, names, literals, re: new RegExp(`^/${re}/?$`) });
    }
    // Literal segments win over parameters (e.g. /pulls/comments/{id} vs /pulls/{n}/...).
    this.routes.sort((a, b) => b.literals - a.literals);
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(this.ajv);
    this.knownFormats = new Set(Object.keys(this.ajv.formats));
    this.validators = new Map();
  }

  // -> {template, operationId, operation, params} | {template, methodNotAllowed:true} | null
  match(method, pathname) {
    const m = method.toLowerCase();
    for (const r of this.routes) {
      const hit = r.re.exec(pathname);
      if (!hit) continue;
      const op = r.item[m];
      if (!op) {
        if (METHODS.some((x) => r.item[x])) continue; // maybe another template matches
        return { template: r.template, methodNotAllowed: true };
      }
      const params = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(hit[i + 1])));
      return { template: r.template, operationId: op.operationId, operation: op, params };
    }
    return null;
  }

  // Standalone JSON Schema for an operation's application/json request body, with every $ref
  // it reaches copied (converted) into the same pointer location of the new root.
  requestSchema(operation) {
    const content = operation.requestBody?.content?.["application/json"];
    if (!content?.schema) return null;
    const formats = new Set();
    const root = {};
    const seen = new Set();
    const pending = [];
    const collect = (node) => {
      if (Array.isArray(node)) return node.forEach(collect);
      if (node === null || typeof node !== "object") return;
      if (typeof node.$ref === "string" && !seen.has(node.$ref)) {
        seen.add(node.$ref);
        pending.push(node.$ref);
      }
      for (const v of Object.values(node)) collect(v);
    };
    const body = convert(content.schema, formats);
    collect(body);
    while (pending.length) {
      const ref = pending.pop();
      const target = convert(getPointer(this.doc, ref), formats);
      setPointer(root, ref, target);
      collect(target);
    }
    for (const f of formats) {
      if (!this.knownFormats.has(f)) {
        this.ajv.addFormat(f, true); // unknown OpenAPI formats (int32, binary, ...) accept anything
        this.knownFormats.add(f);
      }
    }
    return { ...root, ...body };
  }

  // -> null when valid (or no schema), else {message, errors}
  validateBody(operation, body) {
    const key = operation.operationId;
    let v = this.validators.get(key);
    if (v === undefined) {
      const schema = this.requestSchema(operation);
      v = schema ? this.ajv.compile(schema) : null;
      this.validators.set(key, v);
    }
    if (!v) return null;
    if (v(body)) return null;
    const errors = v.errors.map((e) => ({
      instancePath: e.instancePath,
      schemaPath: e.schemaPath,
      keyword: e.keyword,
      params: e.params,
      message: e.message,
    }));
    return {
      message: `Invalid request.\n\n${this.ajv.errorsText(v.errors, { dataVar: "body" })}`,
      errors,
    };
  }
}
