"""SSH_ORIGINAL_COMMAND: the three forms served, everything else refused."""

import pytest

from lindos.ssh.commands import Refused, SshRequest, parse_ssh_command, printable


@pytest.mark.parametrize(
    "command, expected",
    [
        ("git-upload-pack '/project'", SshRequest("git", "git-upload-pack", "project")),
        ("git-upload-pack 'project'", SshRequest("git", "git-upload-pack", "project")),
        (
            "git-receive-pack '/group/sub/repo.git/'",
            SshRequest("git", "git-receive-pack", "group/sub/repo.git"),
        ),
        ("git-upload-pack '/it'\\''s'", SshRequest("git", "git-upload-pack", "it's")),
        ("hg -R project serve --stdio", SshRequest("hg", "hg", "project")),
        ("hg -R 'group/repo' serve --stdio", SshRequest("hg", "hg", "group/repo")),
        ("  hg -R /abs serve --stdio  ", SshRequest("hg", "hg", "abs")),
    ],
)
def test_served_forms(command, expected):
    assert parse_ssh_command(command) == expected


def test_shell_characters_are_just_part_of_a_name():
    """Never given to a shell: a name that is not a repository's is "not found" later."""
    assert parse_ssh_command("git-upload-pack 'x;id'").repo_name == "x;id"
    assert parse_ssh_command("git-upload-pack '$(id)'").repo_name == "$(id)"


def test_only_git_fetch_is_read_only():
    assert parse_ssh_command("git-upload-pack 'x'").read_only
    assert not parse_ssh_command("git-receive-pack 'x'").read_only
    assert not parse_ssh_command("hg -R x serve --stdio").read_only


@pytest.mark.parametrize(
    "command",
    [
        None,
        "",
        "   ",
        "bash",
        "sh -c 'git-upload-pack x'",
        "git-upload-pack",
        "git-upload-pack '/'",
        "git-upload-pack a b",
        "git upload-pack x",
        "/usr/bin/git-upload-pack x",
        "git-upload-archive x",
        "scp -t x",
        "rsync --server . x",
        "hg -R x serve",
        "hg -R x serve --stdio -v",
        "hg -R x serve --stdio --debugger",
        "hg --debugger -R x serve --stdio",
        "hg -R x --config a.b=c serve --stdio",
        "hg -Rx serve --stdio",
        "hg --repository x serve --stdio",
        "hg -R x pull",
        "git-upload-pack 'x",
        "git-upload-pack x\x00",
        "x" * 8192,
    ],
)
def test_refused(command):
    with pytest.raises(Refused) as info:
        parse_ssh_command(command)
    message = str(info.value)
    assert "\n" not in message and len(message) < 400


def test_printable_hides_control_characters():
    assert printable("a\nb\x1b[31mc\u202e") == "a?b?[31mc?"
    assert printable("x" * 150) == "x" * 100 + "..."
