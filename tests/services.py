"""Private database and broker servers for tests: PostgreSQL, MariaDB, Redis.

Each server is started from the Debian binaries in a temporary folder,
listening on loopback on a free port, and stopped at the end of the session.
Nothing touches the machine's own instances.  A fixture skips (with the
reason) only when the binary is missing; ``scripts/install-test-deps``
installs them, so in CI they run.

Fixtures (imported by ``tests/conftest.py``):
  ``postgres_server``, ``mariadb_server``, ``redis_server`` - one per session;
  ``database_url`` - parametrised over sqlite, postgresql, mariadb: a fresh,
  empty database and its ``sqlalchemy.url`` for each test.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_for_port(
    port: int, timeout: float = 30, proc: subprocess.Popen | None = None, log: str | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {_tail(log)}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on port {port} after {timeout}s: {_tail(log)}")


def _tail(path: str | None, lines: int = 20) -> str:
    if not path or not os.path.exists(path):
        return ""
    with open(path, errors="replace") as fh:
        return "".join(fh.readlines()[-lines:])


def _private_dir(prefix: str, owner: str | None = None) -> str:
    # Not under pytest's tmp_path: its parent is mode 0700, which a server
    # running as another user cannot traverse.
    path = tempfile.mkdtemp(prefix=prefix)
    if owner:
        pw = pwd.getpwnam(owner)
        os.chown(path, pw.pw_uid, pw.pw_gid)
    return path


class PostgresServer:
    """A PostgreSQL cluster of our own (trust auth, fsync off).

    PostgreSQL refuses to run as root, so as root it runs as the ``postgres``
    user the Debian package creates."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise FileNotFoundError(
                "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin/initdb); "
                "run scripts/install-test-deps"
            )
        self.bindir = os.path.dirname(found[-1])
        self.user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise FileNotFoundError(
                    "running as root and there is no 'postgres' user to run PostgreSQL as"
                )
            self.user = "postgres"
        self.dir = _private_dir("lindos-pg-", self.user)
        self.data = os.path.join(self.dir, "data")
        self.log = os.path.join(self.dir, "server.log")
        self.port = free_port()

    def _cmd(self, *argv: str) -> list[str]:
        if self.user:
            return ["runuser", "-u", self.user, "--", *argv]
        return list(argv)

    def start(self) -> None:
        if not os.path.exists(self.data):
            subprocess.run(
                self._cmd(
                    f"{self.bindir}/initdb",
                    "-D",
                    self.data,
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ),
                check=True,
                capture_output=True,
            )
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses={LOOPBACK} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            self._cmd(
                f"{self.bindir}/pg_ctl",
                "-D",
                self.data,
                "-l",
                self.log,
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            self._cmd(f"{self.bindir}/pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"), capture_output=True
        )

    def restart(self) -> None:
        self.stop()
        self.start()

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=LOOPBACK, port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    def create_database(self) -> str:
        """A new empty database; returns its sqlalchemy.url."""
        name = "lindos_" + uuid.uuid4().hex[:10]
        self.admin(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@{LOOPBACK}:{self.port}/{name}"

    def cleanup(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


class MariaDBServer:
    """A MariaDB server of our own, with user ``lindos`` (password ``lindos``)
    allowed from loopback over TCP."""

    def __init__(self):
        self.mariadbd = shutil.which("mariadbd") or shutil.which("mariadbd", path="/usr/sbin")
        self.install_db = shutil.which("mariadb-install-db")
        if not self.mariadbd or not self.install_db:
            raise FileNotFoundError("mariadbd / mariadb-install-db not found; run scripts/install-test-deps")
        self.dir = _private_dir("lindos-maria-")
        self.data = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mysqld.sock")
        self.log = os.path.join(self.dir, "server.log")
        self.port = free_port()
        self.proc = None
        self.extra_args: list[str] = []

    def _server_args(self) -> list[str]:
        args = [
            self.mariadbd,
            "--no-defaults",
            f"--datadir={self.data}",
            f"--socket={self.socket}",
            f"--port={self.port}",
            f"--bind-address={LOOPBACK}",
            f"--log-error={self.log}",
            f"--pid-file={self.dir}/mysqld.pid",
            "--skip-log-bin",
            "--skip-name-resolve",
            "--innodb-buffer-pool-size=32M",
            "--innodb-log-file-size=16M",
            "--innodb-flush-log-at-trx-commit=0",
            "--innodb-doublewrite=0",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
            "--max-connections=300",
        ]
        if os.geteuid() == 0:
            args.append("--user=root")
        return args + self.extra_args

    def start(self) -> None:
        if not os.path.exists(self.data):
            cmd = [
                self.install_db,
                "--no-defaults",
                f"--datadir={self.data}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ]
            if os.geteuid() == 0:
                cmd.append("--user=root")
            subprocess.run(cmd, check=True, capture_output=True)
            first = True
        else:
            first = False
        self.proc = subprocess.Popen(
            self._server_args(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        wait_for_port(self.port, 60, self.proc, self.log)
        if first:
            self.admin(
                "CREATE USER 'lindos'@'%' IDENTIFIED BY 'lindos'",
                "GRANT ALL PRIVILEGES ON *.* TO 'lindos'@'%'",
            )

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def admin(self, *statements: str) -> None:
        """Run statements as root over the socket (root has no TCP access)."""
        import pymysql

        conn = pymysql.connect(unix_socket=self.socket, user="root", autocommit=True)
        try:
            with conn.cursor() as cur:
                for sql in statements:
                    cur.execute(sql)
        finally:
            conn.close()

    def create_database(self) -> str:
        name = "lindos_" + uuid.uuid4().hex[:10]
        self.admin(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        return f"mysql://lindos:lindos@{LOOPBACK}:{self.port}/{name}?charset=utf8mb4"

    def cleanup(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class RedisServer:
    """A Redis server of our own that keeps nothing on disk, so a restart
    loses every queued message (which is what the sweep must survive)."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise FileNotFoundError("redis-server not found; run scripts/install-test-deps")
        self.dir = _private_dir("lindos-redis-")
        self.log = os.path.join(self.dir, "server.log")
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                LOOPBACK,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
                "--logfile",
                self.log,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port, 30, self.proc, self.log)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            # SIGKILL: no chance to save anything, as if the machine died.
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()

    def flush(self) -> None:
        import redis

        redis.Redis(host=LOOPBACK, port=self.port).flushall()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _session_server(cls):
    try:
        server = cls()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    try:
        server.start()
    except Exception:
        server.cleanup()
        raise
    return server


@pytest.fixture(scope="session")
def postgres_server():
    server = _session_server(PostgresServer)
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def mariadb_server():
    server = _session_server(MariaDBServer)
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def redis_server():
    server = _session_server(RedisServer)
    yield server
    server.cleanup()


@pytest.fixture
def fresh_redis(redis_server):
    """The session's Redis, running and empty."""
    if redis_server.proc is None or redis_server.proc.poll() is not None:
        redis_server.start()
    redis_server.flush()
    return redis_server


DATABASE_KINDS = ["sqlite", "postgresql", "mariadb"]


@pytest.fixture(params=DATABASE_KINDS)
def database_url(request, tmp_path):
    """A fresh empty database of each supported kind, as ``sqlalchemy.url``."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/lindos.db?timeout=60"
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_server").create_database()
    return request.getfixturevalue("mariadb_server").create_database()
