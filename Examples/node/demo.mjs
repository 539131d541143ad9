#!/usr/bin/env node
// Create a contact, update it, force-update it, read its history, undo the last change.
//
//   CONTACTS_GATEWAY_BIN=.build/debug/contacts-gateway node Examples/node/demo.mjs

import { pathToFileURL } from "node:url";
import { ContactsGateway } from "./contacts-gateway.mjs";

/** Runs the flow on a throwaway database; returns what it saw (the tests check it). */
export async function run(log = console.log) {
  const gw = new ContactsGateway(); // temp --db, removed by close()
  try {
    const created = await gw.create({
      name: { first: "Ada", last: "Lovelace" },
      emails: { items: [{ email: "ada@example.com" }] },
    });
    const { id, revision } = created.contact;
    log(`created  ${id} revision ${revision} (audit ${created.auditId})`);

    const updated = await gw.update(id, { company: "Analytical Engines" }, revision);
    log(`updated  company=${JSON.stringify(updated.contact.info.company)} revision ${updated.contact.revision}`);

    const forced = await gw.forceUpdate(id, { jobTitle: "Mathematician" });
    log(`forced   jobTitle=${JSON.stringify(forced.contact.info.jobTitle)} revision ${forced.contact.revision} after ${forced.attempts} attempt(s)`);

    const { entries: history } = await gw.history(id);
    log("history  (newest first)");
    for (const e of history) {
      const fields = (e.changedFields ?? []).join(", ") || "-";
      log(`  #${e.auditId} ${e.operation.padEnd(11)} r${e.revisionBefore ?? 0} -> r${e.revisionAfter}  ${fields}`);
    }

    const undone = await gw.undo({ contactId: id });
    const info = undone.contact.info;
    log(`undid    audit ${undone.undid} -> revision ${undone.contact.revision}, jobTitle=${JSON.stringify(info.jobTitle ?? null)}, company=${JSON.stringify(info.company ?? null)}`);
    return { created, updated, forced, history, undone };
  } finally {
    await gw.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
