"""StreamFunction: streams its output as it is produced ({{patternName}}).

Lambda's Python runtime cannot stream a response itself, so the function runs this small HTTP server behind
the AWS Lambda Web Adapter (a layer; `AWS_LWA_INVOKE_MODE=response_stream`): the adapter turns each
invocation from the REST API (responseTransferMode STREAM) or the function URL (InvokeMode RESPONSE_STREAM)
into an HTTP request to this server and passes every chunk of the chunked answer on as soon as it is written.

Once the first byte is sent the HTTP status (200) is fixed, so the stream itself says how it went: one NDJSON
line per chunk, {"type": "heartbeat"} lines while a step is slow (a REST API closes a stream idle for 5 min on
Regional/Private endpoints, 30 s on edge-optimized ones), and exactly one last line, {"type": "end", ...} or
{"type": "error", ...}. A client that did not read an end line must treat the output as incomplete.
Standard library only: nothing to package.
"""
import base64
import json
import logging
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("AWS_LWA_PORT", os.environ.get("PORT", "8080")))
STREAM_WINDOW_SECONDS = float(os.environ.get("STREAM_WINDOW_SECONDS", "900"))
SAFETY_SECONDS = float(os.environ.get("SAFETY_SECONDS", "5"))
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "20"))
NEAR_LIMIT_RATIO = 0.8

logger = logging.getLogger("stream")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
clock = time.monotonic


def produce(request, deadline):
    """Yields the output piece by piece; each value is sent to the client at once. Call deadline.check() between steps."""
    # BUSINESS LOGIC: yield each piece of the answer as soon as it exists (model tokens, report rows); an exception here ends the stream with an error line.
    for section in request.get("sections", ["summary"]):
        deadline.check(f"section {section}")
        yield {"section": section, "text": f"report section {section}"}


def validate(request):
    """Runs before the 200 is sent: raise BadRequest here to answer 400."""
    # BUSINESS LOGIC: reject a bad request here, before the stream starts.
    sections = request.get("sections", [])
    if not isinstance(sections, list):
        raise BadRequest("sections must be a list")
    if len(sections) > 1000:
        raise BadRequest("at most 1000 sections")


class BadRequest(Exception):
    """The request is invalid: answered with 400 before the stream starts."""


class DeadlineExceeded(Exception):
    """The work ran out of time: the stream ends with an error line."""


class ClientGone(Exception):
    """The client closed the connection: nobody reads the rest."""


class Deadline:
    """Time left for the work, measured with the module's clock."""

    def __init__(self, seconds):
        self.ends_at = clock() + seconds

    def remaining(self):
        return self.ends_at - clock()

    def check(self, step=""):
        if self.remaining() <= 0:
            raise DeadlineExceeded(step)


class ChunkedWriter:
    """Writes one NDJSON line per HTTP/1.1 chunk and flushes it at once; the heartbeat thread shares it."""

    def __init__(self, wfile):
        self.wfile = wfile
        self.lock = threading.Lock()
        self.last_write = clock()

    def line(self, value):
        """Sends one line now and returns its size in bytes; raises ClientGone when the client has left."""
        data = (json.dumps(value, separators=(",", ":")) + "\n").encode("utf-8")
        with self.lock:
            self._send(b"%x\r\n%s\r\n" % (len(data), data))
            self.last_write = clock()
        return len(data)

    def beat_if_idle(self, seconds):
        """Sends a heartbeat line when nothing was sent for `seconds`; False once the client is gone."""
        with self.lock:
            if clock() - self.last_write < seconds:
                return True
        try:
            self.line({"type": "heartbeat"})
        except ClientGone:
            return False
        return True

    def close(self):
        with self.lock:
            self._send(b"0\r\n\r\n")

    def _send(self, frame):
        try:
            self.wfile.write(frame)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise ClientGone() from exc


class Heartbeat(threading.Thread):
    """Keeps an idle stream open: a heartbeat line whenever nothing was sent for `seconds`."""

    def __init__(self, writer, seconds):
        super().__init__(daemon=True)
        self.writer, self.seconds, self.stopped = writer, seconds, threading.Event()

    def run(self):
        while not self.stopped.wait(self.seconds / 4):
            if not self.writer.beat_if_idle(self.seconds):
                return

    def stop(self):
        self.stopped.set()
        self.join()


