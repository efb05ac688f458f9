#!/usr/bin/env python3
"""A Parley agent in Python: echoes each message word by word, honours stop, reconnects; `/approve` asks before
running a tool and `/ask` asks a question (the answer arrives as a new turn, input kind "answer").

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


def ask(frame, text):
    """The request to raise for /approve or /ask (then the turn ends with it pending), else None."""
    if text.strip() == "/approve":
        call = f"call_{frame['turn_id']}"
        return {"kind": "approval", "id": f"approve_{call}", "tool": "clean_cache", "call_id": call,
                "arguments": json.dumps({"path": "./cache"}), "description": "Deletes the cache folder."}
    if text.strip() == "/ask":
        fields = {"name": {"type": "string", "title": "Your name"},
                  "color": {"type": "string", "title": "Favourite colour", "enum": ["red", "green", "blue"]}}
        return {"kind": "question", "id": f"ask_{frame['turn_id']}", "prompt": "Who are you?",
                "schema": {"type": "object", "properties": fields, "required": ["name"]}}
    return None


async def answered(ws, ids, given):
    """Continues after a person answered: runs (or refuses) the tool, or uses the form's values."""
    request, answer = given["request"], given["answer"]
    if request["kind"] == "approval":
        call = {"call_id": request["call_id"], **ids}
        await ws.send(json.dumps({"type": "tool_call", "name": request["tool"], "arguments": request["arguments"], **call}))
        if answer.get("decision") in ("allow_once", "allow_always"):
            await ws.send(json.dumps({"type": "tool_result", "status": "done", "result": "cache cleaned", **call}))
            return "Done: the cache is clean."
        reason = answer.get("reason") or "no reason given"
        # The denial goes back as the tool's result, as a model-driven agent would feed it to its model.
        await ws.send(json.dumps({"type": "tool_result", "status": "error", "result": f"denied: {reason}", **call}))
        return f"I did not run it ({reason})."
    if answer["kind"] == "decline":
        return "No answer, no problem."
    return "Thanks, " + ", ".join(f"{k}={v}" for k, v in answer["values"].items())


async def run_turn(ws, frame, running):
    ids = {"chat_id": frame["chat_id"], "turn_id": frame["turn_id"]}
    given = frame["input"]
    try:
        if given["kind"] == "answer":
            reply, request = await answered(ws, ids, given), None
        else:
            text = given["message"]["text"] if given["kind"] == "message" else f'you pressed "{given["label"]}"'
            request = ask(frame, text)
            reply = "I need your answer first." if request else f"You said: {text}"
        for word in reply.split(" "):
            await ws.send(json.dumps({"type": "delta", "text": word + " ", **ids}))
            await asyncio.sleep(0.03)
        if request:
            await ws.send(json.dumps({"type": "request", "request": request, **ids}))
        elif given["kind"] == "message" and not any(m["role"] == "assistant" for m in frame.get("context", [])):
            # A chat's first reply names it; a title the user typed is never replaced.
            await ws.send(json.dumps({"type": "title", "title": text[:40] or "A chat", **ids}))
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
