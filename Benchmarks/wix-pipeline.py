#!/usr/bin/env python3
"""The wix backend end to end: gateway -> REST client -> wix-emulator, pipelined.

Starts a wix-emulator and a gateway on the wix backend (with the client's own rate limit
lifted), seeds contacts, then keeps --window requests in flight: --gets percent contacts.get,
the rest contacts.forceUpdate. Prints req/s, p50/p99 latency and errors, per HTTP transport
(WIX_HTTP_TRANSPORT). Everything runs on 127.0.0.1 and stops by itself.

  python3 Benchmarks/wix-pipeline.py --gateway .build-bench/release/contacts-gateway \
      --emulator .build-bench/release/wix-emulator --transport async-http-client
      (the gateway no longer has the urlsession transport; an older build still takes it)
"""
import argparse, json, os, random, select, subprocess, sys, tempfile, time


def start_emulator(binary, directory):
    process = subprocess.Popen(
        [binary, "--api-key", "bench-key", "--site-id", "bench-site", "--log-level", "error",
         "--db", os.path.join(directory, "emulator.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return process, process.stdout.readline().strip()


def run(args, transport):
    directory = tempfile.mkdtemp(prefix="wix-pipeline-")
    emulator, url = start_emulator(args.emulator, directory)
    environment = dict(os.environ, WIX_API_KEY="bench-key", WIX_SITE_ID="bench-site", WIX_BASE_URL=url,
                       WIX_REQUESTS_PER_MINUTE="100000000", WIX_HTTP_TRANSPORT=transport)
    gateway = subprocess.Popen(
        [args.gateway, "--backend", "wix", "--db", os.path.join(directory, "audit.sqlite")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment, bufsize=0)
    pending, buffer = {}, b""
    latencies, errors = [], 0

    def send(request_id, method, params):
        line = json.dumps({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}) + "\n"
        gateway.stdin.write(line.encode())
        pending[request_id] = time.perf_counter()

    def receive(deadline):
        nonlocal buffer, errors
        answers = []
        ready, _, _ = select.select([gateway.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise SystemExit(f"no answer within the deadline ({len(pending)} pending)")
        buffer += os.read(gateway.stdout.fileno(), 1 << 20)
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            message = json.loads(line)
            started = pending.pop(message["id"])
            latencies.append(time.perf_counter() - started)
            if "error" in message:
                errors += 1
            answers.append(message)
        return answers

    deadline = time.monotonic() + args.timeout
    ids = []
    for index in range(args.contacts):
        send(index, "contacts.create", {"info": {"name": {"first": f"B{index}"}}})
        while len(pending) >= args.window:
            ids += [a["result"]["contact"]["id"] for a in receive(deadline) if "result" in a]
    while pending:
        ids += [a["result"]["contact"]["id"] for a in receive(deadline) if "result" in a]
    latencies.clear()
    errors = 0
    generator = random.Random(42)
    started = time.perf_counter()
    for index in range(args.requests):
        contact = ids[generator.randrange(len(ids))]
        if generator.randrange(100) < args.gets:
            send(100_000 + index, "contacts.get", {"contactId": contact})
        else:
            send(100_000 + index, "contacts.forceUpdate", {"contactId": contact, "info": {"company": f"Co {index}"}})
        while len(pending) >= args.window:
            receive(deadline)
    while pending:
        receive(deadline)
    seconds = time.perf_counter() - started
    gateway.stdin.close()
    gateway.wait(timeout=30)
    emulator.terminate()
    emulator.wait(timeout=30)
    latencies.sort()
    return {
        "transport": transport, "requests": args.requests, "window": args.window, "gets": args.gets,
        "requestsPerSecond": round(args.requests / seconds, 1),
        "p50Ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99Ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2), "errors": errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--emulator", required=True)
    parser.add_argument("--transport", action="append", help="async-http-client (repeatable; older builds also took urlsession)")
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--window", type=int, default=16)
    parser.add_argument("--gets", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=3, help="runs per transport, alternating")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    transports = args.transport or ["async-http-client"]
    for _ in range(args.pairs):
        for transport in transports:
            print(json.dumps(run(args, transport)), flush=True)


if __name__ == "__main__":
    main()
