"""Settings.from_env: one clear message naming what is missing; .env under the environment."""

import base64

import pytest

from bot.settings import Settings, SettingsError

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