def stream_response(request, writer, deadline, request_id):
    """Writes every produced chunk the moment it exists, then one end or error line. Returns (outcome, chunks, bytes)."""
    chunks = sent = 0
    try:
        for data in produce(request, deadline):
            sent += writer.line({"type": "chunk", "index": chunks, "data": data})
            chunks += 1
            deadline.check(f"after chunk {chunks}")
        writer.line({"type": "end", "chunks": chunks, "bytes": sent})
        return "end", chunks, sent
    except ClientGone:
        # The function would otherwise run (and bill) to the end for nobody.
        logger.warning("client disconnected; stopping", extra={"chunks": chunks, "bytes": sent})
        return "disconnected", chunks, sent
    except DeadlineExceeded as exc:
        logger.error("deadline exceeded", extra={"step": str(exc), "chunks": chunks})
        last = {"type": "error", "error": "the work did not finish within the streamed window",
                "hint": "return a job id and finish asynchronously (a job pattern or a workflow)", "chunks": chunks}
    except Exception:  # noqa: BLE001 - the status is already 200: report in the stream, without internals
        logger.exception("stream failed", extra={"chunks": chunks})
        last = {"type": "error", "error": "internal error", "requestId": request_id, "chunks": chunks}
    try:
        writer.line(last)
    except ClientGone:
        return "disconnected", chunks, sent
    return "error", chunks, sent


def log_finished(outcome, chunks, sent, elapsed):
    logger.info("stream finished", extra={"outcome": outcome, "chunks": chunks, "bytes": sent, "elapsedSeconds": round(elapsed, 3)})
    if elapsed >= NEAR_LIMIT_RATIO * STREAM_WINDOW_SECONDS:
        logger.warning("near the streamed window", extra={"elapsedSeconds": round(elapsed, 3), "windowSeconds": STREAM_WINDOW_SECONDS})


def remaining_seconds(lambda_context):
    """Time left in this invocation, from the deadline the adapter forwards in x-amzn-lambda-context."""
    deadline_ms = lambda_context.get("deadline") or lambda_context.get("deadline_ms")
    if deadline_ms:
        return float(deadline_ms) / 1000 - time.time()
    return STREAM_WINDOW_SECONDS


def parse_request(raw, base64_encoded=False):
    if base64_encoded:
        raw = base64.b64decode(raw)
    try:
        request = json.loads(raw or b"{}")
    except ValueError as exc:
        raise BadRequest(f"body is not valid JSON: {exc}") from None
    if not isinstance(request, dict):
        raise BadRequest("body must be a JSON object")
    return request


class StreamHandler(BaseHTTPRequestHandler):
    """The HTTP side: the adapter sends each invocation here as a request."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/healthz":  # the adapter's readiness check (AWS_LWA_READINESS_CHECK_PATH)
            self._send_json(200, {"ok": True})
        else:
            self._send_json(404, {"error": "POST a JSON request"})

    def do_POST(self):
        started = clock()
        try:
            lambda_context = json.loads(self.headers.get("x-amzn-lambda-context") or "{}")
        except ValueError:
            lambda_context = {}
        request_id = lambda_context.get("request_id", "")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            request = parse_request(body)
            validate(request)
        except BadRequest as exc:
            self._send_json(400, {"error": str(exc)})
            return

        deadline = Deadline(min(remaining_seconds(lambda_context), STREAM_WINDOW_SECONDS) - SAFETY_SECONDS)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.flush()
        writer = ChunkedWriter(self.wfile)
        heartbeat = Heartbeat(writer, HEARTBEAT_SECONDS)
        heartbeat.start()
        outcome, chunks, sent = "error", 0, 0
        try:
            outcome, chunks, sent = stream_response(request, writer, deadline, request_id)
        finally:
            heartbeat.stop()
            try:
                writer.close()
            except ClientGone:
                outcome = "disconnected"
            self.close_connection = True
            log_finished(outcome, chunks, sent, clock() - started)

    def _send_json(self, status, body):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        logger.debug("http", extra={"line": format % args})


class JsonFormatter(logging.Formatter):
    """One JSON object per log line, with the fields given as `extra`."""

    RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record):
        entry = {"level": record.levelname, "message": record.getMessage()}
        entry.update({k: v for k, v in vars(record).items() if k not in self.RESERVED})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def serve():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    server = ThreadingHTTPServer(("127.0.0.1", PORT), StreamHandler)
    logger.info("listening", extra={"port": PORT})
    server.serve_forever()


if __name__ == "__main__":
    serve()
