#!/usr/bin/env python3
"""Many status displays on the push channel (`GET /api/v1/queue/events`), timed per call.

Opens `displays` Server-Sent Events connections over raw asyncio sockets, waits until every
one has its first `event: status`, then has an officer call the next ticket `calls` times and
times, for every (display, call) pair, from just before the call-next request is written to
the arrival of the end of the first event whose data names the called ticket.

The receiving side only stamps and stores what arrives (one `perf_counter()` and a list
append per read); events are split and searched after the run, so the client adds as little
as it can to the times it measures. It still shares the CPU with the server: the report
carries the client's own CPU time so a reader can judge.

Importable (bench.py calls `run`) or standalone:
    python3 scripts/sse_fanout.py --port 8080 --token mct_... [--displays 1000 --calls 20]
"""
import argparse
import asyncio
import json
import resource
import statistics
import time

HOST = "127.0.0.1"


def raise_fd_limit(wanted):
    """Lifts the soft RLIMIT_NOFILE towards `wanted` (never above the hard limit). Children
    started afterwards (the server) inherit it. Returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Http:
    """One keep-alive HTTP/1.1 connection: write a request, read one response."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def connect(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    def send(self, method, path, body=b"", headers=()):
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", f"Content-Length: {len(body)}"]
        head += list(headers)
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    async def response(self):
        """(status, body bytes); reconnects for the next request when the server closes."""
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "content-length" in fields:
            body = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                body += (await self.reader.readexactly(size + 2))[:-2]
                if size == 0:  # no trailers: the CRLF just read ends the body
                    break
        else:
            body = b""
        if fields.get("connection", "").lower() == "close":
            self.close()
            await self.connect()
        return status, body

    async def request(self, method, path, body=b"", headers=()):
        self.send(method, path, body, headers)
        return await self.response()

    def close(self):
        if self.writer:
            self.writer.close()


class Display(asyncio.Protocol):
    """One SSE connection that stamps every read and keeps the bytes for later."""

    def __init__(self, port, path, first_event):
        self.request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
        self.first_event = first_event
        self.chunks = []  # (perf_counter at read, bytes)
        self.ready = False
        self.lost = None
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        self.chunks.append((time.perf_counter(), data))
        if not self.ready:
            seen = b"".join(chunk for _, chunk in self.chunks)
            body = seen.partition(b"\r\n\r\n")[2]
            if b"event: status" in body and b"\n\n" in body:
                self.ready = True
                self.first_event(self)

    def connection_lost(self, exc):
        self.lost = exc or "closed by server"

    def status_line(self):
        seen = b"".join(chunk for _, chunk in self.chunks[:4])
        return seen.split(b"\r\n", 1)[0].decode("latin-1")

    def arrivals(self, markers):
        """For each marker in order, the perf_counter at which the first event naming it (after
        the previous marker's event) had fully arrived, or None."""
        stream = b"".join(chunk for _, chunk in self.chunks)
        ends, offset = [], 0
        for stamp, chunk in self.chunks:
            offset += len(chunk)
            ends.append((offset, stamp))
        found, offset, i = [], 0, 0
        for marker in markers:
            at = stream.find(marker, offset)
            end = stream.find(b"\n\n", at) + 2 if at >= 0 else 1
            if at < 0 or end < 2:
                found.append(None)
                continue
            while ends[i][0] < end:
                i += 1
            found.append(ends[i][1])
            offset = end
        return found


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


