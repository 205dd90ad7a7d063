"""Test setup: fake credentials, a loader for src/<function>/app.py, and the stream server on a loopback port."""
import http.client
import importlib.util
import json
import os
import pathlib
import sys
import threading
from http.server import ThreadingHTTPServer

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ.pop("AWS_PROFILE", None)
os.environ["STREAM_WINDOW_SECONDS"] = "900"
os.environ["SAFETY_SECONDS"] = "5"
os.environ["HEARTBEAT_SECONDS"] = "20"


def load_function(name):
    """Imports src/<name>/app.py as a fresh module."""
    spec = importlib.util.spec_from_file_location(f"{name}_app", ROOT / "src" / name / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def app():
    return load_function("stream")


class Server:
    """The app's HTTP server on 127.0.0.1 (what the Lambda Web Adapter talks to), in a thread."""

    def __init__(self, module):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), module.StreamHandler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def post(self, body, lambda_context=None):
        """Sends the request as the adapter does and returns the response, unread (read it line by line)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.httpd.server_port, timeout=10)
        headers = {"Content-Type": "application/json"}
        if lambda_context is not None:
            headers["x-amzn-lambda-context"] = json.dumps(lambda_context)
        conn.request("POST", "/report", body=body.encode("utf-8"), headers=headers)
        return conn.getresponse()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(app):
    running = Server(app)
    yield running
    running.close()
