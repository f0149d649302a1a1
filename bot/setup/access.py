"""Who may use the setup page: whoever holds the link paperbot prints when it starts.

A server that starts without credentials may already be reachable from the internet (a Heroku or
Fly app is, the moment it is deployed), and whoever finishes setup first decides which GitHub App
the bot runs as. So the setup page asks for a token that only the server's own log shows (or the
one in `SETUP_TOKEN`, when set), the way Jupyter does. The first visit with `?token=` trades it for
a cookie and drops it from the address bar; every page and form of the setup then needs that
cookie (GitHub's redirect back to the callback is a top-level navigation, which carries it). The
webhook endpoint and `/health` stay open: they reveal nothing and change nothing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.setup import pages
from bot.setup.manifest import WEBHOOK_PATH

COOKIE = "paperbot_setup"
LINK_PARAMETER = "token"
OPEN_PATHS = frozenset({"/health", WEBHOOK_PATH})
NOT_FROM_LINK_TITLE = "Open the setup link from paperbot's log"
NOT_FROM_LINK = ("This server has no GitHub App yet, and only whoever runs it may set one up. Open the "
              "link paperbot printed when it started (it ends in ?token=…): look in the terminal, "
              "`heroku logs` or `fly logs`. To choose the token yourself, set SETUP_TOKEN.")
WRONG_LINK = "That link's token is not this server's. Copy the link from paperbot's log again."
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def new_access_token() -> str:
    return secrets.token_urlsafe(18)


def setup_link(base_url: str, token: str) -> str:
    """What the log shows the operator."""
    return f"{base_url.rstrip('/')}/?{LINK_PARAMETER}={token}"


def access_gate(token: str) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """Middleware: setup pages only for a browser that showed `token` (in the link, then its cookie)."""
    expected = token.encode()

    def holds_token(value: str | None) -> bool:
        return value is not None and hmac.compare_digest(value.encode("utf-8", "replace"), expected)

    @web.middleware
    async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in OPEN_PATHS or holds_token(request.cookies.get(COOKIE)):
            return await handler(request)
        given = request.query.get(LINK_PARAMETER)
        if given is None:
            return _refused(NOT_FROM_LINK)
        if not holds_token(given) or request.method != "GET":
            return _refused(WRONG_LINK if given else NOT_FROM_LINK)
        # The token becomes a cookie and leaves the address (history, screenshots, Referer).
        redirect = web.HTTPSeeOther(request.rel_url.without_query_params(LINK_PARAMETER))
        secure = request.secure or request.headers.get("X-Forwarded-Proto", "") == "https"
        redirect.set_cookie(COOKIE, token, httponly=True, samesite="Lax", secure=secure, path="/")
        redirect.headers["Cache-Control"] = "no-store"
        raise redirect

    return gate


def _refused(message: str) -> web.Response:
    return web.Response(text=pages.error_page(NOT_FROM_LINK_TITLE, message, back=False), status=403,
                        content_type="text/html", charset="utf-8")
