#!/usr/bin/env python3
"""Which tables and indexes a commit of updates writes to the write-ahead log.

Every page a commit dirties is written whole to the log (a frame), synced there, copied back
into the database file by a checkpoint and synced again: frames a write are what the log syncs,
the background checkpoints and the writer's catch-ups all pay for. This script spawns the
release gateway on a fresh database, creates contacts as the benchmark seeds them, then sends
updates of `company` (as the mix's `contacts.update` does) with a window of requests in flight,
copies the log before the gateway closes (closing checkpoints it away), and maps each frame
written by the updates to the table or index that owns its page (SQLite's `dbstat`).

The updates must fit in one log: at the default threshold (16,000 pages) 3,000 updates do.

Usage: python3 Benchmarks/log_frames.py [--binary PATH] [--contacts 1000] [--updates 3000]
"""

import argparse
import collections
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time

WINDOW = 64


def drive(process, requests):
    """Sends `requests` with up to WINDOW in flight; returns the responses by request index."""
    responses = {}
    pending = 0
    source = iter(enumerate(requests))
    exhausted = False
    while True:
        while not exhausted and pending < WINDOW:
            try:
                index, request = next(source)
            except StopIteration:
                exhausted = True
                break
            line = json.dumps(dict(request, jsonrpc="2.0", id=index)) + "\n"
            process.stdin.write(line.encode())
            pending += 1
        process.stdin.flush()
        if pending == 0:
            return responses
        line = process.stdout.readline()
        if not line:
            sys.exit("the gateway closed its output")
        response = json.loads(line)
        responses[response["id"]] = response
        pending -= 1


def create_request(index):
    return {
        "method": "contacts.create",
        "params": {
            "info": {
                "name": {"first": "Bench", "last": f"Contact {index}"},
                "emails": {"items": [{"tag": "WORK", "email": f"mix-{index}@example.com"}]},
                "phones": {"items": [{"tag": "MOBILE", "countryCode": "US", "phone": f"646-555-{index % 10000:04d}"}]},
            }
        },
    }


def frames_after(log_bytes, offset):
    """The page numbers and commit flags of the log's valid frames from byte `offset` on, and
    the page size."""
    _magic, _version, page_size, _sequence, salt1, salt2, _c1, _c2 = struct.unpack(">8I", log_bytes[:32])
    frame_size = 24 + page_size
    if (offset - 32) % frame_size != 0:
        sys.exit(f"the log's size before the updates ({offset}) is not at a frame boundary")
    frames = []
    while offset + frame_size <= len(log_bytes):
        page, commit_size, frame_salt1, frame_salt2 = struct.unpack(">4I", log_bytes[offset:offset + 16])
        if (frame_salt1, frame_salt2) != (salt1, salt2):
            break
        frames.append((page, commit_size != 0))
        offset += frame_size
    return frames, page_size


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--binary", default=os.path.join(here, "..", ".build-bench", "release", "contacts-gateway"))
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=3000)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        database = os.path.join(directory, "contacts.sqlite")
        log = database + "-wal"
        process = subprocess.Popen(
            [options.binary, "serve", "--db", database],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        created = drive(process, (create_request(i) for i in range(options.contacts)))
        ids = [created[i]["result"]["contact"]["id"] for i in range(options.contacts)]
        time.sleep(0.5)  # the last creates' log sync
        before = os.path.getsize(log)
        revisions = dict.fromkeys(ids, 1)

        def updates():
            for k in range(options.updates):
                contact = ids[(k * 7919) % len(ids)]
                revisions[contact] += 1
                yield {"method": "contacts.update",
                       "params": {"contactId": contact, "revision": revisions[contact] - 1,
                                  "info": {"company": f"Acme {k}"}}}

        answered = drive(process, updates())
        failed = [r for r in answered.values() if "error" in r]
        if failed:
            sys.exit(f"{len(failed)} updates failed, e.g. {failed[0]['error']}")
        with open(log, "rb") as file:
            log_bytes = file.read()
        process.stdin.close()
        process.wait(timeout=60)

        frames, page_size = frames_after(log_bytes, before)
        if not frames:
            sys.exit("the log restarted during the updates: send fewer (--updates)")
        commits = sum(1 for _, commit in frames if commit)
        owners = {page: name for name, page in sqlite3.connect(database).execute("SELECT name, pageno FROM dbstat")}

    print(f"{options.updates} updates of {options.contacts} contacts: {commits} commits, "
          f"{options.updates / commits:.1f} updates and {len(frames) / commits:.1f} frames a commit "
          f"({len(frames) / options.updates:.2f} an update), {page_size}-byte pages")
    counts = collections.Counter(owners.get(page, "(a page since freed)") for page, _ in frames)
    for name, count in counts.most_common():
        print(f"{count / commits:7.2f} a commit  {count / options.updates:6.3f} an update  {name}")


if __name__ == "__main__":
    main()
