"""A loopback stub of the Anthropic Messages API, enough for the Claude Code CLI in -p mode.

It streams one short reply per request (server-sent events, in the order the CLI expects)
and records every request body. When ``tool_command`` is set, the first reply to a request
that offers tools is a Bash tool call running that command, so a test can see whether the
command file's ``allowed-tools`` let it through and what it printed. ``tool_command`` may
also be a function of the request's user text, for a command built from the prompt (such
as one that needs the session id the CLI substituted into it).

``script`` generalises that to a model that follows the prompt's steps: a list of tool
calls (`ToolCall`: Bash, Write, Agent or any other tool), each one given, or made from the
user text by a function that may return None to stop. The main conversation (the first
one that is offered tools) gets one call per turn, in order, then a text reply; any other
conversation, such as a subagent the script started, follows ``agent_script`` the same way.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def _events(block: dict[str, Any], delta: dict[str, Any], stop: str) -> list[tuple[str, Any]]:
    return [
        ("message_start", {"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "model": "stub",
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1}}}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": block}),
        ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta}),
        ("content_block_stop", {"type": "content_block_stop", "index": 0}),
        ("message_delta", {"type": "message_delta",
                           "delta": {"stop_reason": stop, "stop_sequence": None},
                           "usage": {"output_tokens": 1}}),
        ("message_stop", {"type": "message_stop"}),
    ]


ToolCommand = str | Callable[[str], str]


@dataclass(frozen=True)
class ToolCall:
    """One tool call the stub answers with: the tool's name and its input."""

    name: str
    input: dict[str, Any]

    @classmethod
    def bash(cls, command: str, description: str = "run a step") -> ToolCall:
        return cls("Bash", {"command": command, "description": description})

    @classmethod
    def write(cls, file_path: str, content: str) -> ToolCall:
        return cls("Write", {"file_path": file_path, "content": content})

    @classmethod
    def agent(cls, subagent_type: str, prompt: str, description: str = "delegate") -> ToolCall:
        return cls("Agent", {"subagent_type": subagent_type, "prompt": prompt,
                             "description": description})


Step = ToolCall | Callable[[str], ToolCall | None]


def _user_texts(body: dict[str, Any]) -> list[str]:
    texts = []
    for message in body.get("messages", []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
        texts += [b["text"] for b in blocks if b.get("type") == "text"]
    return texts


TEXT_REPLY = _events({"type": "text", "text": ""}, {"type": "text_delta", "text": "ok"},
                     "end_turn")


def tool_reply(command: str) -> list[tuple[str, Any]]:
    """A streamed assistant turn that calls the Bash tool with ``command``."""
    return call_reply(ToolCall.bash(command, "route the request"))


def call_reply(call: ToolCall, number: int = 1) -> list[tuple[str, Any]]:
    """A streamed assistant turn that makes one tool call (``number`` makes its id unique)."""
    return _events({"type": "tool_use", "id": f"toolu_stub_{number}", "name": call.name,
                    "input": {}},
                   {"type": "input_json_delta", "partial_json": json.dumps(call.input)},
                   "tool_use")


def _first_text(body: dict[str, Any]) -> str:
    texts = _user_texts({"messages": (body.get("messages") or [])[:1]})
    return "\n".join(texts)


def calls_made(body: dict[str, Any]) -> int:
    """How many tool calls the conversation in ``body`` has made so far."""
    return sum(1 for message in body.get("messages", []) if message.get("role") == "assistant"
               and isinstance(message.get("content"), list)
               for block in message["content"] if block.get("type") == "tool_use")


@dataclass
class Stub:
    """What the stub saw: one JSON body per ``POST /v1/messages``."""

    port: int = 0
    tool_command: ToolCommand | None = None
    script: list[Step] = field(default_factory=list)
    agent_script: list[Step] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    main: str | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def user_texts(self) -> list[str]:
        """Every text block of every user message the CLI sent."""
        return [text for body in self.bodies for text in _user_texts(body)]

    def tool_results(self) -> list[str]:
        """The text of every tool result the CLI sent back."""
        results = []
        for body in self.bodies:
            for message in body.get("messages", []):
                content = message.get("content")
                if not isinstance(content, list):
                    continue
                for block in content:
                    if block.get("type") != "tool_result":
                        continue
                    inner = block.get("content")
                    results.append(inner if isinstance(inner, str) else json.dumps(inner))
        return results

    def tool_uses(self) -> list[dict[str, Any]]:
        """Every tool call the CLI sent back in an assistant turn, first seen first."""
        seen: dict[str, dict[str, Any]] = {}
        for body in self.bodies:
            for message in body.get("messages", []):
                if message.get("role") != "assistant" or not isinstance(message.get("content"),
                                                                         list):
                    continue
                for block in message["content"]:
                    if block.get("type") == "tool_use":
                        seen.setdefault(block["id"] + _first_text(body), block)
        return list(seen.values())

    def reply_for(self, body: dict[str, Any]) -> list[tuple[str, Any]]:
        if self.script:
            return self._scripted(body)
        last = (body.get("messages") or [{}])[-1]
        content = last.get("content")
        answered = isinstance(content, list) and any(
            b.get("type") == "tool_result" for b in content)
        if self.tool_command and body.get("tools") and not answered:
            command = self.tool_command
            if callable(command):
                command = command("\n".join(_user_texts(body)))
            return tool_reply(command)
        return TEXT_REPLY

    def _scripted(self, body: dict[str, Any]) -> list[tuple[str, Any]]:
        first = _first_text(body)
        with self.lock:
            if self.main is None and body.get("tools"):
                self.main = first
        made = calls_made(body)
        script = self.script if first == self.main else self.agent_script
        if made >= len(script):
            return TEXT_REPLY
        step = script[made]
        call = step("\n".join(_user_texts(body))) if callable(step) else step
        return TEXT_REPLY if call is None else call_reply(call, made + 1)


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep the test output clean."""

        def do_HEAD(self) -> None:
            self.send_response(200)
            self.end_headers()

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            if self.path.split("?", 1)[0] != "/v1/messages":
                self.send_response(404)
                self.end_headers()
                return
            body = json.loads(raw)
            with stub.lock:
                stub.bodies.append(body)
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.end_headers()
            for event, data in stub.reply_for(body):
                self.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

    return Handler


@contextmanager
def running_stub(tool_command: ToolCommand | None = None, script: list[Step] | None = None,
                 agent_script: list[Step] | None = None) -> Iterator[Stub]:
    """Serve a stub on an ephemeral loopback port for the duration of the block."""
    stub = Stub(tool_command=tool_command, script=list(script or ()),
                agent_script=list(agent_script or ()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    stub.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
