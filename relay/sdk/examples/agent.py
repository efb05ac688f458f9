#!/usr/bin/env python3
"""A Parley agent in Python: echoes each message word by word, honours stop, reconnects.

    PARLEY_AGENT_TOKEN=<the relay's --agent-token> python3 agent.py

PARLEY_URL defaults to ws://127.0.0.1:8787/agent. Needs `websockets` (Debian: python3-websockets).
The wire protocol is in docs/AGENT_PROTOCOL.md.
"""
import asyncio, json, os, random
import websockets

URL = os.environ.get("PARLEY_URL", "ws://127.0.0.1:8787/agent")
AUTH = {"Authorization": f"Bearer {os.environ['PARLEY_AGENT_TOKEN']}"}
# websockets 14 renamed the handshake-headers argument.
HEADERS_ARG = "additional_headers" if int(websockets.__version__.split(".")[0]) >= 14 else "extra_headers"


async def run_turn(ws, frame, running):
    ids = {"chat_id": frame["chat_id"], "turn_id": frame["turn_id"]}
    given = frame["input"]
    text = given["message"]["text"] if given["kind"] == "message" else f'you pressed "{given["label"]}"'
    try:
        for word in f"You said: {text}".split(" "):
            await ws.send(json.dumps({"type": "delta", "text": word + " ", **ids}))
            await asyncio.sleep(0.03)
        await ws.send(json.dumps({"type": "turn_end", "status": "done", **ids}))
    except (asyncio.CancelledError, websockets.exceptions.ConnectionClosed):
        pass  # stopped, or the relay went away: either way the relay already ended this turn
    finally:
        running.pop(frame["turn_id"], None)


async def serve():
    async with websockets.connect(URL, **{HEADERS_ARG: AUTH}) as ws:
        running = {}
        async for raw in ws:
            frame = json.loads(raw)
            if frame["type"] == "welcome":
                hello = {"type": "hello", "protocol": 1, "name": "Python echo", "capabilities": ["markdown", "stop"]}
                await ws.send(json.dumps(hello))
                print("agent.py: ready", flush=True)
            elif frame["type"] == "turn":
                running[frame["turn_id"]] = asyncio.create_task(run_turn(ws, frame, running))
            elif frame["type"] == "stop" and frame["turn_id"] in running:
                running[frame["turn_id"]].cancel()
            elif frame["type"] == "error":
                print(f"agent.py: relay says {frame['code']}: {frame['message']}", flush=True)


async def main():
    ceiling = 0.5
    while True:
        try:
            await serve()
            ceiling = 0.5  # a clean close: come back quickly
        except (OSError, websockets.exceptions.WebSocketException) as err:
            print(f"agent.py: disconnected ({err!r})", flush=True)
            ceiling = min(ceiling * 2, 30)
        await asyncio.sleep(random.uniform(0, ceiling))


if __name__ == "__main__":
    asyncio.run(main())
