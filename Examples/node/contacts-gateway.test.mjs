// node --test Examples/node/  — against the real binary in $CONTACTS_GATEWAY_BIN.

import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";

import { ContactsGateway, GatewayClosed, GatewayError } from "./contacts-gateway.mjs";
import { run } from "./demo.mjs";

const BIN = process.env.CONTACTS_GATEWAY_BIN;
if (!BIN) throw new Error("set CONTACTS_GATEWAY_BIN to the built contacts-gateway binary");
const TIMEOUT = 20_000;

test("the demo flow", { timeout: TIMEOUT }, async () => {
  const lines = [];
  const seen = await run((line) => lines.push(line));
  assert.equal(seen.updated.contact.revision, 2);
  assert.equal(seen.forced.contact.revision, 3);
  assert.deepEqual(seen.history.map((e) => e.operation), ["forceUpdate", "update", "create"]);
  assert.equal(seen.undone.undid, seen.forced.auditId);
  assert.equal(seen.undone.contact.revision, 4);
  assert.equal(seen.undone.contact.info.jobTitle, undefined); // the force-update was undone
  assert.equal(seen.undone.contact.info.company, "Analytical Engines"); // the update was kept
  const text = lines.join("\n");
  for (const word of ["created", "updated", "forced", "history", "undid"]) assert.match(text, new RegExp(word));
});

describe("one gateway", { timeout: TIMEOUT * 3 }, () => {
  let dir, gw;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cg-node-test-"));
    gw = new ContactsGateway({ binary: BIN, db: join(dir, "contacts.sqlite"), timeout: TIMEOUT });
  });
  after(async () => {
    try {
      assert.equal(await gw.close(), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("100 concurrent calls, answered by id", async () => {
    const { contact } = await gw.create({ name: { first: "Grace" } });
    const calls = [];
    for (let i = 0; i < 40; i++) calls.push(gw.forceUpdate(contact.id, { jobTitle: `t${i}` }, { maxAttempts: 10 }));
    for (let i = 0; i < 40; i++) calls.push(gw.create({ name: { first: `P${i}` } }));
    for (let i = 0; i < 20; i++) calls.push(gw.get(contact.id));
    const results = await Promise.all(calls);
    const revisions = results.slice(0, 40).map((r) => r.contact.revision).sort((a, b) => a - b);
    assert.deepEqual(revisions, Array.from({ length: 40 }, (_, i) => i + 2)); // none lost
    assert.ok(results.slice(40, 80).every((r) => r.contact.revision === 1));
    assert.ok(results.slice(80).every((c) => c.id === contact.id));
    assert.equal((await gw.get(contact.id)).revision, 41);
    assert.equal((await gw.query({ limit: 1 })).pagingMetadata.total, 41);
  });

  test("CONTACT_NOT_FOUND maps to GatewayError -32004", async () => {
    const err = await gw.get("no-such-contact").catch((e) => e);
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, -32004);
    assert.equal(err.applicationCode, "CONTACT_NOT_FOUND");
    assert.equal(err.data.httpStatus, 404);
    assert.match(err.message, /CONTACT_NOT_FOUND/);
  });

  test("conflicts, invalid params and unknown methods", async () => {
    const { contact } = await gw.create({ name: { first: "Linus" } });
    await gw.update(contact.id, { company: "A" }, 1);
    await assert.rejects(gw.update(contact.id, { company: "B" }, 1), (e) =>
      e.code === -32009 && e.applicationCode === "CONTACT_ALREADY_CHANGED" && e.data.currentRevision === 2);
    await assert.rejects(gw.call("contacts.get", {}), (e) => e instanceof GatewayError && e.code === -32602);
    await assert.rejects(gw.call("contacts.nope"), (e) => e.code === -32601 && e.applicationCode === null);
  });

  test("undo by auditId, dry run, and undo twice", async () => {
    const { contact } = await gw.create({ name: { first: "Alan" } });
    const updated = await gw.update(contact.id, { company: "Bletchley" }, 1);
    const preview = await gw.undo({ auditId: updated.auditId, dryRun: true });
    assert.ok(preview.changedFields.includes("info.company"));
    assert.equal((await gw.get(contact.id)).revision, 2);
    const done = await gw.undo({ auditId: updated.auditId });
    assert.equal(done.undid, updated.auditId);
    assert.equal(done.contact.info.company, undefined);
    await assert.rejects(gw.undo({ auditId: updated.auditId }), (e) => e.applicationCode === "UNDO_CONFLICT");
  });
});

test("clean exit: in-flight calls answered, exit code 0, temp db removed, later calls fail", { timeout: TIMEOUT }, async () => {
  const gw = new ContactsGateway({ binary: BIN, timeout: TIMEOUT });
  const dbDir = dirname(gw.db);
  const pending = Array.from({ length: 20 }, () => gw.status());
  assert.equal(await gw.close(), 0);
  for (const status of await Promise.all(pending)) assert.equal(status.backend, "local");
  assert.equal(existsSync(dbDir), false);
  await assert.rejects(gw.status(), GatewayClosed);
});

test("a gateway that never answers: the call times out, close still ends it", { timeout: TIMEOUT }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "cg-node-silent-"));
  const silent = join(dir, "silent-gateway");
  writeFileSync(silent, "#!/bin/sh\ncat >/dev/null\n", { mode: 0o700 }); // keeps stdout open, never answers
  const gw = new ContactsGateway({ binary: silent, db: join(dir, "unused.sqlite"), timeout: 300 });
  try {
    await assert.rejects(gw.status(), /gateway.status timed out after 300 ms/);
    assert.equal(gw.pending.size, 0);
  } finally {
    assert.equal(await gw.close(), 0); // cat exits when stdin closes
    rmSync(dir, { recursive: true, force: true });
  }
});

test("merge, bulk with progress, and undo by group", { timeout: TIMEOUT }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-node-surface-"));
  const gw = new ContactsGateway({ db: join(dir, "contacts.sqlite") });
  try {
    const progress = [];
    gw.onNotification = (method, params) => progress.push({ method, params });
    const target = (await gw.create({ emails: { items: [{ email: "t@node.test" }] } })).contact.id;
    const source = (await gw.create({ emails: { items: [{ email: "s@node.test" }] } })).contact.id;
    const merged = await gw.merge(target, [source]);
    assert.deepEqual(merged.contact.info.emails.items.map((e) => e.email), ["t@node.test", "s@node.test"]);
    assert.equal((await gw.undo({ groupId: merged.groupId })).reverted.length, 2);
    for (let i = 0; i < 26; i++) await gw.create({ name: { first: `N${i}` }, company: "Batch" });
    const bulk = await gw.bulk("bulkUpdate", { "info.company": "Batch" }, { info: { company: "Done" } });
    assert.equal(bulk.count, 26);
    assert.equal(progress.at(-1).method, "$/progress");
    assert.equal(progress.at(-1).params.completed, 26);
    const deleted = await gw.delete(target);
    assert.ok(deleted.auditId > 0);
  } finally {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("runs, verify and undo by run", { timeout: TIMEOUT }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "gw-node-runs-"));
  const gw = new ContactsGateway({ db: join(dir, "contacts.sqlite") });
  try {
    const { runId } = await gw.status();
    const { contact } = await gw.create({ name: { first: "Run" } });
    await gw.forceUpdate(contact.id, { company: "X" });
    assert.equal((await gw.runs()).runs[0].runId, runId);
    assert.equal((await gw.verify()).ok, true);
    assert.equal((await gw.undo({ runId, force: true })).reverted.length, 2);
  } finally {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
