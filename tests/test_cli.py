"""The command line: check-config, and the clear message when settings are missing."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60)


@pytest.mark.parametrize(("text", "code", "says"), [
    ("file: README.md\n", 0, "OK"),
    ("file: ../x.md\nlatest: {max_papers: many}\n", 1, "latest.max_papers"),
    ("a: [", 1, "not valid YAML"),
])
def test_check_config(tmp_path, text, code, says):
    path = tmp_path / "paperbot.yml"
    path.write_text(text)
    result = run("check-config", str(path), cwd=tmp_path)
    assert result.returncode == code and says in result.stdout


def test_update_without_credentials_names_what_is_missing(tmp_path):
    result = run("update", cwd=tmp_path)
    assert result.returncode == 2
    assert "APP_ID" in result.stderr and "WEBHOOK_SECRET" in result.stderr and "PRIVATE_KEY" in result.stderr
