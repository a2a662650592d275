"""A scripted OpenAI-compatible chat-completions server for tests (stdlib only).

Real HTTP on 127.0.0.1 (a free port), speaking ``POST /v1/chat/completions`` in
both forms the OpenAI clients use: a JSON body, or ``stream=true`` server-sent
events (``data: {chunk}`` lines, then ``data: [DONE]``).  Each request takes the
next scripted reply and is recorded, so a test can drive the real ``ChatOpenAI``
client and then assert what it sent::

    from tests.openai_server import ScriptedOpenAI, Reply

    with ScriptedOpenAI(replies=["答案[1]", Reply(status=429)]) as srv:
        llm = ChatOpenAI(base_url=srv.base_url, api_key="test", model="scripted")
        ...
        srv.requests[0]["messages"]   # what the client sent

A reply is a ``str`` (the completion text), a :class:`Reply` (status codes,
malformed streams, delays), or a callable ``request_body -> str | Reply``.  When
the script runs out, ``default`` is used (``None`` = HTTP 500 with a message).
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Reply", "ScriptedOpenAI"]


@dataclass
class Reply:
    """One scripted response.

    content:   completion text (streamed in ``chunk_size`` pieces when stream=true)
    status:    HTTP status; not 200 sends an OpenAI-style error body (e.g. 429, 500)
    malformed: for a stream, send a broken (non-JSON) event after the first piece
    delay:     seconds to wait before answering (to trigger client timeouts)
    chunk_size: characters per streamed delta
    """

    content: str = ""
    status: int = 200
    malformed: bool = False
    delay: float = 0.0
    chunk_size: int = 4


ReplySpec = str | Reply | Callable[[dict], "str | Reply"]


class ScriptedOpenAI:
    """Context manager running the scripted server in a daemon thread (see module doc)."""

    def __init__(self, replies: list[ReplySpec] | tuple = (), default: ReplySpec | None = None,
                 model: str = "scripted-model", host: str = "127.0.0.1", port: int = 0):
        self.replies: list[ReplySpec] = list(replies)
        self.default = default
        self.model = model
        self.requests: list[dict] = []  # JSON bodies of chat-completion requests, in order
        self.headers: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """What to pass as ``base_url`` / ``ASSISTANT_LLM_BASE_URL``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedOpenAI:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> ScriptedOpenAI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def add(self, *replies: ReplySpec) -> None:
        """Append replies to the script."""
        with self._lock:
            self.replies.extend(replies)

    # -- behaviour ------------------------------------------------------------
    def _next(self, body: dict) -> Reply:
        with self._lock:
            self.requests.append(body)
            spec = self.replies.pop(0) if self.replies else self.default
        if spec is None:
            return Reply(status=500, content="no scripted reply left")
        if callable(spec) and not isinstance(spec, Reply):
            spec = spec(body)
        return Reply(content=spec) if isinstance(spec, str) else spec

    def _handler_class(self):
        srv = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _send_json(self, status: int, obj: dict) -> None:
                data = json.dumps(obj, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path.rstrip("/").endswith("/models"):
                    self._send_json(200, {"object": "list", "data": [{"id": srv.model, "object": "model"}]})
                else:
                    self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
                    return
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._send_json(400, {"error": {"message": "invalid JSON", "type": "invalid_request_error"}})
                    return
                srv.headers.append(dict(self.headers))
                reply = srv._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    kind = "rate_limit_exceeded" if reply.status == 429 else "server_error"
                    self._send_json(reply.status, {"error": {"message": reply.content or kind, "type": kind,
                                                             "code": kind}})
                    return
                cid = "chatcmpl-" + uuid.uuid4().hex[:12]
                created = int(time.time())
                if body.get("stream"):
                    self._stream(reply, cid, created)
                else:
                    self._send_json(200, {
                        "id": cid, "object": "chat.completion", "created": created, "model": srv.model,
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    })

            def _event(self, payload: str) -> None:
                data = f"data: {payload}\n\n".encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _stream(self, reply: Reply, cid: str, created: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()

                def chunk(delta: dict, finish=None) -> str:
                    return json.dumps({"id": cid, "object": "chat.completion.chunk", "created": created,
                                       "model": srv.model,
                                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]},
                                      ensure_ascii=False)

                try:
                    self._event(chunk({"role": "assistant", "content": ""}))
                    text, size = reply.content, max(1, reply.chunk_size)
                    for n, i in enumerate(range(0, len(text), size)):
                        self._event(chunk({"content": text[i:i + size]}))
                        if reply.malformed and n == 0:
                            self._event("{this is not json")
                    self._event(chunk({}, "stop"))
                    self._event("[DONE]")
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler
