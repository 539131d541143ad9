#!/usr/bin/env python3
"""`contacts-gateway verify` on a log of --entries entries (default 1,000,000), made by the gateway.

Builds (or reuses, --db PATH) a local database whose audit log the gateway itself wrote: it
creates --contacts contacts, then pipelines contacts.forceUpdate round robin (window 256) until
the log holds --entries entries, so every entry is chained exactly as in use. Then it times
`contacts-gateway verify` (wall clock, --repeat times) and prints entries/s and the database size.

  python3 Benchmarks/audit-verify.py --gateway .build-bench/release/contacts-gateway
"""
import argparse, json, os, select, subprocess, sys, tempfile, time


def fill(gateway, db, entries, contacts):
    process = subprocess.Popen([gateway, "serve", "--db", db], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, bufsize=0)
    buffer, in_flight, next_id, done, ids = b"", 0, 1, 0, []

    def pump(block):
        nonlocal buffer, in_flight, done
        ready, _, _ = select.select([process.stdout], [], [], 10 if block else 0)
        if not ready:
            return []
        buffer += os.read(process.stdout.fileno(), 1 << 20)
        lines = buffer.split(b"\n")
        buffer = lines.pop()
        answers = []
        for line in lines:
            message = json.loads(line)
            if "id" not in message:
                continue
            if "error" in message:
                raise SystemExit(f"gateway error: {message['error']}")
            in_flight -= 1
            done += 1
            answers.append(message["result"])
        return answers

    def send(method, params):
        nonlocal next_id, in_flight
        process.stdin.write((json.dumps({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params}) + "\n").encode())
        next_id += 1
        in_flight += 1

    for index in range(contacts):
        send("contacts.create", {"info": {"name": {"first": f"V{index}"}, "company": "C"}})
        while in_flight >= 256:
            ids += [answer["contact"]["id"] for answer in pump(True)]
    while in_flight:
        ids += [answer["contact"]["id"] for answer in pump(True)]
    started, sent = time.time(), contacts
    while sent < entries:
        send("contacts.forceUpdate", {"contactId": ids[sent % len(ids)], "info": {"jobTitle": f"J{sent}"}})
        sent += 1
        while in_flight >= 256:
            pump(True)
        if sent % 100_000 == 0:
            print(f"  {sent:,} entries ({sent / (time.time() - started):,.0f}/s)", file=sys.stderr)
    while in_flight:
        pump(True)
    process.stdin.close()
    process.wait(timeout=120)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--db")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db = args.db or os.path.join(tempfile.mkdtemp(prefix="audit-verify-"), "contacts.sqlite")
    if not os.path.exists(db):
        print(f"building {args.entries:,} entries in {db}", file=sys.stderr)
        fill(args.gateway, db, args.entries, args.contacts)
    size = os.path.getsize(db)
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = subprocess.run([args.gateway, "verify", "--db", db], capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        print(f"verify: exit {result.returncode} in {elapsed:.2f} s ({args.entries / elapsed:,.0f} entries/s); "
              f"{result.stdout.strip() or result.stderr.strip()}")
    print(f"database: {size / 1e6:.0f} MB ({size / args.entries:.0f} bytes per entry)")


if __name__ == "__main__":
    main()
