"""The HTML of setup mode, rendered from plain values; every value passes through html.escape."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path
from string import Template
from typing import Any

SETUP_TITLE = "paperbot is in setup mode"
WHY_SETUP = ("paperbot started without the credentials of a GitHub App, so it is not handling webhooks yet. "
             "Missing: {missing}.")
WHERE_SAVED = "Whatever you do here is saved to {env_path} (other lines in that file are kept)."
REGISTER_HEADING = "Register a new GitHub App"
REGISTER_INTRO = ("GitHub creates the app from paperbot's manifest (app.yml): its permissions, events and "
                  "webhook URL are filled in. You only choose a name.")
LOCAL_WARNING = ("This page is served at {base_url}, which GitHub cannot reach: webhooks will not arrive. "
                 "Serve paperbot at a public URL (or through a tunnel such as smee.io or ngrok) and set "
                 "PUBLIC_URL, or change the webhook URL in the app's settings later.")
NO_MANIFEST = "Registration is unavailable: {problem}. You can still import an existing app below."
IMPORT_HEADING = "I already have an app"
IMPORT_INTRO = ("Enter the credentials from the app's settings page on GitHub (General → App ID, "
                "Private keys, Webhook secret).")
CONFIRM_TITLE = "Create the app on GitHub"
CONFIRM_INTRO = ("GitHub will ask you to name the app (names are unique across GitHub) and then send you "
                 "back here to {callback_url}.")
DONE_TITLE = "paperbot is registered"
SAVED = "Saved {keys} to {env_path}."
INSTALL_NEXT = "Next: install the app on the repositories whose lists it should keep up to date."
RESTART_SELF = "paperbot is restarting with these credentials; this page's server stops in a moment."
RESTART_YOURSELF = "Restart paperbot to use them: stop it (Ctrl-C) and run python -m bot again."
EPHEMERAL_DISK = ("On hosts whose disk is reset on each deploy (Heroku, Fly, containers), also set "
                  "APP_ID, WEBHOOK_SECRET and PRIVATE_KEY as the platform's secrets.")
UNCHECKED_NOTE = ("GitHub could not be asked to confirm these credentials; "
                  "paperbot will tell at start if they fail.")
ALREADY_DONE = "Credentials were saved to {env_path}. Restart paperbot to leave setup mode."
BACK = "Back to the setup page"

_PAGE = Template("""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem}
.banner{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.75rem 1rem}
.error{background:#ffebe9;border:1px solid #ff8182;border-radius:6px;padding:.75rem 1rem}
.ok{background:#dafbe1;border:1px solid #4ac26b;border-radius:6px;padding:.75rem 1rem}
form{border:1px solid #d0d7de;border-radius:6px;padding:1rem;margin-top:.75rem}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}
input[type=text],input[type=password],textarea{width:100%;box-sizing:border-box;padding:.4rem;
font:14px ui-monospace,monospace;border:1px solid #d0d7de;border-radius:6px}
label.choice{font-weight:400;display:inline;margin-right:1rem}
button,.button{margin-top:1rem;padding:.5rem 1rem;border:0;border-radius:6px;background:#1f883d;
color:#fff;font-weight:600;font-size:1rem;cursor:pointer;text-decoration:none;display:inline-block}
code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}
dt{font-weight:600}dd{margin:0 0 .5rem 0}
</style></head><body>
<h1>$title</h1>
$body
</body></html>
""")


def page(title: str, body_html: str) -> str:
    """`body_html` must already be escaped; the title is escaped here."""
    return _PAGE.substitute(title=escape(title), body=body_html)


def _para(text: str, css: str | None = None) -> str:
    return f'<p class="{css}">{escape(text)}</p>' if css else f"<p>{escape(text)}</p>"


def _problems(problems: Iterable[str]) -> str:
    items = "".join(f"<li>{escape(p)}</li>" for p in problems)
    return f'<div class="error" role="alert"><ul>{items}</ul></div>' if items else ""


def setup_page(*, missing: list[str], env_path: Path, base_url: str, webhook_url: str, local: bool,
               manifest_problem: str | None, register_problems: Iterable[str] = (),
               import_problems: Iterable[str] = (), app_id: str = "", organization: str = "") -> str:
    """The page `GET /` shows: why setup mode, the register form and the import form."""
    parts = [
        f'<div class="banner" id="why">{_para(WHY_SETUP.format(missing=", ".join(missing) or "none"))}'
        f"{_para(WHERE_SAVED.format(env_path=env_path))}</div>",
        f"<h2>{escape(REGISTER_HEADING)}</h2>",
    ]
    if manifest_problem:
        parts.append(_para(NO_MANIFEST.format(problem=manifest_problem), "error"))
    else:
        parts += [_para(REGISTER_INTRO), _problems(register_problems)]
        if local:
            parts.append(_para(LOCAL_WARNING.format(base_url=base_url), "banner"))
        org_checked = " checked" if organization else ""
        user_checked = "" if organization else " checked"
        parts.append(f"""<form id="register" method="post" action="/setup/register">
<p>Webhooks will go to <code>{escape(webhook_url)}</code>.</p>
<label class="choice"><input type="radio" name="owner" value="user"{user_checked}>
 my personal account</label>
<label class="choice"><input type="radio" name="owner" value="organization"{org_checked}>
 an organization</label>
<label for="organization">Organization login, as in github.com/LOGIN (empty for your account)</label>
<input type="text" id="organization" name="organization" value="{escape(organization)}"
 autocomplete="off" spellcheck="false">
<button type="submit">Continue</button></form>""")
    parts += [
        f"<h2>{escape(IMPORT_HEADING)}</h2>", _para(IMPORT_INTRO), _problems(import_problems),
        f"""<form id="import" method="post" action="/setup/import">
<label for="app_id">App ID</label>
<input type="text" id="app_id" name="app_id" inputmode="numeric" value="{escape(app_id)}" autocomplete="off">
<label for="private_key">Private key (.pem file contents)</label>
<textarea id="private_key" name="private_key" rows="6" spellcheck="false"
 placeholder="-----BEGIN RSA PRIVATE KEY-----"></textarea>
<label for="webhook_secret">Webhook secret</label>
<input type="password" id="webhook_secret" name="webhook_secret" autocomplete="off">
<button type="submit">Save credentials</button></form>""",
    ]
    return page(SETUP_TITLE, "\n".join(parts))


def confirm_page(*, action_url: str, manifest: Mapping[str, Any], account: str) -> str:
    """The form that posts the manifest to GitHub's "new app" page."""
    hook = manifest.get("hook_attributes", {}).get("url", "")
    permissions = ", ".join(f"{k}: {v}" for k, v in sorted(manifest.get("default_permissions", {}).items()))
    events = ", ".join(manifest.get("default_events", []))
    body = f"""{_para(CONFIRM_INTRO.format(callback_url=manifest.get("redirect_url", "")))}
<dl><dt>Owner</dt><dd>{escape(account)}</dd>
<dt>Webhook URL</dt><dd><code>{escape(hook)}</code></dd>
<dt>Permissions</dt><dd>{escape(permissions or "none")}</dd>
<dt>Events</dt><dd>{escape(events or "none")}</dd></dl>
<form id="manifest-form" method="post" action="{escape(action_url)}">
<input type="hidden" id="manifest" name="manifest" value="{escape(json.dumps(manifest))}">
<button type="submit">Create the app on GitHub</button></form>
<p><a href="/">{escape(BACK)}</a></p>"""
    return page(CONFIRM_TITLE, body)


def done_page(*, app_name: str, install_url: str, saved_keys: Iterable[str], env_path: Path,
              restarting: bool, unchecked: bool = False) -> str:
    parts = [_para(SAVED.format(keys=", ".join(saved_keys), env_path=env_path), "ok")]
    if unchecked:
        parts.append(_para(UNCHECKED_NOTE, "banner"))
    if install_url:
        label = f"Install {app_name}" if app_name else "Install the app"
        parts += [_para(INSTALL_NEXT),
                  f'<p><a class="button" id="install" href="{escape(install_url)}">{escape(label)}</a></p>']
    parts += [_para(RESTART_SELF if restarting else RESTART_YOURSELF), _para(EPHEMERAL_DISK)]
    return page(DONE_TITLE, "\n".join(parts))


def error_page(title: str, message: str, *, back: bool = True) -> str:
    link = f'<p><a href="/">{escape(BACK)}</a></p>' if back else ""
    return page(title, f'{_para(message, "error")}{link}')
