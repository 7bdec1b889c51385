#!/usr/bin/env python3
"""Motcua benchmarks: drives a release build over loopback and rewrites BENCHMARKS.md.

Figures are measured, never asserted: the targets sit beside them in the table so a
reader sees at once what holds on this machine. Every run starts from a fresh demo
database under .bench/.
"""
import argparse
import datetime
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import time
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


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def wrk(url, connections, seconds=10, threads=2):
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True, capture_output=True, text=True,
    ).stdout
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
    idle = rss_mb(server.pid)
    wrk(f"http://127.0.0.1:{port}/api/v1/services", 64, seconds=3)  # warm-up
    rps, p99, errors = wrk(f"http://127.0.0.1:{port}/api/v1/services", 64)
    stop(server)
    return [
        ("`GET /api/v1/services`, 64 connections (wrk, 2 threads, 10 s)", "≥ 20,000 req/s", f"{rps:,.0f} req/s" + (f" ({errors} errors)" if errors else "")),
        ("same, p99 latency", "< 10 ms", f"{p99:.2f} ms"),
        ("process start → first `/healthz` 200 (existing DB, median of 15)", "< 300 ms", f"{statistics.median(startups):.0f} ms (max {max(startups):.0f} ms)"),
        ("idle resident memory after start", "< 40 MB", f"{idle:.1f} MB"),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)

    sections = [("Foundation (issue 2)", foundation(args.binary))]

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