async def fanout(port, token, displays=1000, calls=20, spacing=0.2, counters=(1, 4, 5, 2, 3),
                 path="/api/v1/queue/events", on_connected=None, batch=100, call_budget=20.0, settle_timeout=15.0):
    """Runs the measurement; returns a dict of figures. `on_connected()` is called (and its
    result returned as `connected_probe`) once every display has its first event, before any
    call, and again after the calls (`after_probe`) — bench.py reads the server's memory there.
    Calls stop early when `call_budget` seconds have gone (a slow server then makes fewer
    calls); afterwards it waits up to `settle_timeout` s for the last call to reach everyone."""
    loop = asyncio.get_running_loop()
    ready = 0
    all_ready = loop.create_future()

    def first_event(_display):
        nonlocal ready
        ready += 1
        if ready == displays and not all_ready.done():
            all_ready.set_result(None)

    started = time.perf_counter()
    screens = []
    for start in range(0, displays, batch):
        made = await asyncio.gather(*[
            loop.create_connection(lambda: Display(port, path, first_event), HOST, port)
            for _ in range(start, min(displays, start + batch))
        ])
        screens += [protocol for _, protocol in made]
    try:
        await asyncio.wait_for(all_ready, timeout=60)
    except asyncio.TimeoutError:
        pass
    connect_seconds = time.perf_counter() - started
    connected_probe = on_connected() if on_connected else None

    officer = Http(port)
    await officer.connect()
    auth = (f"Authorization: Bearer {token}",)
    cpu_before = time.process_time()
    calls_started = time.perf_counter()
    made_calls = []  # (number, perf_counter just before the request was written, call-next seconds)
    refused = []
    for k in range(calls):
        if time.perf_counter() - calls_started > call_budget:
            break
        due = calls_started + k * spacing
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        counter = counters[k % len(counters)]
        t0 = time.perf_counter()
        officer.send("POST", f"/api/v1/counters/{counter}/call-next", headers=auth)
        status, body = await officer.response()
        if status == 200:
            made_calls.append((json.loads(body)["number"], t0, time.perf_counter() - t0))
        else:
            refused.append((counter, status, body[:200].decode("utf-8", "replace")))
    if made_calls:  # wait for the last call to reach every display (the earlier ones came before it)
        number, t0, _ = made_calls[-1]
        marker = f'"number":"{number}"'.encode()
        pending = list(screens)
        waited = time.perf_counter()
        while pending and time.perf_counter() - waited < settle_timeout:
            pending = [screen for screen in pending
                       if marker not in b"".join(chunk for stamp, chunk in screen.chunks if stamp >= t0)]
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.2)  # and the announcement's event that follows each call
    client_cpu = time.process_time() - cpu_before
    call_wall = time.perf_counter() - calls_started
    after_probe = on_connected() if on_connected else None
    officer.close()

    latencies, missed, complete = [], 0, 0
    for screen in screens:
        # A called number shows in the counter's "ticket" and in "recentCalls"; a waiting
        # ticket's number is never on the board, so its first appearance is the call.
        stamps = screen.arrivals([f'"number":"{number}"'.encode() for number, _, _ in made_calls])
        for stamp, (_, t0, _) in zip(stamps, made_calls):
            if stamp is None:
                missed += 1
            else:
                latencies.append((stamp - t0) * 1000)
        complete += screen.ready and None not in stamps
    statuses = {}
    for screen in screens:
        line = screen.status_line()
        statuses[line] = statuses.get(line, 0) + 1
    lost = sum(1 for screen in screens if screen.lost is not None)
    for screen in screens:
        if screen.transport:
            screen.transport.close()
    await asyncio.sleep(0.2)
    return {
        "displays": displays,
        "ready": ready,
        "connect_seconds": connect_seconds,
        "status_lines": statuses,
        "lost_before_end": lost,
        "calls": len(made_calls),
        "refused_calls": refused,
        "call_next_ms_median": statistics.median(c[2] for c in made_calls) * 1000 if made_calls else None,
        "pairs": len(made_calls) * displays,
        "received": len(latencies),
        "missed": missed,
        "displays_with_every_call": complete,
        "p50_ms": percentile(latencies, 50) if latencies else None,
        "p99_ms": percentile(latencies, 99) if latencies else None,
        "max_ms": max(latencies) if latencies else None,
        "client_cpu_seconds": client_cpu,
        "call_phase_seconds": call_wall,
        "connected_probe": connected_probe,
        "after_probe": after_probe,
    }


def run(port, token, **options):
    raise_fd_limit(options.get("displays", 1000) + 256)
    return asyncio.run(fanout(port, token, **options))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True, help="an officer bearer token")
    parser.add_argument("--displays", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--spacing", type=float, default=0.2)
    args = parser.parse_args()
    print(json.dumps(run(args.port, args.token, displays=args.displays, calls=args.calls, spacing=args.spacing), indent=2))
