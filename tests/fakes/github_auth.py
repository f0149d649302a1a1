"""App authentication (RS256 JWTs), installation tokens and the /app endpoints of the fake."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from tests.fakes import github_payloads as payloads
from tests.fakes.github_http import Ctx, GitHubError, Handler, Reply, not_found, paginate
from tests.fakes.github_recorded import template
from tests.fakes.github_state import Token, new_token_value, permission_allows

JWT_UNDECODABLE = "A JSON web token could not be decoded"
JWT_IAT = "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
JWT_EXP_FAR = "'Expiration time' claim ('exp') is too far in the future"
JWT_EXPIRED = (
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at "
    "which the assertion expires"
)
CLOCK_SKEW = 60  # seconds GitHub tolerates for `iat` in the future
MAX_JWT_LIFETIME = 600
TOKEN_LIFETIME = timedelta(hours=1)


def bearer_value(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() in ("token", "bearer") and value.strip() else None


def verify_app_jwt(fake: Any, header: str | None) -> None:
    """Accept only an RS256 JWT signed by the app's key, with GitHub's time rules."""
    value = bearer_value(header)
    if value is None:
        raise GitHubError(401, "Requires authentication")
    try:
        claims = jwt.decode(
            value,
            fake.public_key_pem,
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.PyJWTError as error:
        raise GitHubError(401, JWT_UNDECODABLE) from error
    if str(claims.get("iss")) not in (str(fake.app_id), fake.client_id):
        raise GitHubError(401, JWT_UNDECODABLE)
    now = time.time()
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or iat > now + CLOCK_SKEW:
        raise GitHubError(401, JWT_IAT)
    if not isinstance(exp, int) or exp <= now:
        raise GitHubError(401, JWT_EXPIRED)
    if exp - iat > MAX_JWT_LIFETIME:
        raise GitHubError(401, JWT_EXP_FAR)


def resolve_token(fake: Any, header: str | None) -> Token:
    value = bearer_value(header)
    if value is None:
        raise GitHubError(401, "Requires authentication")
    found = fake.tokens.get(value)
    if found is None or found.expires_at <= datetime.now(UTC):
        raise GitHubError(401, "Bad credentials")
    return found


def check_repo_access(
    fake: Any, token: Token, full_name: str, need: tuple[str, str] | None, is_pull: bool = False
) -> None:
    """404 for repositories outside the installation (GitHub hides them), 403 for a missing
    permission. Comments and reactions on pull requests may use `pull_requests` instead."""
    repo = fake.repos.get(full_name)
    if repo is None or repo.installation_id != token.installation_id:
        raise not_found()
    if token.repositories is not None and full_name not in token.repositories:
        raise not_found()
    if need is None:
        return
    name, level = need
    allowed = permission_allows(token.permissions.get(name), level)
    if not allowed and is_pull and name == "issues":
        allowed = permission_allows(token.permissions.get("pull_requests"), level)
    if not allowed:
        raise GitHubError(403, "Resource not accessible by integration")


def get_app(fake: Any, ctx: Ctx) -> Reply:
    return Reply(
        200, payloads.app(ctx.api, fake.app_id, fake.slug, fake.owner, fake.client_id, fake.app_permissions)
    )


def list_installations(fake: Any, ctx: Ctx) -> Reply:
    found = sorted(fake.installations.values(), key=lambda i: i.id)
    return paginate(ctx, found, lambda i: payloads.installation(ctx.api, i, fake.app_id, fake.slug))


def create_token(fake: Any, ctx: Ctx) -> Reply:
    installation = fake.installations.get(ctx.int_param("installation_id"))
    if installation is None:
        raise not_found()
    body = ctx.body if isinstance(ctx.body, dict) else {}
    permissions = dict(installation.permissions)
    if "permissions" in body:
        wanted = body["permissions"]
        if any(not permission_allows(permissions.get(k), v) for k, v in wanted.items()):
            raise GitHubError(422, str(template("token-permissions-error")["message"]))
        permissions = dict(wanted)
    own = {name: repo for name, repo in fake.repos.items() if repo.installation_id == installation.id}
    limited: set[str] | None = None
    if "repositories" in body or "repository_ids" in body:
        by_id = {repo.id: name for name, repo in own.items()}
        names = {f"{installation.account}/{n}" for n in body.get("repositories", [])}
        ids = set(body.get("repository_ids", []))
        if not names <= set(own) or not ids <= set(by_id):
            raise GitHubError(
                422,
                "There is at least one repository that does not exist or is not "
                "accessible to the parent installation.",
            )
        limited = names | {by_id[i] for i in ids}
    made = Token(
        new_token_value(),
        installation.id,
        permissions,
        limited,
        datetime.now(UTC).replace(microsecond=0) + TOKEN_LIFETIME,
    )
    fake.tokens[made.value] = made
    repos = [payloads.repository(ctx.api, own[n]) for n in sorted(limited)] if limited is not None else None
    return Reply(201, payloads.token(made, repos))


def list_installation_repos(fake: Any, ctx: Ctx) -> Reply:
    token = ctx.token
    assert token is not None
    found = sorted(
        (
            r
            for n, r in fake.repos.items()
            if r.installation_id == token.installation_id
            and (token.repositories is None or n in token.repositories)
        ),
        key=lambda r: r.id,
    )
    selection = (
        "selected"
        if token.repositories is not None
        else fake.installations[token.installation_id].repository_selection
    )
    return paginate(
        ctx,
        found,
        lambda r: payloads.repository(ctx.api, r),
        wrap=lambda page: {
            "total_count": len(found),
            "repository_selection": selection,
            "repositories": page,
        },
    )


def convert_manifest(fake: Any, ctx: Ctx) -> Reply:
    code = ctx.params["code"]
    if code not in fake.manifest_codes:
        raise not_found()
    fake.manifest_codes.discard(code)  # codes are single-use, as on GitHub
    body = payloads.app(ctx.api, fake.app_id, fake.slug, fake.owner, fake.client_id, fake.app_permissions)
    body.update(
        client_id=fake.client_id,
        client_secret=fake.client_secret,
        webhook_secret=fake.webhook_secret,
        pem=fake.private_key_pem,
    )
    return Reply(201, body)


HANDLERS: dict[str, Handler] = {
    "apps/get-authenticated": get_app,
    "apps/list-installations": list_installations,
    "apps/create-installation-access-token": create_token,
    "apps/list-repos-accessible-to-installation": list_installation_repos,
    "apps/create-from-manifest": convert_manifest,
}

# How each /app operation authenticates; everything else takes an installation token.
AUTH: dict[str, str] = {
    "apps/get-authenticated": "jwt",
    "apps/list-installations": "jwt",
    "apps/create-installation-access-token": "jwt",
    "apps/list-repos-accessible-to-installation": "token",
    "apps/create-from-manifest": "none",
}
