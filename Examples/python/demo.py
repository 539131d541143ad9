#!/usr/bin/env python3
"""Create a contact, update it, force-update it, read its history, undo the last change.

    CONTACTS_GATEWAY_BIN=.build/debug/contacts-gateway python3 Examples/python/demo.py
"""

from __future__ import annotations

import sys

from contacts_gateway import ContactsGateway


def run(out=sys.stdout) -> dict:
    """Runs the flow on a throwaway database; returns what it saw (the tests check it)."""
    with ContactsGateway() as gw:  # temp --db, removed on exit
        created = gw.create({"name": {"first": "Ada", "last": "Lovelace"}, "emails": {"items": [{"email": "ada@example.com"}]}})
        contact = created["contact"]
        print(f"created  {contact['id']} revision {contact['revision']} (audit {created['auditId']})", file=out)

        updated = gw.update(contact["id"], {"company": "Analytical Engines"}, revision=contact["revision"])
        print(f"updated  company={updated['contact']['info']['company']!r} revision {updated['contact']['revision']}", file=out)

        forced = gw.force_update(contact["id"], {"jobTitle": "Mathematician"})
        print(f"forced   jobTitle={forced['contact']['info']['jobTitle']!r} revision {forced['contact']['revision']}"
              f" after {forced['attempts']} attempt(s)", file=out)

        history = gw.history(contact["id"])["entries"]
        print("history  (newest first)", file=out)
        for entry in history:
            fields = ", ".join(entry.get("changedFields", [])) or "-"
            print(f"  #{entry['auditId']} {entry['operation']:<11} r{entry.get('revisionBefore') or 0}"
                  f" -> r{entry['revisionAfter']}  {fields}", file=out)

        undone = gw.undo(contact_id=contact["id"])
        info = undone["contact"]["info"]
        print(f"undid    audit {undone['undid']} -> revision {undone['contact']['revision']}, "
              f"jobTitle={info.get('jobTitle')!r}, company={info.get('company')!r}", file=out)
        return {"created": created, "updated": updated, "forced": forced, "history": history, "undone": undone}


if __name__ == "__main__":
    run()
