"""Log lines: JSON on request, the delivery id on every line, secrets redacted."""

import json
import logging

import pytest

from bot.logs import configure_logging, delivery_id, redact


@pytest.mark.parametrize("secret", [
    "ghs_" + "a1B2" * 9, "ghp_" + "Z" * 36, "github_pat_" + "x" * 30,
    "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiI0MiJ9.c2lnbmF0dXJlc2lnbmF0dXJl",
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
])
def test_redact(secret):
    assert secret not in redact(f"Authorization: token {secret} and more")


def test_json_lines_carry_the_delivery_and_hide_secrets(capsys):
    configure_logging("INFO", "json", secrets=("hunter2-secret",))
    try:
        delivery_id.set("d-123")
        logging.getLogger("paperbot.test").warning("secret is hunter2-secret, token ghs_%s", "A" * 36)
        line = capsys.readouterr().err.strip().splitlines()[-1]
        entry = json.loads(line)
        assert entry["delivery"] == "d-123" and entry["level"] == "warning"
        assert "hunter2-secret" not in line and "ghs_" not in line
    finally:
        configure_logging("WARNING", "text")
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "_paperbot", False):
                logging.getLogger().removeHandler(handler)
