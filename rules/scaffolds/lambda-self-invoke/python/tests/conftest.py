import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "src" / "webhook"))  # the function's own modules (webhook_auth), as in Lambda

# Never talk to a real account from the unit tests.
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SECURITY_TOKEN"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ.pop("AWS_PROFILE", None)

os.environ["SIGNING_SECRET"] = "test-signing-secret"
os.environ["WEBHOOK_SENDER"] = "{{sender}}"
os.environ["IDEMPOTENCY_TABLE"] = "test-webhook-events"
os.environ["MAX_ATTEMPTS"] = "3"
