"""Settings.from_env: one clear message naming what is missing; .env under the environment."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"


def test_missing_settings_are_named_together(tmp_path):
    with pytest.raises(SettingsError) as error:
        Settings.from_env({}, env_file=tmp_path / ".env")
    message = str(error.value)
    assert "APP_ID" in message and "WEBHOOK_SECRET" in message and "PRIVATE_KEY" in message


def test_env_file_is_read_and_environment_wins(tmp_path):
    env = tmp_path / ".env"
    env.write_text(
        "# comment\nAPP_ID=1\nWEBHOOK_SECRET='from file'\n"
        f'PRIVATE_KEY="{PEM.strip().replace(chr(10), chr(92) + "n")}"\nARXIV_MIN_INTERVAL=5\n'
    )
    settings = Settings.from_env({"APP_ID": "42", "GITHUB_API_URL": "http://127.0.0.1:9/"}, env_file=env)
    assert settings.app_id == "42"
    assert settings.webhook_secret == "from file"
    assert settings.private_key.startswith("-----BEGIN RSA PRIVATE KEY-----\nMIIB")
    assert settings.github_api_url == "http://127.0.0.1:9"
    assert settings.arxiv_min_interval == 5.0
    assert "from file" not in repr(settings) and "MIIB" not in repr(settings)


def test_base64_key_and_key_path(tmp_path):
    encoded = base64.b64encode(PEM.encode()).decode()
    base = {"APP_ID": "1", "WEBHOOK_SECRET": "s"}
    assert Settings.from_env({**base, "PRIVATE_KEY": encoded}, env_file=None).private_key == PEM
    key = tmp_path / "key.pem"
    key.write_text(PEM)
    assert Settings.from_env({**base, "PRIVATE_KEY_PATH": str(key)}, env_file=None).private_key == PEM


@pytest.mark.parametrize(("extra", "mentions"), [
    ({"PRIVATE_KEY": "not a key"}, "PRIVATE_KEY"),
    ({"PRIVATE_KEY_PATH": "/nonexistent/key.pem"}, "PRIVATE_KEY_PATH"),
    ({"PRIVATE_KEY": PEM, "ARXIV_MIN_INTERVAL": "fast"}, "ARXIV_MIN_INTERVAL"),
    ({"PRIVATE_KEY": PEM, "UPDATE_INTERVAL": "often"}, "UPDATE_INTERVAL"),
])
def test_unusable_values(extra, mentions):
    with pytest.raises(SettingsError, match=mentions):
        Settings.from_env({"APP_ID": "1", "WEBHOOK_SECRET": "s", **extra}, env_file=None)


def test_update_interval():
    settings = Settings.from_env({"APP_ID": "1", "WEBHOOK_SECRET": "s", "PRIVATE_KEY": PEM,
                                  "UPDATE_INTERVAL": "12h"}, env_file=None)
    assert settings.update_interval == 12 * 3600


APP = {"APP_ID": "1", "WEBHOOK_SECRET": "s", "PRIVATE_KEY": PEM}


@pytest.mark.parametrize(("name", "value", "message"), [
    ("APP_ID", "abc", "APP_ID must be the GitHub App's ID, a positive whole number, got 'abc'"),
    ("APP_ID", "0", "APP_ID must be the GitHub App's ID, a positive whole number, got '0'"),
    ("APP_ID", "-5", "APP_ID must be the GitHub App's ID, a positive whole number, got '-5'"),
    ("APP_ID", "１２", "APP_ID must be the GitHub App's ID, a positive whole number, got '１２'"),
    ("MAX_CONCURRENT_JOBS", "nan", "MAX_CONCURRENT_JOBS must be a whole number, 1 or more, got 'nan'"),
    ("MAX_CONCURRENT_JOBS", "0", "MAX_CONCURRENT_JOBS must be a whole number, 1 or more, got '0'"),
    ("MAX_CONCURRENT_JOBS", "2.5", "MAX_CONCURRENT_JOBS must be a whole number, 1 or more, got '2.5'"),
    ("MAX_QUEUED_JOBS", "lots", "MAX_QUEUED_JOBS must be a whole number, 1 or more, got 'lots'"),
    ("MAX_QUEUED_PER_REPOSITORY", "-1",
     "MAX_QUEUED_PER_REPOSITORY must be a whole number, 1 or more, got '-1'"),
    ("ARXIV_MIN_INTERVAL", "nan", "ARXIV_MIN_INTERVAL must be a finite number of seconds, 0 or more, got 'nan'"),
    ("ARXIV_MIN_INTERVAL", "inf", "ARXIV_MIN_INTERVAL must be a finite number of seconds, 0 or more, got 'inf'"),
    ("ARXIV_MIN_INTERVAL", "-3", "ARXIV_MIN_INTERVAL must be a finite number of seconds, 0 or more, got '-3'"),
    ("ARXIV_MIN_INTERVAL", "fast",
     "ARXIV_MIN_INTERVAL must be a finite number of seconds, 0 or more, got 'fast'"),
    ("ARXIV_TIMEOUT", "0", "ARXIV_TIMEOUT must be a finite number of seconds, more than 0, got '0'"),
    ("ARXIV_TIMEOUT", "1e400", "ARXIV_TIMEOUT must be a finite number of seconds, more than 0, got '1e400'"),
    ("PORT", "99999", "PORT must be a port number from 1 to 65535, got '99999'"),
    ("PORT", "80.5", "PORT must be a port number from 1 to 65535, got '80.5'"),
    ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, got 'xml'"),
    ("LOG_LEVEL", "loud", "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got 'loud'"),
    ("UPDATE_INTERVAL", "often", "UPDATE_INTERVAL must be a duration such as 12h, 30m or 1d, got 'often'"),
    ("UPDATE_INTERVAL", "-1h", "UPDATE_INTERVAL must be a duration such as 12h, 30m or 1d, got '-1h'"),
    ("GITHUB_API_URL", "api.github.com",
     "GITHUB_API_URL must be an http:// or https:// URL, got 'api.github.com'"),
    ("ARXIV_API_URL", "file:///etc/passwd",
     "ARXIV_API_URL must be an http:// or https:// URL, got 'file:///etc/passwd'"),
])
def test_each_unusable_value_is_named_with_what_was_expected(name, value, message):
    with pytest.raises(SettingsError) as error:
        Settings.from_env({**APP, name: value}, env_file=None)
    assert str(error.value) == "paperbot cannot start: " + message
    assert error.value.missing == []


def test_secrets_are_never_echoed_and_problems_are_reported_together():
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"APP_ID": "x1", "WEBHOOK_SECRET": "hunter2", "PRIVATE_KEY": "hunter3",
                           "PORT": "http", "MAX_CONCURRENT_JOBS": "inf"}, env_file=None)
    message = str(error.value)
    assert "hunter2" not in message and "hunter3" not in message
    for name in ("APP_ID", "PRIVATE_KEY", "PORT", "MAX_CONCURRENT_JOBS"):
        assert name in message


def test_good_values_are_typed():
    settings = Settings.from_env({**APP, "APP_ID": " 0042 ", "MAX_CONCURRENT_JOBS": " 8 ", "PORT": "8080",
                                  "ARXIV_TIMEOUT": "2.5", "LOG_FORMAT": "JSON", "LOG_LEVEL": "debug",
                                  "MAX_QUEUED_JOBS": "", "UPDATE_INTERVAL": "30m"}, env_file=None)
    assert (settings.app_id, settings.max_concurrent_jobs, settings.port) == ("42", 8, 8080)
    assert (settings.arxiv_timeout, settings.log_format, settings.log_level) == (2.5, "json", "DEBUG")
    assert (settings.max_queued_jobs, settings.update_interval) == (1000, 1800.0)  # empty: the default


def test_local_mode_needs_no_app():
    settings = Settings.from_env({"ARXIV_API_URL": "http://127.0.0.1:9/api/query"}, env_file=None,
                                 require_app=False)
    assert settings.app_id == "" and settings.private_key == ""


def test_multi_line_private_key_in_env_file(tmp_path, github_app_key):
    """The usual dotenv style: the PEM pasted as is between double quotes, over several lines."""
    env = tmp_path / ".env"
    env.write_text(f'APP_ID=7\nPRIVATE_KEY="{github_app_key.strip()}"\nWEBHOOK_SECRET=w\nPORT=3001\n')
    settings = Settings.from_env({}, env_file=env)
    assert settings.private_key == github_app_key.strip() + "\n"
    assert (settings.app_id, settings.port) == ("7", 3001)
    _sign_a_jwt(settings.private_key)  # the whole key, usable: not its first line


def test_setup_rewrites_a_multi_line_key_whole(tmp_path, github_app_key):
    """The setup page saves base64 of the new key over a multi-line one; both read back whole."""
    from bot.setup.env_file import update_env_file

    env = tmp_path / ".env"
    env.write_text(f'# mine\nAPP_ID=7\nPRIVATE_KEY="{PEM.strip()}"\nWEBHOOK_SECRET=w\nKEEP=1\n')
    update_env_file(env, {"APP_ID": "8", "PRIVATE_KEY": base64.b64encode(github_app_key.encode()).decode()})
    settings = Settings.from_env({}, env_file=env)
    assert settings.private_key == github_app_key.strip() + "\n" and settings.app_id == "8"
    assert env.read_text().startswith("# mine\nAPP_ID=8\nPRIVATE_KEY=") and "MIIB" not in env.read_text()
    _sign_a_jwt(settings.private_key)


def test_the_environment_is_read_when_asked_not_at_import(monkeypatch):
    env = {**os.environ, "MAX_CONCURRENT_JOBS": "nan", "PYTHONPATH": str(ROOT)}
    imported = subprocess.run([sys.executable, "-c", "import bot.settings, bot.web.app, bot.__main__"], env=env,
                              capture_output=True, text=True, check=False)
    assert imported.returncode == 0, imported.stderr
    monkeypatch.setenv("MAX_CONCURRENT_JOBS", "nan")
    with pytest.raises(SettingsError, match="MAX_CONCURRENT_JOBS"):
        Settings.from_env(env_file=None, require_app=False)


def _sign_a_jwt(key: str) -> None:
    import jwt

    assert jwt.decode(jwt.encode({"iss": "7"}, key, algorithm="RS256"), options={"verify_signature": False})
