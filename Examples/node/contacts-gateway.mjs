// A promise-based Node client for contacts-gateway (JSON-RPC 2.0, one JSON value per line, on stdio).
//
//   import { ContactsGateway } from "./contacts-gateway.mjs";
//   const gw = new ContactsGateway();               // binary from $CONTACTS_GATEWAY_BIN, temp --db
//   const { contact } = await gw.create({ name: { first: "Ada" } });
//   await gw.update(contact.id, { company: "Analytical Engines" }, contact.revision);
//   await gw.close();                               // closes stdin, waits for exit 0
//
// Node built-ins only.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** A JSON-RPC error response; `applicationCode` is the Wix code (e.g. `CONTACT_NOT_FOUND`). */
export class GatewayError extends Error {
  constructor(code, message, applicationCode = null, data = undefined) {
    super(applicationCode ? `${message} (${code} ${applicationCode})` : `${message} (${code})`);
    this.name = "GatewayError";
    this.code = code;
    this.rpcMessage = message;
    this.applicationCode = applicationCode;
    this.data = data;
  }

  static fromError(error) {
    const data = error?.data;
    return new GatewayError(error?.code ?? -32603, String(error?.message ?? ""), data?.applicationCode ?? null, data);
  }
}

/** The gateway process went away (or was closed) before answering. */
export class GatewayClosed extends Error {
  constructor(message) {
    super(message);
    this.name = "GatewayClosed";
  }
}

