#!/usr/bin/env python3
"""Issues up to `total` tickets over `connections` concurrent keep-alive connections
(`POST /api/v1/tickets`, round-robin over the given services), stopping early at a time
budget. wrk cannot send a fixed number of requests, hence this client.

Importable (bench.py calls `run`) or standalone:
    python3 scripts/ticket_burst.py --port 8080 [--total 100000 --connections 64 --budget 60]
"""
import argparse
import asyncio
import itertools
import json
import time

from sse_fanout import Http


async def burst(port, total, connections, services, budget):
    numbers = itertools.count()
    deadline = time.perf_counter() + budget
    statuses = {}
    failures = []
    bodies = [json.dumps({"serviceId": service}).encode() for service in services]
    headers = ("Content-Type: application/json",)

    async def client():
        http = Http(port)
        await http.connect()
        try:
            while time.perf_counter() < deadline:
                n = next(numbers)
                if n >= total:
                    return
                try:
                    status, body = await http.request("POST", "/api/v1/tickets", bodies[n % len(bodies)], headers)
                except (OSError, asyncio.IncompleteReadError) as error:
                    status, body = f"socket error ({type(error).__name__})", b""
                    http.close()
                    await http.connect()
                statuses[status] = statuses.get(status, 0) + 1
                if status != 201 and len(failures) < 5:
                    failures.append((status, body[:300].decode("utf-8", "replace")))
        finally:
            http.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    seconds = time.perf_counter() - started
    sent = sum(statuses.values())
    return {"sent": sent, "statuses": statuses, "failures": failures, "seconds": seconds, "per_second": sent / seconds,
            "stopped_by_budget": sent < total}


def run(port, total=100_000, connections=64, services=("A", "B", "C"), budget=60.0):
    return asyncio.run(burst(port, total, connections, services, budget))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--budget", type=float, default=60.0)
    args = parser.parse_args()
    print(json.dumps(run(args.port, args.total, args.connections, budget=args.budget), indent=2))
