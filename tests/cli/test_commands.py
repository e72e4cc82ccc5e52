"""The ``lindos`` command line: every command listed and documented, and
``create-user`` and ``db-upgrade`` as scripts and operators use them."""

import os
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest

from lindos.cli import COMMAND_MODULES, build_parser, main

COMMANDS = [
    "config-create",
    "serve",
    "db-upgrade",
    "create-user",
    "send-test-email",
    "worker",
    "check",
    "repo-create",
    "repo-scan",
    "api",
    "ssh-update-authorized-keys",
    "ssh-serve",
    "set-password",
    "import-kallithea",
    "search-reindex",
]


def lindos(*args, stdin=subprocess.DEVNULL, cwd=None):
    # Without the test suite's own LINDOS_CONFIG: commands must find their file themselves.
    env = {k: v for k, v in os.environ.items() if k not in ("LINDOS_CONFIG", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, "-m", "lindos", *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=stdin,
        cwd=cwd,
        env=env,
    )


@pytest.fixture(scope="module")
def migrated_site(tmp_path_factory):
    """A configuration from config-create and its migrated database, made once."""
    folder = tmp_path_factory.mktemp("site")
    path = folder / "lindos.ini"
    assert lindos("config-create", str(path)).returncode == 0
    result = lindos("db-upgrade", "-c", str(path))
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def config(tmp_path, migrated_site):
    """A fresh copy of the migrated site (paths in the file are %(here)s-relative)."""
    shutil.copytree(migrated_site, tmp_path / "site")
    return tmp_path / "site" / "lindos.ini"


def users(config_path):
    db = sqlite3.connect(config_path.parent / "data" / "lindos.db")
    return {
        row[0]: row[1:]
        for row in db.execute(
            "select username, email, first_name, last_name, is_superuser, is_active from accounts_user"
        )
    }


def test_help_lists_every_command():
    result = lindos("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert f"    {name}" in result.stdout, name
    assert len(COMMAND_MODULES) == len(COMMANDS)


def test_no_command_prints_help_and_fails(capsys):
    assert main([]) == 2
    assert "usage: lindos" in capsys.readouterr().out


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_help(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: lindos {name}")
    if name not in ("config-create", "api"):  # api's --config is kallithea-api's file
        assert "-c FILE, --config FILE" in out and "default: ./lindos.ini" in out


def test_create_user_help_shows_the_documented_flags():
    parser, _ = build_parser()
    help_text = parser._subparsers._group_actions[0].choices["create-user"].format_help()
    for flag in ("--username", "--email", "--password", "--firstname", "--lastname", "--admin"):
        assert flag in help_text


def test_db_upgrade_creates_and_is_idempotent(tmp_path):
    path = tmp_path / "lindos.ini"
    lindos("config-create", str(path))
    first = lindos("db-upgrade", "-c", str(path))
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    # Lindos's own progress: one line per step, then the verdict; none of
    # Django's "Operations to perform" / "Running migrations" chatter.
    assert "Applying accounts.0001_initial ... done" in first.stdout
    assert all(re.fullmatch(r"Applying \w+\.\w+ \.\.\. done \(\d+\.\d s\)", line) for line in lines[:-1]), (
        lines
    )
    assert any(line.startswith("Applying review.") for line in lines)
    assert lines[-1] == "Database is up to date."
    assert "Operations to perform" not in first.stdout and "Running migrations" not in first.stdout
    again = lindos("db-upgrade", "-c", str(path))
    assert again.returncode == 0
    assert again.stdout == "No upgrade step to apply.\nDatabase is up to date.\n"


def test_default_config_is_lindos_ini_in_the_working_folder(tmp_path):
    lindos("config-create", "lindos.ini", cwd=tmp_path)
    result = lindos("db-upgrade", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "lindos.db").exists()


def test_create_user_with_flags(config):
    result = lindos(
        "create-user",
        "-c",
        str(config),
        "--username",
        "mads",
        "--email",
        "Mads@Example.com",
        "--password",
        "s3cret-pw",
        "--firstname",
        "Mads",
        "--lastname",
        "Kiilerich",
        "--admin",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Created admin user mads.\n"
    assert users(config)["mads"] == ("Mads@Example.com", "Mads", "Kiilerich", 1, 1)
    plain = lindos(
        "create-user",
        "-c",
        str(config),
        "--username",
        "dev",
        "--email",
        "dev@example.com",
        "--password",
        "s3cret-pw",
    )
    assert plain.stdout == "Created user dev.\n"
    assert users(config)["dev"] == ("dev@example.com", "", "", 0, 1)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--email", "a@example.com", "--password", "pw123456"], "--username is required"),
        (["--username", "a", "--password", "pw123456"], "--email is required"),
        (["--username", "a", "--email", "a@example.com"], "--password is required"),
    ],
)
def test_create_user_missing_flags_without_a_terminal(config, args, message):
    result = lindos("create-user", "-c", str(config), *args)
    assert result.returncode == 1
    assert result.stderr == f"lindos: error: {message}\n"
    assert users(config) == {}


@pytest.mark.parametrize(
    "args,message",
    [
        (["--username", "taken", "--email", "new@example.com"], "user 'taken' already exists"),
        (["--username", "TAKEN", "--email", "new@example.com"], "user 'TAKEN' already exists"),
        (["--username", "new", "--email", "TAKEN@example.com"], "This email address is already in use."),
        (["--username", "new", "--email", "not-an-address"], "Enter a valid email address."),
        (["--username", ".bad", "--email", "new@example.com"], "Use letters, digits"),
    ],
)
def test_create_user_refuses_clashes_and_bad_values(config, args, message):
    assert (
        lindos(
            "create-user",
            "-c",
            str(config),
            "--username",
            "taken",
            "--email",
            "taken@example.com",
            "--password",
            "pw123456",
        ).returncode
        == 0
    )
    result = lindos("create-user", "-c", str(config), *args, "--password", "pw123456")
    assert result.returncode == 1
    assert result.stderr.startswith(f"lindos: error: {message}")
    assert result.stderr.count("\n") == 1
    assert set(users(config)) == {"taken"}


def run_on_terminal(args, answers, timeout=60):
    """Run `lindos ARGS` on a pseudo-terminal, answering prompts in order;
    return (exit status, everything the terminal showed)."""
    import pty
    import select
    import time

    env = {k: v for k, v in os.environ.items() if k not in ("LINDOS_CONFIG", "DJANGO_SETTINGS_MODULE")}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout and /dev/tty
        os.execve(sys.executable, [sys.executable, "-m", "lindos", *args], env)
    shown, pending, deadline = b"", list(answers), time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
        while pending and shown.rstrip().endswith(pending[0][0].encode()):
            os.write(fd, pending.pop(0)[1].encode() + b"\n")
            break
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), shown.decode(errors="replace")


def test_create_user_asks_for_what_is_missing_on_a_terminal(config):
    code, shown = run_on_terminal(
        ["create-user", "-c", str(config), "--firstname", "Tess"],
        [
            ("Username:", "tess"),
            ("Email:", "tess@example.com"),
            ("Password:", "terminal-pw"),
            ("Password (again):", "terminal-pw"),
        ],
    )
    assert code == 0, shown
    assert "Created user tess." in shown
    assert "terminal-pw" not in shown  # passwords are not echoed
    assert users(config)["tess"] == ("tess@example.com", "Tess", "", 0, 1)


def test_create_user_on_a_terminal_refuses_different_passwords(config):
    code, shown = run_on_terminal(
        ["create-user", "-c", str(config), "--username", "tess", "--email", "tess@example.com"],
        [("Password:", "terminal-pw"), ("Password (again):", "other-pw")],
    )
    assert code == 1
    assert "lindos: error: the passwords do not match" in shown
    assert users(config) == {}


def test_db_upgrade_refuses_a_kallithea_database(tmp_path):
    """A Kallithea user keeps sqlalchemy.url; Lindos must not write into it."""
    import sqlite3

    db = tmp_path / "kallithea.db"
    with sqlite3.connect(db) as conn:
        for table in ("users", "repositories", "user_to_perm", "changeset_comments", "alembic_version"):
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
    ini = tmp_path / "kallithea.ini"
    ini.write_text(f"[app:main]\nsession.secret = x\nsqlalchemy.url = sqlite:///{db}?timeout=60\n")
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "lindos", "db-upgrade", "-c", str(ini)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("lindos: error: the database in sqlalchemy.url (")
    assert "is a Kallithea database" in result.stderr and result.stderr.count("\n") == 1
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "django_migrations" not in tables


def test_check_warns_when_canonical_url_is_unset(config):
    good = lindos("check", "-c", str(config))
    assert good.returncode == 0, good.stdout + good.stderr
    assert (
        "links: ok (mail links on http://localhost:5000; hosts allowed: localhost, 127.0.0.1, [::1])"
        in good.stdout.splitlines()
    )
    text = config.read_text().replace("canonical_url = http://localhost:5000", "#canonical_url =")
    config.write_text(text)
    unset = lindos("check", "-c", str(config))
    assert unset.returncode == 0  # a warning, not a failure
    assert (
        "links: warning: canonical_url is not set: links in mail are built on the address each "
        "action came in on (hosts allowed: localhost, 127.0.0.1, [::1])"
    ) in unset.stdout.splitlines()


def test_version_prints_the_installed_version():
    from importlib.metadata import version

    result = lindos("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"lindos {version('lindos')}\n"


@pytest.mark.parametrize(
    "password,message",
    [
        ("abc", "password: This password is too short. It must contain at least 6 characters."),
        ("", "--password is required"),
    ],
)
def test_create_user_applies_the_web_forms_password_rules(config, password, message):
    result = lindos(
        "create-user",
        "-c",
        str(config),
        "--username",
        "shorty",
        "--email",
        "shorty@example.com",
        "--password",
        password,
    )
    assert result.returncode == 1
    assert result.stderr == f"lindos: error: {message}\n"
    assert users(config) == {}


def test_check_on_a_fresh_file_creates_no_folder_and_no_database(tmp_path):
    path = tmp_path / "lindos.ini"
    assert lindos("config-create", str(path)).returncode == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    result = lindos("check", "-c", str(path))
    assert result.returncode == 1
    db = tmp_path / "data" / "lindos.db"
    assert f"database: FAILED: {db} does not exist; run: lindos db-upgrade" in result.stdout.splitlines()
    assert sorted(p.name for p in tmp_path.iterdir()) == before == ["lindos.ini"]
    # db-upgrade is what makes them; then check is happy with the database.
    assert lindos("db-upgrade", "-c", str(path)).returncode == 0
    assert (tmp_path / "data").is_dir() and (tmp_path / "repos").is_dir() and db.exists()
    assert "database: ok (sqlite)" in lindos("check", "-c", str(path)).stdout.splitlines()


@pytest.mark.parametrize(
    "section,wanted", [("app:mian", "app:main"), ("App:main", "app:main"), ("server:mian", "server:main")]
)
def test_a_misspelled_section_is_named(tmp_path, section, wanted):
    path = tmp_path / "lindos.ini"
    assert lindos("config-create", str(path)).returncode == 0
    path.write_text(path.read_text().replace(f"[{wanted}]", f"[{section}]"))
    for command in ("check", "db-upgrade"):
        result = lindos(command, "-c", str(path))
        assert result.returncode != 0
        line = f"{path}: [{section}]: unknown section; did you mean [{wanted}]?"
        assert line in result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lindos.ini"]
