"""Server memory while many clients download one big file.

    python bench/raw_memory.py [--size-mb 50] [--clients 16] [--kind git|hg|both]

Sets up a throw-away Lindos in a temporary folder (its own INI, ``lindos
db-upgrade``, an admin, a repository holding one file of ``--size-mb`` MB
registered by ``lindos repo-scan``), starts ``lindos serve`` on a free port,
and has ``--clients`` threads download ``/REPO/raw/tip/big.bin`` at once,
each reading the answer to the end. Prints the server process's resident
memory (VmRSS) before and after, and its peak (VmHWM) during the downloads,
as Markdown table rows for bench/README.md. Nothing is left running; the
temporary folder is removed.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from lindos.vcs.testing import make_git_repo, make_hg_repo  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LINDOS_"))}
ENV.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C")


def lindos(*args: str, config: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "lindos", *args],
        env=dict(ENV, LINDOS_CONFIG=config),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def big_content(size: int) -> bytes:
    """Incompressible-looking but deterministic bytes (no NUL in the head,
    so it is served as text, the worst case for sniffing)."""
    block = hashlib.sha256(b"lindos").hexdigest().encode() * 2048  # 128 KiB
    return (block * (size // len(block) + 1))[:size]


def setup(home: str, size: int, kinds: list[str]) -> str:
    config = os.path.join(home, "lindos.ini")
    subprocess.run(
        [sys.executable, "-m", "lindos", "config-create", config],
        env=ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    data = big_content(size)
    for kind in kinds:
        make = make_git_repo if kind == "git" else make_hg_repo
        make(
            os.path.join(home, "repos", f"big-{kind}"),
            [{"message": "A big file", "files": {"big.bin": data}}],
        )
    lindos("db-upgrade", config=config)
    lindos(
        "create-user",
        "--username",
        "admin",
        "--email",
        "admin@example.com",
        "--password",
        "bench-Password-1",
        "--admin",
        config=config,
    )
    lindos("repo-scan", config=config)
    return config


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in MiB."""
    result = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                result[key] = int(value.split()[0]) // 1024
    return result


def download(port: int, path: str, sizes: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", path)
    response = conn.getresponse()
    got = 0
    while chunk := response.read(1 << 16):
        got += len(chunk)
    sizes.append(got if response.status == 200 else -response.status)
    conn.close()


def start_server(config: str) -> tuple[subprocess.Popen, int]:
    server = subprocess.Popen(
        [sys.executable, "-m", "lindos", "serve", "--port", "0", "--threads", "16"],
        env=dict(ENV, LINDOS_CONFIG=config),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = server.stdout.readline()  # "Lindos is running at http://localhost:PORT/"
    port = int(line.rsplit(":", 1)[1].strip("/\n"))
    return server, port


def run(config: str, kind: str, clients: int, size: int) -> str:
    server, port = start_server(config)
    try:
        path = f"/big-{kind}/raw/tip/big.bin"
        download(port, f"/big-{kind}/summary", [])  # warm up: imports, templates
        before = memory(server.pid)
        sizes: list[int] = []
        threads = [threading.Thread(target=download, args=(port, path, sizes)) for _ in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        after = memory(server.pid)
        ok = sizes == [size] * clients
        return (
            f"| {kind} | {clients} x {size // 10**6} MB | {before['VmRSS']} | "
            f"{after['VmHWM']} | {after['VmRSS']} | {seconds:.1f} | {'yes' if ok else sizes} |"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--kind", choices=("git", "hg", "both"), default="both")
    args = parser.parse_args()
    kinds = ["git", "hg"] if args.kind == "both" else [args.kind]
    size = args.size_mb * 10**6
    home = tempfile.mkdtemp(prefix="lindos-bench-raw-")
    try:
        config = setup(home, size, kinds)
        print(
            "| repository | downloads | RSS before MiB | peak MiB | RSS after MiB | seconds | all complete |"
        )
        print("|---|---|---:|---:|---:|---:|:-:|")
        for kind in kinds:
            print(run(config, kind, args.clients, size), flush=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
