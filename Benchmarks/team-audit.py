#!/usr/bin/env python3
"""Issue 19's team benchmark: N gateways (separate processes, separate local files) on one
wix-emulator and one PostgreSQL audit log, pipelining contacts.forceUpdate at shared contacts.

Starts a throwaway PostgreSQL cluster (initdb into a temp dir, Unix socket only; as root the
server runs as `postgres`), one emulator, then for each --gateways count: a fresh database,
N gateways with --audit-url, --window requests in flight per gateway over --contacts contacts.
Prints changes/s (acknowledged forceUpdates per second, all gateways together), p50/p99 latency
and errors. With --sqlite it also runs one gateway on its own SQLite audit log, for comparison.

  python3 Benchmarks/team-audit.py --gateway .build/release/contacts-gateway \
      --emulator .build/release/wix-emulator --gateways 1 --gateways 2 --gateways 4
"""
import argparse, glob, json, os, pwd, random, select, shutil, subprocess, tempfile, threading, time


class Cluster:
    def __init__(self):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = tempfile.mkdtemp(prefix="cgpg-bench-")
        self.prefix = []
        if os.getuid() == 0:
            user = "postgres"
            try:
                pwd.getpwnam(user)
            except KeyError:
                user = "nobody"
            subprocess.run(["chown", "-R", user, self.dir], check=True)
            self.prefix = ["runuser", "-u", user, "--"]
        self.server([f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U", "gateway", "--auth=trust", "--no-sync"])
        self.server([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "-t", "60",
                     "-o", f"-k {self.dir} -c listen_addresses='' -c max_connections=300", "start"])
        self.count = 0

    def server(self, command):
        subprocess.run(self.prefix + command, check=True, stdout=subprocess.DEVNULL, timeout=120)

    def database(self):
        self.count += 1
        name = f"bench_{self.count}"
        subprocess.run([f"{self.bin}/createdb", "-h", self.dir, "-U", "gateway", name], check=True, timeout=60)
        return f"postgres://gateway@/{name}?host={self.dir}"

    def stop(self):
        try:
            self.server([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "-t", "30", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Gateway:
    def __init__(self, binary, environment, arguments):
        self.directory = tempfile.mkdtemp(prefix="team-gw-")
        self.process = subprocess.Popen(
            [binary, "--backend", "wix", "--db", os.path.join(self.directory, "local.sqlite")] + arguments,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment, bufsize=0)
        self.pending, self.buffer, self.latencies, self.errors = {}, b"", [], 0

    def send(self, request_id, method, params):
        line = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}) + "\n"
        self.process.stdin.write(line.encode())
        self.pending[request_id] = time.perf_counter()

    def receive(self, deadline):
        ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise SystemExit(f"no answer within the deadline ({len(self.pending)} pending)")
        self.buffer += os.read(self.process.stdout.fileno(), 1 << 20)
        *lines, self.buffer = self.buffer.split(b"\n")
        answers = []
        for line in lines:
            message = json.loads(line)
            self.latencies.append(time.perf_counter() - self.pending.pop(message["id"]))
            if "error" in message:
                self.errors += 1
            answers.append(message)
        return answers

    def drive(self, ids, requests, window, seed, deadline):
        generator = random.Random(seed)
        for index in range(requests):
            contact = ids[generator.randrange(len(ids))]
            self.send(1_000_000 + index, "contacts.forceUpdate",
                      {"contactId": contact, "maxAttempts": 10, "info": {"jobTitle": f"S{seed} {index}"}})
            while len(self.pending) >= window:
                self.receive(deadline)
        while self.pending:
            self.receive(deadline)

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)
        shutil.rmtree(self.directory, ignore_errors=True)


def run(args, cluster, url, count, sqlite):
    environment = dict(os.environ, WIX_API_KEY="bench-key", WIX_SITE_ID="bench-site", WIX_BASE_URL=url,
                       WIX_REQUESTS_PER_MINUTE="100000000")
    arguments = [] if sqlite else ["--audit-url", cluster.database()]
    gateways = [Gateway(args.gateway, environment, arguments) for _ in range(count)]
    deadline = time.monotonic() + args.timeout
    seeder, ids = gateways[0], []
    for index in range(args.contacts):
        seeder.send(index, "contacts.create", {"info": {"name": {"first": f"T{index}"}}})
        while len(seeder.pending) >= 16:
            ids += [a["result"]["contact"]["id"] for a in seeder.receive(deadline) if "result" in a]
    while seeder.pending:
        ids += [a["result"]["contact"]["id"] for a in seeder.receive(deadline) if "result" in a]
    for gateway in gateways:
        gateway.latencies.clear()
        gateway.errors = 0
    threads = [threading.Thread(target=g.drive, args=(ids, args.requests, args.window, seed, deadline))
               for seed, g in enumerate(gateways)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    for gateway in gateways:
        gateway.stop()
    latencies = sorted(l for g in gateways for l in g.latencies)
    errors = sum(g.errors for g in gateways)
    return {
        "audit": "sqlite" if sqlite else "postgresql", "gateways": count, "contacts": args.contacts,
        "windowPerGateway": args.window, "changes": len(latencies) - errors,
        "changesPerSecond": round((len(latencies) - errors) / seconds, 1),
        "p50Ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99Ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2), "errors": errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--gateways", type=int, action="append")
    parser.add_argument("--contacts", type=int, default=20)
    parser.add_argument("--requests", type=int, default=500, help="per gateway")
    parser.add_argument("--window", type=int, default=8, help="requests in flight per gateway")
    parser.add_argument("--sqlite", action="store_true", help="also one gateway on a SQLite audit log")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    cluster = Cluster()
    directory = tempfile.mkdtemp(prefix="team-emulator-")
    emulator = subprocess.Popen(
        [args.emulator, "--api-key", "bench-key", "--site-id", "bench-site", "--log-level", "error",
         "--db", os.path.join(directory, "emulator.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = emulator.stdout.readline().strip()
    try:
        if args.sqlite:
            print(json.dumps(run(args, cluster, url, 1, True)), flush=True)
        for count in args.gateways or [1, 2, 4]:
            print(json.dumps(run(args, cluster, url, count, False)), flush=True)
    finally:
        emulator.terminate()
        emulator.wait(timeout=30)
        shutil.rmtree(directory, ignore_errors=True)
        cluster.stop()


if __name__ == "__main__":
    main()
