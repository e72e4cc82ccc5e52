"""How long a commit from the browser takes in the VCS layer, git and hg.

    python bench/web_edit.py [--files 5000] [--runs 20]

Builds one repository per backend with ``--files`` files in 50 folders
(one commit, through the real ``git`` and ``hg``), then times
``Repository.commit_files`` editing one file ``--runs`` times in a row,
each on the tip the previous one made (what a web edit does: open the
repository, check the branch, write the commit, move the branch), and
prints the median and the slowest. Compare with the time ``git commit``
or ``hg commit`` of the same change takes in a working copy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from lindos.vcs import open_repository  # noqa: E402
from lindos.vcs.testing import hg_binary, make_git_repo, make_hg_repo  # noqa: E402


def build(kind: str, root: str, files: int) -> str:
    content = {f"dir{n % 50}/file{n}.txt": f"line {n}\n".encode() * 20 for n in range(files)}
    path = os.path.join(root, kind)
    (make_git_repo if kind == "git" else make_hg_repo)(path, [{"message": "import", "files": content}])
    return path


def time_web_edits(path: str, runs: int) -> list[float]:
    times = []
    for run in range(runs):
        start = time.perf_counter()
        repo = open_repository(path)
        branch = repo.default_branch
        repo.commit_files(
            branch=branch,
            parent=repo.branches[branch],
            files={"dir1/file1.txt": f"edit {run}\n".encode()},
            message=f"Edit {run}",
            author="Bench <bench@example.com>",
        )
        times.append(time.perf_counter() - start)
    return times


def time_cli_commit(kind: str, root: str, files: int, runs: int) -> list[float]:
    """The same edit with the tool's own commit, in a working copy."""
    work = os.path.join(root, f"{kind}-work")
    env = {**os.environ, "HGRCPATH": "", "HGUSER": "Bench <b@x>", "GIT_CONFIG_GLOBAL": os.devnull}
    env.update(GIT_AUTHOR_NAME="B", GIT_AUTHOR_EMAIL="b@x", GIT_COMMITTER_NAME="B", GIT_COMMITTER_EMAIL="b@x")
    if kind == "git":
        subprocess.run(["git", "clone", "-q", os.path.join(root, "git"), work], env=env, check=True)
        cmd = ["git", "commit", "-qam"]
    else:
        subprocess.run([hg_binary(), "clone", "-q", os.path.join(root, "hg"), work], env=env, check=True)
        cmd = [hg_binary(), "commit", "-qm"]
    times = []
    for run in range(runs):
        with open(os.path.join(work, "dir1", "file1.txt"), "w") as f:
            f.write(f"cli {run}\n")
        start = time.perf_counter()
        subprocess.run([*cmd, f"cli {run}"], cwd=work, env=env, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        print(f"{args.files} files, {args.runs} edits of one file each; seconds")
        print(f"{'':4} {'web median':>11} {'web max':>8} {'cli median':>11}")
        for kind in ("git", "hg"):
            path = build(kind, root, args.files)
            web = time_web_edits(path, args.runs)
            cli = time_cli_commit(kind, root, args.files, args.runs)
            print(f"{kind:4} {statistics.median(web):11.3f} {max(web):8.3f} {statistics.median(cli):11.3f}")


if __name__ == "__main__":
    main()
