"""The fake GitHub's GraphQL endpoint: GitHub's schema, token required, bad documents refused,
fork pull requests and authors as GitHub shows them, and mutations that are compare-and-swaps."""

import base64

import aiohttp
import pytest
from gidgethub import GraphQLAuthorizationFailure, QueryError
from gidgethub import aiohttp as gh_aiohttp
from gidgethub.apps import get_installation_access_token

from bot.github.commits import COMMIT_ON_BRANCH, MOVE_BRANCH, NO_OID
from bot.github.snapshot import CLOSED_QUERY, SNAPSHOT_QUERY

REPO = "octo-org/list"
BRANCH = "paperbot/additions"


async def installation_client(session, fake_github, repo=REPO):
    app = gh_aiohttp.GitHubAPI(session, "test", base_url=fake_github.url)
    answer = await get_installation_access_token(
        app, installation_id=str(fake_github.repos[repo].installation_id), app_id=str(fake_github.app_id),
        private_key=fake_github.private_key_pem)
    return gh_aiohttp.GitHubAPI(session, "test", oauth_token=answer["token"], base_url=fake_github.url)


def snapshot_variables(**extra):
    return dict(owner="octo-org", name="list", config="main:.github/paperbot.yml", list="main:README.md",
                archive=":none", tip=f"{BRANCH}:README.md", branch=BRANCH, qualified=f"refs/heads/{BRANCH}",
                base="main", closed=True) | extra


@pytest.mark.allow_unexpected_github
async def test_graphql_answers_valid_queries_and_refuses_others(fake_github):
    fake_github.add_repo(REPO, {"README.md": "# List\n", ".github/paperbot.yml": "file: README.md\n"})
    endpoint = fake_github.url + "/graphql"
    async with aiohttp.ClientSession() as session:
        gh = await installation_client(session, fake_github)
        data = await gh.graphql(SNAPSHOT_QUERY, endpoint=endpoint, **snapshot_variables())
        repository = data["repository"]
        assert data["viewer"]["login"] == "paperbot[bot]"  # as GitHub shows an installation's viewer
        assert repository["list"]["text"] == "# List\n" and repository["tip"] is None
        assert repository["branch"] is None and repository["closed"]["nodes"] == []
        assert len(repository["defaultBranchRef"]["target"]["tree"]["oid"]) == 40

        # A field GitHub's schema lacks: refused (a violation); one it has but the fake does not
        # model: refused too, recorded as unexpected.
        with pytest.raises(QueryError):
            await gh.graphql('{ repository(owner: "octo-org", name: "list") { noSuchField } }', endpoint=endpoint)
        with pytest.raises(QueryError):
            await gh.graphql('{ repository(owner: "octo-org", name: "list") { stargazerCount } }',
                             endpoint=endpoint)
        with pytest.raises(QueryError, match="first` or `last"):
            await gh.graphql('{ repository(owner: "octo-org", name: "list") { pullRequests { totalCount } } }',
                             endpoint=endpoint)
        anonymous = gh_aiohttp.GitHubAPI(session, "test", base_url=fake_github.url)
        with pytest.raises(GraphQLAuthorizationFailure):
            await anonymous.graphql('{ repository(owner: "octo-org", name: "list") { name } }', endpoint=endpoint)
    assert any("noSuchField" in problem for problem in fake_github.violations)
    assert any("stargazerCount" in problem for problem in fake_github.unexpected)


async def test_fork_pull_requests_and_authors_look_as_on_github(fake_github):
    fake_github.add_repo(REPO, {"README.md": "# List\n"})
    for n in range(3):
        fake_github.open_fork_pull(REPO, f"stranger{n}", BRANCH, body=f"fork {n}")
    fake_github.push_commit(REPO, BRANCH, {"README.md": "# List\nmine\n"})
    repo = fake_github.repos[REPO]
    from tests.fakes.github_state import Issue, PullInfo, next_id
    ours = Issue(next_id(), repo.next_number(), "ours", "body", fake_github.bot_login,
                 pull=PullInfo(BRANCH, "octo-org", "main", repo.branches[BRANCH], repo.branches["main"]))
    repo.issues[ours.number] = ours
    endpoint = fake_github.url + "/graphql"
    async with aiohttp.ClientSession() as session:
        gh = await installation_client(session, fake_github)
        data = await gh.graphql(SNAPSHOT_QUERY, endpoint=endpoint, **snapshot_variables(closed=False))
    branch = data["repository"]["branch"]
    assert "closed" not in data["repository"]  # @include(if: false)
    # Through the branch of this repository, only pull requests from it; the bot without `[bot]`.
    [node] = branch["open"]["nodes"]
    assert node["number"] == ours.number and node["author"] == {"__typename": "Bot", "login": "paperbot"}
    assert node["headRefOid"] == branch["target"]["oid"] == repo.branches[BRANCH]
    async with aiohttp.ClientSession() as session:
        gh = await installation_client(session, fake_github)
        query = ('query($branch: String!) { repository(owner: "octo-org", name: "list") { '
                 'pullRequests(headRefName: $branch, first: 10) '
                 '{ nodes { number headRefOid isCrossRepository author { __typename login } } } } }')
        nodes = (await gh.graphql(query, endpoint=endpoint, branch=BRANCH))["repository"]["pullRequests"]["nodes"]
    forks = [n for n in nodes if n["isCrossRepository"]]
    assert [n["author"] for n in forks] == [{"__typename": "User", "login": f"stranger{n}"} for n in range(3)]
    # A fork's head is its own commit, not this repository's branch of the same name.
    assert all(n["headRefOid"] != repo.branches[BRANCH] for n in forks)