export class ContactsGateway {
  /**
   * @param {object} [options]
   * @param {string} [options.binary]  default: $CONTACTS_GATEWAY_BIN
   * @param {string} [options.db]      default: a temp database, removed by close()
   * @param {string[]} [options.args]  extra command-line arguments
   * @param {number} [options.timeout] per-call timeout in ms (default 30000)
   */
  constructor({ binary = process.env.CONTACTS_GATEWAY_BIN, db, args = [], timeout = 30_000, env } = {}) {
    if (!binary) throw new Error("pass binary or set CONTACTS_GATEWAY_BIN to the contacts-gateway executable");
    this.timeout = timeout;
    if (db === undefined) {
      this.tmpdir = mkdtempSync(join(tmpdir(), "contacts-gateway-"));
      db = join(this.tmpdir, "contacts.sqlite");
    }
    this.db = db;
    this.nextId = 1;
    this.pending = new Map(); // id → { resolve, reject, timer }
    this.closed = false;
    this.stderrTail = [];
    this.child = spawn(binary, ["--db", db, ...args], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => resolve(code ?? signal));
      this.child.once("error", (err) => {
        this.failAll(new GatewayClosed(`cannot run the gateway: ${err.message}`));
        resolve(null);
      });
    });
    this.child.stdin.on("error", () => {}); // EPIPE surfaces as GatewayClosed on the pending calls
    createInterface({ input: this.child.stdout, crlfDelay: Infinity })
      .on("line", (line) => this.onLine(line))
      .on("close", () => {
        this.closed = true;
        this.failAll(new GatewayClosed("the gateway exited before answering"));
      });
    createInterface({ input: this.child.stderr }).on("line", (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 200) this.stderrTail.shift();
    });
  }

  /** Sends a request; resolves to the result, rejects with GatewayError, GatewayClosed or a timeout Error. */
  call(method, params, { timeout = this.timeout } = {}) {
    if (this.closed) return Promise.reject(new GatewayClosed("the gateway is closed"));
    const id = this.nextId++;
    const message = { jsonrpc: "2.0", id, method };
    if (params !== undefined) message.params = params;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out after ${timeout} ms`));
      }, timeout);
      this.pending.set(id, { resolve, reject, timer });
      this.child.stdin.write(JSON.stringify(message) + "\n");
    });
  }

  /** Sends a notification (no response ever comes). */
  notify(method, params) {
    const message = { jsonrpc: "2.0", method };
    if (params !== undefined) message.params = params;
    this.child.stdin.write(JSON.stringify(message) + "\n");
  }

  onLine(line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      return; // stdout carries protocol only; never expected
    }
    for (const response of Array.isArray(message) ? message : [message]) {
      if (response.id === undefined && response.method) {
        // A notification (`$/progress` of a bulk call): handed to onNotification, if set.
        this.onNotification?.(response.method, response.params);
        continue;
      }
      const entry = this.pending.get(response.id);
      if (!entry) continue;
      this.pending.delete(response.id);
      clearTimeout(entry.timer);
      if (response.error) entry.reject(GatewayError.fromError(response.error));
      else entry.resolve(response.result);
    }
  }

  failAll(error) {
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
  }

  /** Closes stdin (the gateway answers in-flight calls and exits 0); kills it after `timeout` ms. Resolves to the exit code. */
  async close({ timeout = 10_000 } = {}) {
    this.closed = true;
    this.child.stdin.end();
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        resolve();
      }, timeout);
    });
    await Promise.race([this.exited, killed]);
    const code = await this.exited;
    clearTimeout(timer);
    if (this.tmpdir) {
      rmSync(this.tmpdir, { recursive: true, force: true });
      this.tmpdir = undefined;
    }
    return code;
  }

  async [Symbol.asyncDispose]() {
    await this.close();
  }

  // -- typed helpers ---------------------------------------------------------------------

  /** @returns {Promise<object>} the contact */
  async get(contactId) {
    return (await this.call("contacts.get", { contactId })).contact;
  }

  /** @returns {Promise<{contact: object, auditId: number}>} */
  create(info, { allowDuplicates, member } = {}) {
    return this.call("contacts.create", { info, ...(allowDuplicates && { allowDuplicates }), ...(member && { member }) });
  }

  /** @returns {Promise<{contact: object, auditId: number}>} (dry run: `{contact, changedFields}`) */
  update(contactId, info, revision, { dryRun } = {}) {
    return this.call("contacts.update", { contactId, info, revision, ...(dryRun && { dryRun }) });
  }

  /** @returns {Promise<{contact: object, auditId: number, attempts: number}>} */
  forceUpdate(contactId, info, { maxAttempts } = {}) {
    return this.call("contacts.forceUpdate", { contactId, info, ...(maxAttempts && { maxAttempts }) });
  }

  /** @returns {Promise<{contacts: object[], pagingMetadata: object}>} */
  query({ filter, sort, limit, offset } = {}) {
    const paging = { ...(limit !== undefined && { limit }), ...(offset !== undefined && { offset }) };
    return this.call("contacts.query", {
      ...(filter && { filter }),
      ...(sort && { sort }),
      ...(Object.keys(paging).length && { paging }),
    });
  }

  /** @returns {Promise<{entries: object[], nextCursor?: string}>} newest first */
  history(contactId, { limit, cursor } = {}) {
    return this.call("audit.history", {
      ...(contactId !== undefined && { contactId }),
      ...(limit !== undefined && { limit }),
      ...(cursor !== undefined && { cursor }),
    });
  }

  /** Pass `{ auditId }`, `{ contactId }` (its latest change not yet undone) or `{ groupId }` (a merge or bulk call). @returns {Promise<object>} */
  undo({ auditId, contactId, groupId, runId, force = false, dryRun = false }) {
    const given = [auditId, contactId, groupId, runId].filter((value) => value !== undefined);
    if (given.length !== 1) throw new TypeError("pass exactly one of auditId, contactId, groupId or runId");
    return this.call("contacts.undo", {
      ...(auditId !== undefined && { auditId }),
      ...(contactId !== undefined && { contactId }),
      ...(groupId !== undefined && { groupId }),
      ...(runId !== undefined && { runId }),
      ...(force && { mode: "force" }),
      ...(dryRun && { dryRun }),
    });
  }

  /** @returns {Promise<{auditId}>} undo recreates the contact under a new id. */
  delete(contactId) {
    return this.call("contacts.delete", { contactId });
  }

  /** Adds labels (they must exist). @returns {Promise<{contact, auditId}>} */
  label(contactId, labelKeys) {
    return this.call("contacts.label", { contactId, labelKeys });
  }

  /** @returns {Promise<{contact, auditId}>} */
  unlabel(contactId, labelKeys) {
    return this.call("contacts.unlabel", { contactId, labelKeys });
  }

  /** @returns {Promise<{contact}>} the target as a merge would leave it; writes nothing. */
  previewMerge(targetContactId, sourceContactIds) {
    return this.call("contacts.previewMerge", { targetContactId, sourceContactIds });
  }

  /** @returns {Promise<{contact, auditId, groupId}>} `undo({ groupId })` reverts it. */
  merge(targetContactId, sourceContactIds, { targetContactRevision } = {}) {
    return this.call("contacts.merge", {
      targetContactId,
      sourceContactIds,
      ...(targetContactRevision !== undefined && { targetContactRevision }),
    });
  }

  /** `bulk("bulkUpdate", filter, { info })`, `bulkDelete`, `bulkLabel` / `bulkUnlabel` (`{ labelKeys }`). @returns {Promise<{groupId, count, matched, failed}>} */
  bulk(method, filter, params = {}, { timeout } = {}) {
    return this.call(`contacts.${method}`, { filter, ...params }, timeout === undefined ? undefined : { timeout });
  }

  /** @returns {Promise<{runs, nextCursor}>} the gateway processes that wrote, newest first. */
  runs({ limit } = {}) {
    return this.call("audit.runs", limit === undefined ? {} : { limit });
  }

  /** @returns {Promise<{scanned, external, deleted}>} changes made outside the gateway, recorded. */
  sync() {
    return this.call("audit.sync");
  }

  /** @returns {Promise<{ok, entries, headHash} | {ok: false, firstBadAuditId, reason}>} */
  verify() {
    return this.call("audit.verify");
  }

  /** @returns {Promise<{version, backend, database, auditEntries, uptimeSeconds, runId, writer}>} */
  status() {
    return this.call("gateway.status");
  }
}
