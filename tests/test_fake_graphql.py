"""The fake GitHub's GraphQL endpoint: GitHub's schema subset, token required, bad queries refused."""

import aiohttp
import pytest
from gidgethub import GraphQLAuthorizationFailure, QueryError
from gidgethub import aiohttp as gh_aiohttp
from gidgethub.apps import get_installation_access_token

from bot.snapshot import SNAPSHOT_QUERY


@pytest.mark.allow_unexpected_github
async def test_graphql_answers_valid_queries_and_refuses_others(fake_github):
    fake_github.add_repo("octo-org/list", {"README.md": "# List\n", ".github/paperbot.yml": "file: README.md\n"})
    endpoint = fake_github.url + "/graphql"
    async with aiohttp.ClientSession() as session:
        app = gh_aiohttp.GitHubAPI(session, "test", base_url=fake_github.url)
        installation = fake_github.repos["octo-org/list"].installation_id
        answer = await get_installation_access_token(
            app, installation_id=str(installation), app_id=str(fake_github.app_id),
            private_key=fake_github.private_key_pem)
        gh = gh_aiohttp.GitHubAPI(session, "test", oauth_token=answer["token"], base_url=fake_github.url)
        data = await gh.graphql(SNAPSHOT_QUERY, endpoint=endpoint, owner="octo-org", name="list",
                                config="main:.github/paperbot.yml", list="main:README.md", archive=":none",
                                tip="paperbot/additions:README.md", branch="paperbot/additions")
        repository = data["repository"]
        assert repository["list"]["text"] == "# List\n" and repository["tip"] is None
        assert repository["open"]["nodes"] == [] and len(repository["defaultBranchRef"]["target"]["oid"]) == 40

        with pytest.raises(QueryError):
            await gh.graphql('{ repository(owner: "octo-org", name: "list") { noSuchField } }', endpoint=endpoint)
        anonymous = gh_aiohttp.GitHubAPI(session, "test", base_url=fake_github.url)
        with pytest.raises(GraphQLAuthorizationFailure):
            await anonymous.graphql('{ repository(owner: "octo-org", name: "list") { name } }', endpoint=endpoint)
    assert any("noSuchField" in problem for problem in fake_github.problems())
