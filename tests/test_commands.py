"""parse_commands: scenario tables in snekomatic's style."""

import pytest

from handlers.commands import Command, parse_commands

SCENARIOS = [
    ("/add arXiv:2502.05206", [Command("add", ("arXiv:2502.05206",), None, 1)]),
    ("/add 2502.05206, 2503.01234  2504.00001", [Command("add", ("2502.05206", "2503.01234", "2504.00001"), None, 1)]),
    ("/add 2502.05206 to Survey", [Command("add", ("2502.05206",), "Survey", 1)]),
    ('/add 2502.05206 to "LRM Safety Related"', [Command("add", ("2502.05206",), "LRM Safety Related", 1)]),
    ("/add 2502.05206 TO 'Attacks to LLMs'", [Command("add", ("2502.05206",), "Attacks to LLMs", 1)]),
    ("thanks!\n/add 1\n\n/add 2", [Command("add", ("1",), None, 2), Command("add", ("2",), None, 4)]),
    ("   /add 2502.05206", [Command("add", ("2502.05206",), None, 1)]),
    ("    /add 2502.05206", []),  # four spaces: an indented code block
    ("> /add 2502.05206", []),
    ("```\n/add 2502.05206\n```\n/add 1", [Command("add", ("1",), None, 4)]),
    ("~~~~\n/add 2\n~~~\n/add 3\n~~~~", []),
    ("/home/njs/hi\n /remove 2502.05206", [Command("remove", ("2502.05206",), None, 2)]),
    ("/usr/bin/python crashed", []),
    ("/additional thoughts", []),
    ("please /add 2502.05206", []),
    ("`/add 2502.05206`", []),
    ("/ADD 2502.05206", [Command("add", ("2502.05206",), None, 1)]),
    ("/update", [Command("update", (), None, 1)]),
    ("/add", [Command("add", (), None, 1)]),
    ("", []),
    (None, []),
]


@pytest.mark.parametrize(("body", "expected"), SCENARIOS)
def test_parse_commands(body, expected):
    assert parse_commands(body) == expected


def test_huge_comment_is_cheap():
    body = "/add " + " ".join(f"2502.{i:05d}" for i in range(20_000))
    commands = parse_commands(body)
    assert len(commands) == 1 and 0 < len(commands[0].args) < 20_000
