"""Support chat under load: N shoppers chatting at once through several ASGI server processes and Redis.

    .venv/bin/python bench/chat_bench.py --clients 200 --servers 2 --messages 10 --interval 1.0

What it does, on the production settings (PostgreSQL + Redis, `--servers` server processes on
consecutive ports: the production server, or `--server daphne`, bench/socket_servers.py):
1. Drops and re-creates the scratch database `--database` (never the development one), migrates it
   (or copies `<database>_migrated`, kept from the first run; drop it after a new migration),
   flushes Redis DB `--redis-db`, and creates N shoppers, each with an open conversation, and one agent.
2. Starts the servers. Each shopper connects to `/ws/support/<id>/` on server `i % servers` with a bearer
   token (an app's client; browsers use the session cookie), and the agent opens the same conversation on
   the *next* server, so every message crosses processes through the Redis channel layer. One agent
   console (`/ws/support/agents/`) hears every conversation's news.
3. Each shopper sends `--messages` messages, one per `--interval` seconds (start times spread evenly).
   A message is stored, then broadcast after commit; the delivery latency is from the shopper's send to
   the agent's socket receiving it (one clock: every client runs in this process).

Prints: connections opened and refused, messages sent, delivered and lost, delivery p50/p99/max (to the
agent, across processes) and the echo to the sender, the frames the console saw, and the machine's load
before and after (a warning when another job was running: the figures then say little).
Not a test: figures go to bench/README.md. The handshake limit per client IP is turned off for the run
(every client is on 127.0.0.1; WS_CONNECT_PER_IP_PER_MINUTE=0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import config.pythonpath  # noqa: E402,F401
from bench.environment import bench_environment  # noqa: E402
from bench.socket_servers import SERVERS, servers_start, servers_stop  # noqa: E402
from bench.stats import count_by_second, percentile  # noqa: E402

SLOW_MS = 100  # issue 17's goal for the fan-out (p99)


def _environment(args) -> dict[str, str]:
    return bench_environment(
        database=args.database,
        redis_db=args.redis_db,
        settings="config.settings.production",
        WS_CONNECT_PER_IP_PER_MINUTE="0",
    )


def _psql(sql: str, *, capture: bool = False) -> str:
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-tA", "-c", sql, "postgres"]
    done = subprocess.run(command, check=True, capture_output=capture, text=True)  # noqa: S603,S607 - as scripts/smoke
    return done.stdout or ""


def _prepare(args) -> dict:
    """Database, users, conversations and tokens (in this process, through the ORM)."""
    template = f"{args.database}_migrated"  # kept between runs: a migration run takes minutes on a busy machine
    exists = f"SELECT 1 FROM pg_database WHERE datname = '{template}'"  # noqa: S608 - the operator's own flag
    have_template = _psql(exists, capture=True).strip() == "1"
    _psql(f"DROP DATABASE IF EXISTS {args.database}")
    _psql(f"CREATE DATABASE {args.database}" + (f" TEMPLATE {template}" if have_template else ""))
    subprocess.run(["redis-cli", "-n", str(args.redis_db), "flushdb"], check=True, capture_output=True)  # noqa: S603,S607
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if not have_template:
        connections.close_all()
        if hasattr(connections["default"], "close_pool"):
            connections["default"].close_pool()  # the pool's idle connections would block the copy
        _psql(f"CREATE DATABASE {template} TEMPLATE {args.database}")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework_simplejwt.tokens import AccessToken

    from backoffice.roles import SUPPORT_AGENT, staff_roles_apply
    from support import services

    users = get_user_model()
    staff_roles_apply()
    agent = users.objects.create_user(email="agent@bench.test", password=None)
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    agent.groups.add(Group.objects.get(name=SUPPORT_AGENT))
    shoppers = []
    for number in range(args.clients):
        shopper = users.objects.create_user(email=f"shopper{number}@bench.test", password=None)
        conversation = services.conversation_start(customer=shopper, subject=f"Question {number}", body="Hello")
        shoppers.append({"conversation": conversation.pk, "token": str(AccessToken.for_user(shopper))})
    connections.close_all()
    return {"agent": str(AccessToken.for_user(agent)), "shoppers": shoppers}


@dataclass
class Results:
    refused: list[str] = field(default_factory=list)
    sent: dict[str, float] = field(default_factory=dict)
    delivered: dict[str, float] = field(default_factory=dict)
    echoed: dict[str, float] = field(default_factory=dict)
    console_frames: int = 0
    errors: list[str] = field(default_factory=list)


async def _connect(url: str, token: str, results: Results, who: str):
    try:
        socket = await websockets.connect(url, subprotocols=["bearer", token], open_timeout=30, max_queue=None)
    except Exception as error:  # noqa: BLE001 - a refused handshake is a result, whatever its kind
        results.refused.append(f"{who}: {error!r}"[:200])
        return None
    first = json.loads(await asyncio.wait_for(socket.recv(), timeout=30))
    if first["type"] not in {"history", "snapshot"}:
        results.errors.append(f"{who}: first frame {first['type']}")
    return socket


async def _listen(socket, results: Results, *, sink: dict[str, float] | None, console: bool = False) -> None:
    try:
        async for raw in socket:
            frame = json.loads(raw)
            now = time.perf_counter()
            if console:
                results.console_frames += frame["type"] == "conversation"
            elif frame["type"] == "message" and sink is not None:
                body = frame["message"]["body"]
                if body.startswith("bench ") and body not in sink:
                    sink[body] = now
            elif frame["type"] == "error":
                results.errors.append(f"{frame['code']}: {frame['message']}"[:200])
    except websockets.ConnectionClosed as closed:
        if closed.rcvd and closed.rcvd.code not in (1000, 1001):
            results.errors.append(f"closed {closed.rcvd.code}")


async def _run(args, fixtures: dict) -> Results:
    results = Results()
    url = "ws://127.0.0.1:{port}/ws/support/{conversation}/"
    console = await _connect(f"ws://127.0.0.1:{args.port}/ws/support/agents/", fixtures["agent"], results, "console")
    pairs = []
    for index, shopper in enumerate(fixtures["shoppers"]):
        mine = args.port + index % args.servers
        theirs = args.port + (index + 1) % args.servers
        shopper_socket = await _connect(url.format(port=mine, **shopper), shopper["token"], results, f"s{index}")
        agent_socket = await _connect(url.format(port=theirs, **shopper), fixtures["agent"], results, f"a{index}")
        pairs.append((shopper_socket, agent_socket))
    listeners = [asyncio.create_task(_listen(console, results, sink=None, console=True))] if console else []
    for shopper_socket, agent_socket in pairs:
        if shopper_socket:
            listeners.append(asyncio.create_task(_listen(shopper_socket, results, sink=results.echoed)))
        if agent_socket:
            listeners.append(asyncio.create_task(_listen(agent_socket, results, sink=results.delivered)))

    async def chat(index: int, socket) -> None:
        await asyncio.sleep(args.interval * index / max(1, len(pairs)))  # spread the start times
        for number in range(args.messages):
            body = f"bench {index}:{number}"
            results.sent[body] = time.perf_counter()
            try:
                await socket.send(json.dumps({"type": "message", "body": body}))
            except websockets.ConnectionClosed:
                results.errors.append(f"s{index}: closed before sending {number}")
                return
            await asyncio.sleep(args.interval)

    await asyncio.gather(*(chat(index, shopper) for index, (shopper, _) in enumerate(pairs) if shopper))
    deadline = time.perf_counter() + args.drain
    while time.perf_counter() < deadline and len(results.delivered) < len(results.sent):
        await asyncio.sleep(0.1)
    for shopper_socket, agent_socket in pairs:
        for socket in (shopper_socket, agent_socket):
            if socket:
                await socket.close()
    if console:
        await console.close()
    await asyncio.gather(*listeners, return_exceptions=True)
    return results


def _report(args, results: Results, load_at_start: tuple, load_before: tuple, load_after: tuple) -> None:
    def latencies(sink: dict[str, float]) -> list[float]:
        return [(sink[body] - sent) * 1000 for body, sent in results.sent.items() if body in sink]

    delivered, echoed = latencies(results.delivered), latencies(results.echoed)
    sockets = 2 * args.clients + 1
    print(f"\nchat_bench: {args.clients} shoppers + their agent sockets + 1 console = {sockets} websockets, "
          f"{args.servers} {args.server} processes, Redis channel layer, PostgreSQL")  # fmt: skip
    print(f"connections refused: {len(results.refused)} of {sockets}")
    for line in results.refused[:5]:
        print(f"  {line}")
    print(f"messages sent: {len(results.sent)}, delivered to the agent: {len(delivered)}, "
          f"lost: {len(results.sent) - len(delivered)}")  # fmt: skip
    print("| path | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|")
    for name, values in (("shopper -> agent (other process)", delivered), ("shopper -> own socket (echo)", echoed)):
        if values:
            print(f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.99):.1f} | {max(values):.1f} |")
    first = min(results.sent.values(), default=0.0)
    slow = [int(sent - first) for body, sent in results.sent.items()
            if body in results.delivered and (results.delivered[body] - sent) * 1000 > SLOW_MS]  # fmt: skip
    print(f"deliveries to the agent over {SLOW_MS} ms: {len(slow)}, "
          f"by second of the run when sent: {count_by_second(slow)}")  # fmt: skip
    print(f"console frames: {results.console_frames}; error frames/closes: {len(results.errors)}")
    for line in results.errors[:5]:
        print(f"  {line}")
    print(f"load average (1 min) when the script started: {load_at_start[0]:.2f}; after the setup: "
          f"{load_before[0]:.2f}; after the run: {load_after[0]:.2f}")  # fmt: skip
    if load_at_start[0] > 1.0:
        print("WARNING: the machine was busy before the bench started; these figures are noisy.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--servers", type=int, default=2, help="server processes, one per port")
    parser.add_argument("--server", choices=SERVERS, default="shipped", help="shipped (ADR 53) or daphne")
    parser.add_argument("--messages", type=int, default=10, help="messages per shopper")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between a shopper's messages")
    parser.add_argument("--drain", type=float, default=15.0, help="seconds to wait for late deliveries")
    parser.add_argument("--database", default="hypex_bench_chat", help="scratch PostgreSQL database (dropped)")
    parser.add_argument("--redis-db", type=int, default=12, help="Redis DB number (flushed)")
    parser.add_argument("--port", type=int, default=8401, help="first server port")
    args = parser.parse_args()

    load_at_start = os.getloadavg()  # before this script's own work: what else the machine was doing
    env = _environment(args)
    os.environ.update(env)
    fixtures = _prepare(args)
    processes = servers_start(kind=args.server, first_port=args.port, count=args.servers, env=env, name="chat")
    try:
        load_before = os.getloadavg()
        results = asyncio.run(_run(args, fixtures))
        load_after = os.getloadavg()
    finally:
        servers_stop(processes)
    _report(args, results, load_at_start, load_before, load_after)


if __name__ == "__main__":
    main()
