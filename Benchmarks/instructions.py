#!/usr/bin/env python3
"""Instructions per request of the release gateway, counted by valgrind (callgrind).

This machine's speed drifts by a third within an hour, so throughput A/B runs need many pairs to
see a 5 % change. The number of instructions a request costs does not drift: it moves by about
1 % between runs of one binary. This script spawns the gateway under `valgrind --tool=callgrind`,
drives one kind of request over real pipes (64 in flight, as the mix does) and reports
instructions per request as the difference of two runs of different length, so start-up, seeding
and exit cancel out.

Caveats: valgrind emulates a CPU without SHA extensions, so the audit chain's SHA-256 counts
about four times what it costs on hardware that has them (see Benchmarks/README.md); and the
count leaves out the kernel (fsync, pipes, temporary files): count system calls beside it
(`perf stat -e 'syscalls:sys_enter_pwrite64'`), as session 11's temp_store trial showed. Valgrind 3.19 cannot read the DWARF 5 debug
information Swift 6.3 writes, so the script runs a copy of the binary without it.

With `--syscalls` it also runs the same workload natively under `perf stat` and reports
`pwrite64`, `fdatasync`, `write`, `openat` and `unlink` calls per request.

With `--writer` it counts only what the one writer thread runs (callgrind collects inside the
group commit's drain, `GroupCommitter.drain`, found by its mangled name): the serial part of a
write, which bounds the update throughput.

Usage: python3 Benchmarks/instructions.py [--binary PATH] [--ops create,update,forceUpdate,get] [--n 2000] [--syscalls] [--writer]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

WINDOW = 64
SEEDED = 300


def create_request(index):
    return {
        "method": "contacts.create",
        "params": {
            "info": {
                "name": {"first": f"F{index}", "last": f"L{index}"},
                "emails": {"items": [{"email": f"c{index}@example.com", "tag": "WORK"}]},
                "phones": {"items": [{"phone": f"+1 555 01{index % 100:02d}", "tag": "MOBILE"}]},
                "company": "Acme",
            }
        },
    }


SYSTEM_CALLS = ["pwrite64", "fdatasync", "write", "openat", "unlink"]

# The group commit's drain (`GroupCommitter.drain()` in ContactStore's GroupCommitter.swift): the
# writer thread's work. Its mangled name carries a hash of the file's path, so it is matched with
# a wildcard there; the `yyF` end leaves out its closures (a nested match would toggle back off).
WRITER_FUNCTION = "$s12ContactStore14GroupCommitterC5drain33_*LLyyF"


class Gateway:
    """One gateway under a counter, driven with a window of requests in flight: callgrind
    (instructions), or `perf stat` on system-call tracepoints (calls), which callgrind leaves out;
    with no counter, the gateway alone (`log_frames.py`)."""

    def __init__(self, binary, directory, counter, writer_only=False):
        self.counter = counter
        self.output = os.path.join(directory, f"{counter}.out")
        self.database = os.path.join(directory, "contacts.sqlite")
        if counter is None:
            wrapper = []
        elif counter == "instructions":
            wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.output}"]
            if writer_only:
                wrapper += ["--collect-atstart=no", f"--toggle-collect={WRITER_FUNCTION}"]
        else:
            events = ",".join(f"syscalls:sys_enter_{name}" for name in SYSTEM_CALLS)
            wrapper = ["perf", "stat", "-x", ",", "-o", self.output, "-e", events]
        self.process = subprocess.Popen(
            wrapper + [binary, "serve", "--db", self.database],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.next_id = 1

    def send_all(self, requests):
        """Sends `requests` keeping WINDOW in flight; returns the responses by id."""
        responses, pending = {}, 0
        for request in requests:
            request = dict(request, jsonrpc="2.0", id=self.next_id)
            self.next_id += 1
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            pending += 1
            if pending >= WINDOW:
                self.process.stdin.flush()
                pending -= self.read_one(responses)
        self.process.stdin.flush()
        while pending:
            pending -= self.read_one(responses)
        return responses

    def read_one(self, responses):
        line = self.process.stdout.readline()
        if not line:
            sys.exit("the gateway closed its output:\n" + self.process.stderr.read().decode()[-2000:])
        response = json.loads(line)
        responses[response["id"]] = response
        return 1

    def finish(self):
        """Closes stdin and returns what the whole run counted, by counter name."""
        self.process.stdin.close()
        errors = self.process.stderr.read().decode()
        self.process.wait(timeout=300)
        if self.counter is None:
            return {}
        if self.counter == "instructions":
            found = re.search(r"Collected : (\d+)", errors)
            if not found:
                sys.exit("callgrind reported no total:\n" + errors[-2000:])
            return {"instructions": int(found.group(1))}
        counts = {}
        for line in open(self.output):
            fields = line.strip().split(",")
            if len(fields) > 2 and fields[2].startswith("syscalls:sys_enter_") and fields[0].isdigit():
                counts[fields[2].removeprefix("syscalls:sys_enter_")] = int(fields[0])
        if not counts:
            sys.exit("perf stat counted no system calls (are tracepoints readable?):\n" + errors[-2000:])
        return counts


def requests(op, ids, count, created_before):
    """`count` requests of `op` over the contacts `ids` (each at revision 1), round robin in a
    scattered order; creates are numbered on from `created_before`."""
    revisions = dict.fromkeys(ids, 1)
    for k in range(count):
        contact = ids[(k * 7919) % len(ids)]
        if op == "create":
            yield create_request(created_before + k)
        elif op == "get":
            yield {"method": "contacts.get", "params": {"contactId": contact}}
        elif op == "forceUpdate":
            yield {"method": "contacts.forceUpdate",
                   "params": {"contactId": contact, "info": {"company": f"Acme {k}"}}}
        else:  # update, at the revision it will have: each contact is sent again only after
            # every other one, so its previous update has long been answered.
            revisions[contact] += 1
            yield {"method": "contacts.update",
                   "params": {"contactId": contact, "revision": revisions[contact] - 1,
                              "info": {"company": f"Acme {k}"}}}


def run(binary, op, count, counter, writer_only=False):
    """What `counter` counts in a run that seeds SEEDED contacts and then sends `count` requests
    of `op` (instructions: only the writer thread's with `writer_only`)."""
    with tempfile.TemporaryDirectory() as directory:
        gateway = Gateway(binary, directory, counter, writer_only)
        seeded = gateway.send_all(create_request(i) for i in range(SEEDED))
        ids = [r["result"]["contact"]["id"] for r in seeded.values()]
        responses = gateway.send_all(requests(op, ids, count, SEEDED))
        failed = [r for r in responses.values() if "error" in r]
        total = gateway.finish()
        if failed:
            sys.exit(f"{len(failed)} {op} requests failed, e.g. {failed[0]['error']}")
        return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--binary", default=os.path.join(here, "..", ".build-bench", "release", "contacts-gateway"))
    parser.add_argument("--ops", default="create,update,forceUpdate,get")
    parser.add_argument("--n", type=int, default=2000, help="requests in the longer run (the shorter sends a quarter)")
    parser.add_argument("--syscalls", action="store_true",
                        help="also count system calls per request (perf stat, natively: the kernel work callgrind leaves out)")
    parser.add_argument("--writer", action="store_true",
                        help="count only the writer thread's instructions (the group commit's drain)")
    options = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing (apt-get install valgrind)")
    if options.syscalls and not shutil.which("perf"):
        sys.exit("perf is missing (apt-get install linux-perf)")
    counters = ["instructions"] + (["syscalls"] if options.syscalls else [])
    with tempfile.TemporaryDirectory() as directory:
        binary = os.path.join(directory, "contacts-gateway")
        subprocess.run(["strip", "--strip-debug", "-o", binary, options.binary], check=True)
        short, long = options.n // 4, options.n
        figures = {}
        for op in options.ops.split(","):
            per_request = {}
            for counter in counters:
                writer_only = options.writer and counter == "instructions"
                longer = run(binary, op, long, counter, writer_only)
                shorter = run(binary, op, short, counter, writer_only)
                for name in longer:
                    per_request[name] = (longer[name] - shorter.get(name, 0)) / (long - short)
            figures[op] = {name: round(value, 3) for name, value in per_request.items()}
            calls = ", ".join(f"{value:.2f} {name}" for name, value in per_request.items() if name != "instructions")
            scope = " on the writer" if options.writer else ""
            print(f"{op:12s} {per_request['instructions'] / 1000:8.1f} k instructions per request{scope}"
                  + (f"; system calls: {calls}" if calls else ""), flush=True)
        print(json.dumps({"binary": options.binary, "writerOnly": options.writer, "perRequest": figures}))


if __name__ == "__main__":
    main()