async def test_closed_pull_requests_come_page_by_page(fake_github):
    fake_github.add_repo(REPO, {"README.md": "# List\n"})
    numbers = [fake_github.open_fork_pull(REPO, f"s{n}", BRANCH) for n in range(105)]
    for number in numbers:
        fake_github.close_pull(REPO, number)
    endpoint = fake_github.url + "/graphql"
    async with aiohttp.ClientSession() as session:
        gh = await installation_client(session, fake_github)
        first = (await gh.graphql(SNAPSHOT_QUERY, endpoint=endpoint, **snapshot_variables()))["repository"]["closed"]
        after = first["pageInfo"]["endCursor"]
        rest = (await gh.graphql(CLOSED_QUERY, endpoint=endpoint, owner="octo-org", name="list",
                                 branch=BRANCH, after=after))["repository"]["closed"]
    assert len(first["nodes"]) == 100 and first["pageInfo"]["hasNextPage"]
    assert first["nodes"][0]["number"] == numbers[-1]  # newest first
    assert len(rest["nodes"]) == 5 and not rest["pageInfo"]["hasNextPage"]
    assert {n["number"] for n in first["nodes"] + rest["nodes"]} == set(numbers)


async def test_commits_and_ref_moves_are_compare_and_swaps(fake_github):
    fake_github.add_repo(REPO, {"README.md": "# List\n"})
    repo = fake_github.repos[REPO]
    main = repo.branches["main"]
    endpoint = fake_github.url + "/graphql"
    repository_id = None
    async with aiohttp.ClientSession() as session:
        gh = await installation_client(session, fake_github)
        repository_id = (await gh.graphql('{ repository(owner: "octo-org", name: "list") { id } }',
                                          endpoint=endpoint))["repository"]["id"]
        move = {"repositoryId": repository_id, "refUpdates": [
            {"name": f"refs/heads/{BRANCH}", "beforeOid": NO_OID, "afterOid": main}]}
        await gh.graphql(MOVE_BRANCH, endpoint=endpoint, refs=move)
        assert repo.branches[BRANCH] == main
        with pytest.raises(QueryError) as refused:  # "must not exist" no longer holds
            await gh.graphql(MOVE_BRANCH, endpoint=endpoint, refs=move)
        assert refused.value.response["errors"][0]["type"] == "STALE_DATA"

        contents = base64.b64encode(b"# List\nmore\n").decode()
        commit = {"branch": {"repositoryNameWithOwner": REPO, "branchName": BRANCH},
                  "expectedHeadOid": main, "message": {"headline": "one"},
                  "fileChanges": {"additions": [{"path": "README.md", "contents": contents}]}}
        made = (await gh.graphql(COMMIT_ON_BRANCH, endpoint=endpoint, commit=commit))["createCommitOnBranch"]
        head = made["commit"]["oid"]
        assert repo.branches[BRANCH] == head and repo.commits[head].parents == (main,)
        with pytest.raises(QueryError) as stale:  # the same expected head again: the branch moved
            await gh.graphql(COMMIT_ON_BRANCH, endpoint=endpoint, commit=commit)
        error = stale.value.response["errors"][0]
        assert error["type"] == "STALE_DATA" and error["path"] == ["createCommitOnBranch"]
        assert error["message"] == f'Expected branch to point to "{main}" but it did not. Pull and try again.'
        assert stale.value.response["data"] == {"createCommitOnBranch": None}

        # Back to main: not a fast-forward, refused without force, accepted with it.
        back = {"repositoryId": repository_id, "refUpdates": [
            {"name": f"refs/heads/{BRANCH}", "beforeOid": head, "afterOid": main}]}
        with pytest.raises(QueryError, match="fast forward"):
            await gh.graphql(MOVE_BRANCH, endpoint=endpoint, refs=back)
        back["refUpdates"][0]["force"] = True
        await gh.graphql(MOVE_BRANCH, endpoint=endpoint, refs=back)
        assert repo.branches[BRANCH] == main
    assert fake_github.problems() == []  # refusals by design are not violations


async def test_git_data_trees_and_commits(fake_github):
    fake_github.add_repo(REPO, {"README.md": "# List\n", "docs/a.md": "a\n"})
    repo = fake_github.repos[REPO]
    main = repo.commits[repo.branches["main"]]
    from tests.fakes.github_state import tree_sha
    async with aiohttp.ClientSession() as session:
        gh = await installation_client(session, fake_github)
        url = {"owner": "octo-org", "repo": "list"}
        tree = await gh.post("/repos/{owner}/{repo}/git/trees", url, data={
            "base_tree": tree_sha(main.tree),
            "tree": [{"path": "README.md", "mode": "100644", "type": "blob", "content": "# New\n"}]})
        made = await gh.post("/repos/{owner}/{repo}/git/commits", url, data={
            "message": "m", "tree": tree["sha"], "parents": [main.sha]})
        with pytest.raises(Exception, match="base_tree is not a valid tree oid"):
            await gh.post("/repos/{owner}/{repo}/git/trees", url, data={"base_tree": main.sha, "tree": []})
        with pytest.raises(Exception, match="Parent SHA does not exist"):
            await gh.post("/repos/{owner}/{repo}/git/commits", url, data={
                "message": "m", "tree": tree["sha"], "parents": ["f" * 40]})
    commit = repo.commits[made["sha"]]
    assert commit.tree == {"README.md": b"# New\n", "docs/a.md": b"a\n"} and commit.parents == (main.sha,)
    assert made["tree"]["sha"] == tree["sha"] and made["parents"][0]["sha"] == main.sha
    assert {e["path"]: e["type"] for e in tree["tree"]} == {"README.md": "blob", "docs": "tree"}
    assert repo.branches["main"] == main.sha  # nothing moves a branch but a ref update
