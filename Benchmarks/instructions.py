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

Usage: python3 Benchmarks/instructions.py [--binary PATH] [--ops create,update,forceUpdate,get] [--n 2000]
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


class Gateway:
    """One gateway under callgrind, driven with a window of requests in flight."""

    def __init__(self, binary, directory):
        self.output = os.path.join(directory, "callgrind.out")
        self.process = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.output}", binary, "serve",
             "--db", os.path.join(directory, "contacts.sqlite")],
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
        """Closes stdin and returns the instructions the whole run took."""
        self.process.stdin.close()
        errors = self.process.stderr.read().decode()
        self.process.wait(timeout=300)
        found = re.search(r"Collected : (\d+)", errors)
        if not found:
            sys.exit("callgrind reported no total:\n" + errors[-2000:])
        return int(found.group(1))


def run(binary, op, count):
    """Instructions of a run that seeds SEEDED contacts and then sends `count` requests of `op`."""
    with tempfile.TemporaryDirectory() as directory:
        gateway = Gateway(binary, directory)
        seeded = gateway.send_all(create_request(i) for i in range(SEEDED))
        ids = [r["result"]["contact"]["id"] for r in seeded.values()]
        revisions = {i: 1 for i in ids}

        def requests():
            for k in range(count):
                contact = ids[(k * 7919) % len(ids)]
                if op == "create":
                    yield create_request(SEEDED + k)
                elif op == "get":
                    yield {"method": "contacts.get", "params": {"contactId": contact}}
                elif op == "forceUpdate":
                    yield {"method": "contacts.forceUpdate",
                           "params": {"contactId": contact, "info": {"company": f"Acme {k}"}}}
                else:  # update, at the revision it will have: each contact is sent again only
                    # after every other one, so its previous update has long been answered.
                    revisions[contact] += 1
                    yield {"method": "contacts.update",
                           "params": {"contactId": contact, "revision": revisions[contact] - 1,
                                      "info": {"company": f"Acme {k}"}}}

        responses = gateway.send_all(requests())
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
    options = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as directory:
        binary = os.path.join(directory, "contacts-gateway")
        subprocess.run(["strip", "--strip-debug", "-o", binary, options.binary], check=True)
        short, long = options.n // 4, options.n
        figures = {}
        for op in options.ops.split(","):
            per_request = (run(binary, op, long) - run(binary, op, short)) / (long - short)
            figures[op] = round(per_request)
            print(f"{op:12s} {per_request / 1000:8.1f} k instructions per request", flush=True)
        print(json.dumps({"binary": options.binary, "instructionsPerRequest": figures}))


if __name__ == "__main__":
    main()
