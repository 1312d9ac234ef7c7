#!/usr/bin/env python3
"""An instant OpenAI-compatible chat-completions server on 127.0.0.1, for scripts/bench.

Answers every POST /v1/chat/completions with "ok: <last user message>" (SSE when the request streams, JSON
otherwise) and records, per request, when it arrived and when its answer was written, so the benchmark can
subtract the model's own time from what the user saw. Unlike the testkit's FakeLlmServer it keeps no request
bodies (a 10,000-conversation run would otherwise hold gigabytes) and costs little CPU, because it shares the
two cores with the daemon under test.

Control (same port):
  POST /_control  {"delay_ms": N}        every answer waits N ms (the "model time")
                  {"hold_next_ms": N}    only the next request waits N ms (a turn in flight, for kill -9)
                  {"reset": true}        forget the recorded requests
  GET  /_control/requests?since=K        records K.. as {"next": K', "requests": [[arrived, answered, bytes, text]]}
Times are CLOCK_MONOTONIC seconds (Python's time.monotonic), comparable across processes on the same host.

Prints "READY <base url>" on stdout once bound; exits after --max-seconds so a forgotten server cannot linger.
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

MAX_RECORDS = 200_000
MAX_BODY = 64 * 1024 * 1024


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.delay_ms = 0
        self.hold_next_ms = 0
        self.records = []  # [arrived, answered, bytes, text]; answered is None until written
        self.offset = 0  # index of records[0] among all requests ever recorded
        self.stop = threading.Event()

    def begin(self, size, text):
        with self.lock:
            delay = self.delay_ms
            if self.hold_next_ms:
                delay, self.hold_next_ms = self.hold_next_ms, 0
            record = [time.monotonic(), None, size, text[:200]]
            self.records.append(record)
            if len(self.records) > MAX_RECORDS:
                drop = len(self.records) - MAX_RECORDS
                del self.records[:drop]
                self.offset += drop
            return record, delay

    def since(self, k):
        with self.lock:
            start = max(0, k - self.offset)
            chunk = [list(r) for r in self.records[start:start + 20_000]]
            return {"next": self.offset + start + len(chunk), "requests": chunk}


STATE = State()


def last_user_text(body):
    for message in reversed(body.get("messages") or []):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the daemon's connection pool expects
    # headers and body are separate writes: with Nagle on, the body would wait for the client's delayed ACK (40 ms)
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, payload, content_type="application/json"):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/_control/requests":
            k = int(parse_qs(url.query).get("since", ["0"])[0])
            self._send(200, STATE.since(k))
        else:
            self._send(404, {"error": {"message": "fake_llm serves POST /v1/chat/completions"}})

    def do_POST(self):
        url = urlparse(self.path)
        raw = self._body()
        if url.path == "/_control":
            cmd = json.loads(raw or b"{}")
            with STATE.lock:
                if "delay_ms" in cmd:
                    STATE.delay_ms = int(cmd["delay_ms"])
                if "hold_next_ms" in cmd:
                    STATE.hold_next_ms = int(cmd["hold_next_ms"])
                if cmd.get("reset"):
                    STATE.offset += len(STATE.records)
                    STATE.records = []
            self._send(200, {"ok": True})
            return
        if url.path not in ("/v1/chat/completions", "/chat/completions"):
            self._send(404, {"error": {"message": "unknown path " + url.path}})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._send(400, {"error": {"message": "request body is not JSON"}})
            return
        text = last_user_text(body)
        record, delay = STATE.begin(len(raw), text)
        if delay:
            # bounded by --max-seconds through the stop event, so a held request never outlives the server
            STATE.stop.wait(delay / 1000.0)
        reply = "ok: " + text
        model = body.get("model", "fake")
        usage = {"prompt_tokens": len(raw) // 4, "completion_tokens": 2, "total_tokens": len(raw) // 4 + 2}
        if body.get("stream"):
            self._stream(model, reply, usage, bool((body.get("stream_options") or {}).get("include_usage")))
        else:
            self._send(200, {"id": "chatcmpl-bench", "object": "chat.completion", "created": int(time.time()),
                             "model": model, "usage": usage, "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": reply}}]})
        record[1] = time.monotonic()

    def _stream(self, model, reply, usage, include_usage):
        def chunk(delta, finish=None, **extra):
            c = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": int(time.time()),
                 "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            c.update(extra)
            return "data: " + json.dumps(c) + "\n\n"

        events = [chunk({"role": "assistant", "content": ""}), chunk({"content": reply}), chunk({}, "stop")]
        if include_usage:
            events.append("data: " + json.dumps({"id": "chatcmpl-bench", "object": "chat.completion.chunk",
                                                 "model": model, "choices": [], "usage": usage}) + "\n\n")
        events.append("data: [DONE]\n\n")
        data = "".join(events).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--max-seconds", type=int, default=4 * 3600)
    args = parser.parse_args()
    STATE.delay_ms = args.delay_ms
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 1024
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("READY http://127.0.0.1:%d/v1" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    STATE.stop.wait(args.max_seconds)
    STATE.stop.set()
    server.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
