#!/usr/bin/env python3
"""Which tables and indexes a commit of updates writes to the write-ahead log.

Every page a commit dirties is written whole to the log (a frame), synced there, copied back
into the database file by a checkpoint and synced again: frames a write are what the log syncs,
the background checkpoints and the writer's catch-ups all pay for. This script spawns the
release gateway on a fresh database, creates contacts and then sends updates of `company` (as
the mix's `contacts.update` does) with a window of requests in flight, both through
`instructions.py`'s driver, copies the database file and its log before the gateway closes
(closing checkpoints the log away), and attributes each frame the updates wrote to the table
or index its page belonged to at that commit: it replays the log over the file commit by commit
and walks every B-tree from its root page, since a page an index frees may later serve another
index or the audit table.

Everything must fit in one log that no checkpoint has touched: at the default threshold (16,000
pages) 1,000 contacts and 3,000 updates do.

Usage: python3 Benchmarks/log_frames.py [--binary PATH] [--contacts 1000] [--updates 3000]
"""

import argparse
import collections
import os
import sqlite3
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from instructions import Gateway, create_request, requests  # noqa: E402


def read_frames(log_bytes):
    """The log's valid frames in order (page number, whether it ends a commit, page bytes), with
    the page size."""
    _magic, _version, page_size, _sequence, salt1, salt2, _c1, _c2 = struct.unpack(">8I", log_bytes[:32])
    frames = []
    offset = 32
    while offset + 24 + page_size <= len(log_bytes):
        page, commit_size, frame_salt1, frame_salt2 = struct.unpack(">4I", log_bytes[offset:offset + 16])
        if (frame_salt1, frame_salt2) != (salt1, salt2):
            break
        frames.append((page, commit_size != 0, log_bytes[offset + 24:offset + 24 + page_size]))
        offset += 24 + page_size
    return frames, page_size


def children(page_bytes, number):
    """The child page numbers of an interior B-tree page (none for a leaf)."""
    header = 100 if number == 1 else 0
    kind = page_bytes[header]
    if kind not in (0x02, 0x05):
        return []
    cells = struct.unpack(">H", page_bytes[header + 3:header + 5])[0]
    pointers = [struct.unpack(">I", page_bytes[header + 8:header + 12])[0]]
    for index in range(cells):
        at = struct.unpack(">H", page_bytes[header + 12 + 2 * index:header + 14 + 2 * index])[0]
        pointers.append(struct.unpack(">I", page_bytes[at:at + 4])[0])
    return pointers


def owners_now(roots, page_of):
    """Each page's table or index in the state `page_of` gives, walking down from the roots."""
    owners = {}
    for name, root in roots:
        stack = [root]
        while stack:
            number = stack.pop()
            if number in owners or number == 0:
                continue
            owners[number] = name
            stack.extend(children(page_of(number), number))
    return owners


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--binary", default=os.path.join(here, "..", ".build-bench", "release", "contacts-gateway"))
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=3000)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        gateway = Gateway(options.binary, directory, None)
        log = gateway.database + "-wal"
        created = gateway.send_all(create_request(i) for i in range(options.contacts))
        ids = [r["result"]["contact"]["id"] for r in created.values()]
        time.sleep(0.5)  # the last creates' log sync
        before = os.path.getsize(log)
        answered = gateway.send_all(requests("update", ids, options.updates, options.contacts))
        failed = [r for r in answered.values() if "error" in r]
        if failed:
            sys.exit(f"{len(failed)} updates failed, e.g. {failed[0]['error']}")
        # The log first: a commit it holds may be in the file already, never the reverse.
        with open(log, "rb") as file:
            log_bytes = file.read()
        with open(gateway.database, "rb") as file:
            file_bytes = file.read()
        gateway.finish()
        roots = sqlite3.connect(gateway.database).execute(
            "SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0").fetchall()

    frames, page_size = read_frames(log_bytes)
    first_update = (before - 32) // (24 + page_size)
    if (before - 32) % (24 + page_size) or len(frames) <= first_update:
        sys.exit("the log restarted or was checkpointed during the run: send fewer (--updates)")
    roots.append(("sqlite_schema", 1))
    latest = {}

    def page_of(number):
        if number in latest:
            return latest[number]
        return file_bytes[(number - 1) * page_size:number * page_size]

    counts = collections.Counter()
    commits = 0
    pending = []
    for index, (number, ends_commit, content) in enumerate(frames):
        latest[number] = content
        if index >= first_update:
            pending.append(number)
        if ends_commit and pending:
            owners = owners_now(roots, page_of)
            counts.update(owners.get(number, "(free or overflow)") for number in pending)
            commits += 1
            pending = []

    written = sum(counts.values())
    print(f"{options.updates} updates of {options.contacts} contacts: {commits} commits, "
          f"{options.updates / commits:.1f} updates and {written / commits:.1f} frames a commit "
          f"({written / options.updates:.2f} an update), {page_size}-byte pages")
    for name, count in counts.most_common():
        print(f"{count / commits:7.2f} a commit  {count / options.updates:6.3f} an update  {name}")

if __name__ == "__main__":
    main()
