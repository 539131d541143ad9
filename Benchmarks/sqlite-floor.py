#!/usr/bin/env python3
"""What SQLite alone costs for the writes of one contacts.update, on this machine.

The gateway's per-update storage work is fixed by its contract: the contact row is rewritten
(with its JSON, revision and updated_date) and an audit entry is appended (its before snapshot
left out, as the gateway does when it planned the update from its own last audited state; with
--compare-before, compared with the previous entry's after in SQL, as it does otherwise), in one durable
transaction shared by the updates that arrive together, without savepoints. This script does
exactly those statements with Python's sqlite3 (C underneath), on the gateway's own schema, and
reports writes/s and CPU per write. It is the floor under the gateway's writer thread: no Swift,
no JSON, no JSON-RPC.

    python3 Benchmarks/sqlite-floor.py [--binary PATH] [--writes N] [--batch N] [--sync FULL|NORMAL]
                                       [--compare-before]

The schema is taken from a database the gateway binary creates (default: the release build the
gateway benchmark uses), so the tables and indexes are the real ones.
"""
import argparse
import os
import random
import resource
import sqlite3
import subprocess
import tempfile
import time

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", ".build-bench", "release",
                                                     "contacts-gateway"))
parser.add_argument("--writes", type=int, default=30000)
parser.add_argument("--batch", type=int, default=16, help="updates per transaction (group commit size)")
parser.add_argument("--contacts", type=int, default=1000)
parser.add_argument("--sync", default="FULL", choices=["FULL", "NORMAL"])
parser.add_argument("--compare-before", action="store_true",
                    help="compare before with the previous entry's after in SQL instead of leaving it out")
args = parser.parse_args()

directory = tempfile.mkdtemp(prefix="sqlite-floor-")
template = os.path.join(directory, "gateway.sqlite")
# Starting the gateway on a new file creates and migrates it; closing stdin ends it.
subprocess.run([args.binary, "serve", "--db", template], input=b"", stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL, check=True, timeout=60)
schema = [row[0] for row in sqlite3.connect(template).execute(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]

db = sqlite3.connect(os.path.join(directory, "floor.sqlite"), isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute(f"PRAGMA synchronous = {args.sync}")
for statement in schema:
    db.execute(statement)

# A contact about the size of the benchmark's seeded ones (~1.1 KB of JSON).
contact = (b'{"id":"x","revision":1,"info":{"name":{"first":"Bench","last":"Contact"},'
           b'"emails":{"items":[{"email":"bench@example.com","tag":"MAIN","primary":true}]},'
           b'"phones":{"items":[{"phone":"646-555-0001","tag":"MOBILE","primary":true}]}},'
           b'"pad":"' + b"y" * 850 + b'"}')
ids = [f"contact-{index}" for index in range(args.contacts)]
db.execute("BEGIN")
for contact_id in ids:
    db.execute(
        "INSERT INTO contact (id, revision, json, is_member, first_name, last_name, company, primary_email, "
        "primary_phone, created_date, updated_date) VALUES (?, 1, ?, 0, 'Bench', 'Contact', NULL, "
        "'bench@example.com', '646-555-0001', '2026-11-29T10:00:00.000Z', '2026-11-29T10:00:00.000Z')",
        (contact_id, contact))
db.execute("COMMIT")

before_sql = ("CASE WHEN ?4 = (SELECT after_json FROM audit_entry WHERE contact_id = ?1 "
              "ORDER BY audit_id DESC LIMIT 1) THEN NULL ELSE ?4 END") if args.compare_before else "NULL"
chooser = random.Random(42)
start_wall = time.perf_counter()
start_cpu = resource.getrusage(resource.RUSAGE_SELF)
done = 0
while done < args.writes:
    db.execute("BEGIN IMMEDIATE")
    for _ in range(args.batch):
        done += 1
        contact_id = ids[chooser.randrange(len(ids))]
        stamp = f"2026-11-29T10:{done // 60000 % 60:02d}:{done / 1000 % 60:06.3f}Z"
        revision = db.execute("SELECT revision FROM contact WHERE id = ?", (contact_id,)).fetchone()[0]
        db.execute("UPDATE contact SET revision = ?, json = ?, updated_date = ?, company = ? WHERE id = ?",
                   (revision + 1, contact, stamp, f"Acme {done}", contact_id))
        db.execute(
            "INSERT INTO audit_entry (contact_id, operation, revision_before, revision_after, before_json, "
            "after_json, changed_fields, timestamp, timestamp_ms, actor, request_id, undo_of) "
            "VALUES (?1, 'update', ?2, ?3, " + before_sql + ", ?5, '[\"info.company\"]', ?6, ?7, 'bench', ?8, NULL)",
            (contact_id, revision, revision + 1, contact, contact, stamp, 1795946400000 + done, str(done)))
    db.execute("COMMIT")
wall = time.perf_counter() - start_wall
end_cpu = resource.getrusage(resource.RUSAGE_SELF)
user = end_cpu.ru_utime - start_cpu.ru_utime
system = end_cpu.ru_stime - start_cpu.ru_stime
print(f"{done} updates, {args.batch} per transaction, synchronous={args.sync}: {done / wall:,.0f} updates/s, "
      f"CPU {(user + system) / done * 1e6:.1f} µs per update (user {user / done * 1e6:.1f}, "
      f"system {system / done * 1e6:.1f}), one thread")
