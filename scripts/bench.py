#!/usr/bin/env python3
"""Motcua benchmarks: drives a release build over loopback and rewrites BENCHMARKS.md.

Figures are measured, never asserted: the targets sit beside them in the table so a
reader sees at once what holds on this machine. Every run starts from a fresh demo
database under .bench/.
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, ".bench")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(binary, db, port, demo=False):
    args = [binary, "serve", "--db", db, "--port", str(port)] + (["--demo"] if demo else [])
    env = dict(os.environ, MOTCUA_LOG_LEVEL="warning")
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(port, timeout=30.0):
    """Polls /healthz every 1 ms; returns seconds until the first 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.001)
    raise RuntimeError("server did not become healthy")


def stop(process):
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def memory_mb(pid):
    """Resident memory, and how much of it is the process's own (anonymous) rather than
    file-backed code pages of the binary and shared libraries."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon", "RssFile"):
                fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["RssAnon"], fields["RssFile"]


def wrk(url, connections, seconds=10, threads=2, script=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-s", script] if script else []
    out = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"\s99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale, int(errors.group(1)) if errors else 0


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 1024 / 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return f"{os.cpu_count()} cores ({model}), {mem_gb:.0f} GiB RAM, {platform.system()} {platform.release()}, {swift}"


def foundation(binary):
    db = os.path.join(WORK, "foundation.sqlite")
    port = free_port()
    # Create and seed the database once, so start-up is measured on an existing database.
    server = start(binary, db, port, demo=True)
    wait_healthy(port)
    stop(server)

    startups = []
    for _ in range(15):
        server = start(binary, db, port)
        startups.append(wait_healthy(port) * 1000)
        stop(server)

    server = start(binary, db, port)
    wait_healthy(port)
    time.sleep(2)
    idle, anonymous, files = memory_mb(server.pid)
    wrk(f"http://127.0.0.1:{port}/api/v1/services", 64, seconds=3)  # warm-up
    rps, p99, errors = wrk(f"http://127.0.0.1:{port}/api/v1/services", 64)
    stop(server)
    return [
        ("`GET /api/v1/services`, 64 connections (wrk, 2 threads, 10 s)", "≥ 20,000 req/s", f"{rps:,.0f} req/s" + (f" ({errors} errors)" if errors else "")),
        ("same, p99 latency", "< 10 ms", f"{p99:.2f} ms"),
        ("process start → first `/healthz` 200 (existing DB, median of 15)", "< 300 ms", f"{statistics.median(startups):.0f} ms (max {max(startups):.0f} ms)"),
        ("idle resident memory after start", "< 40 MB",
         f"{idle:.1f} MB ({anonymous:.1f} MB private; {files:.1f} MB file-backed code of the binary and Swift/Foundation libraries)"),
    ]


def call(method, url, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def booking_body(slot, n):
    """A valid citizen per n: born 200x in Hà Nội, a distinct ID number and mobile phone."""
    return {"slotId": slot, "citizen": {"fullName": "Nguyễn Văn An", "idNumber": f"0012{n:08d}", "phone": f"091{n % 10_000_000:07d}"}}


WRK_BOOKING = """
local slots = {%s}
local counter = 0
function setup(thread) thread:set("offset", %d + #threads * 3000000) table.insert(threads, thread) end
threads = {}
request = function()
  counter = counter + 1
  local n = offset + counter
  local body = string.format('{"slotId":%%d,"citizen":{"fullName":"Nguyễn Văn An","idNumber":"0012%%08d","phone":"091%%07d"}}',
    slots[(n %% #slots) + 1], n, n %% 10000000)
  return wrk.format("POST", "/api/v1/bookings", {["Content-Type"]="application/json"}, body)
end
"""


def booking(binary):
    db = os.path.join(WORK, "booking.sqlite")
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    server = start(binary, db, port, demo=True)
    wait_healthy(port)
    token = subprocess.run([binary, "token", "create", "--db", db, "--role", "manager", "--name", "bench"],
                           check=True, capture_output=True, text=True).stdout.strip()
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
    days = [(today + datetime.timedelta(days=d)).isoformat() for d in range(1, 29)]  # inside the 30-day horizon
    _, services = call("GET", f"{base}/services")
    slots = []
    for service in services:
        _, found = call("GET", f"{base}/slots?service={service['id']}&from={days[0]}&to={days[-1]}")
        slots += [slot["id"] for slot in found]
        for day in days:
            call("PUT", f"{base}/services/{service['id']}/days/{day}/capacity", {"capacity": 1000}, token)

    # 256 clients on one slot of capacity 10, all released at once, round after round.
    rounds, exact = 20, 0
    barrier_pool = concurrent.futures.ThreadPoolExecutor(max_workers=256)
    for r in range(rounds):
        slot = slots[r]
        call("PUT", f"{base}/slots/{slot}/capacity", {"capacity": 10, "force": True}, token)
        gate = threading.Barrier(256)

        def attempt(i, slot=slot, gate=gate):
            gate.wait()
            return call("POST", f"{base}/bookings", booking_body(slot, 9_000_000 + r * 1000 + i))
        outcomes = list(barrier_pool.map(attempt, range(256)))
        made = sum(1 for status, _ in outcomes if status == 201)
        full = sum(1 for status, body in outcomes if status == 409 and body["error"]["code"] == "slot_full")
        exact += made == 10 and full == 246
    barrier_pool.shutdown()

    script = os.path.join(WORK, "booking.lua")
    with open(script, "w") as f:
        f.write(WRK_BOOKING % (",".join(map(str, slots[rounds:])), 0))
    rps, p99, errors = wrk(f"http://127.0.0.1:{port}/api/v1/bookings", 32, seconds=10, script=script)
    stop(server)
    return [
        ("256 clients booking one slot of capacity 10 over HTTP, all released at once", "exactly 10 booked, 246 × 409 slot_full, every time",
         f"{exact} of {rounds} rounds exact"),
        ("`POST /api/v1/bookings` over HTTP, 32 connections, distinct slots and citizens (wrk, 10 s)", "≥ 4,000 bookings/s",
         f"{rps:,.0f} bookings/s" + (f" ({errors} non-201)" if errors else "")),
        ("same, p99 latency", "< 20 ms", f"{p99:.2f} ms"),
    ]


def store(bench_binary):
    out = subprocess.run([bench_binary, WORK], check=True, capture_output=True, text=True).stdout
    figures = {row["name"]: row["value"] for row in map(json.loads, out.splitlines())}
    return [
        ("booking through the store, in-process, one client", "≥ 20,000/s", f"{figures['store_booking_sequential_per_s']:,.0f} bookings/s"),
        ("booking through the store, in-process, 32 concurrent clients", "≥ 20,000/s", f"{figures['store_booking_32_clients_per_s']:,.0f} bookings/s"),
        ("free-slot search, one service over 30 days, 10 services in turn (p50 / p99)", "p99 < 2 ms",
         f"{figures['free_slot_search_p50_ms']:.3f} / {figures['free_slot_search_p99_ms']:.3f} ms ({figures['free_slot_search_slots']:.0f} slots each)"),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--store-bench", required=True)
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)

    sections = [
        ("Foundation (issue 2)", foundation(args.binary)),
        ("Booking calendar (issue 3)", booking(args.binary) + store(args.store_bench)),
    ]

    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py): a release build driven over loopback,",
        "the load generator (wrk) sharing the machine with the server. Rerun after changes",
        "that may move a figure.",
        "",
        f"- Measured: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        "",
    ]
    for title, rows in sections:
        lines += [f"## {title}", "", "| what | target | measured |", "|---|---|---|"]
        lines += [f"| {what} | {target} | {measured} |" for what, target, measured in rows]
        lines.append("")
    with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
