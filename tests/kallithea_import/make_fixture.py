"""Make the Kallithea fixtures with the real Kallithea 0.7.0.

Run with the Python of a virtualenv holding ``kallithea==0.7.0`` (Kallithea
runs on Python 3.6 to 3.9, not on Lindos's), from the repository root:

    /path/to/kallithea-venv/bin/python tests/kallithea_import/make_fixture.py sqlite
    /path/to/kallithea-venv/bin/python tests/kallithea_import/make_fixture.py postgres \
        --db-url postgresql://USER@127.0.0.1:PORT/DB
    /path/to/kallithea-venv/bin/python tests/kallithea_import/make_fixture.py mysql \
        --db-url mysql+pymysql://USER:PW@127.0.0.1:PORT/DB?charset=utf8mb4

It creates a Kallithea installation in a temporary folder
(``kallithea-cli config-create`` and ``db-create``), starts Kallithea's own
server on a loopback port, and fills it only the way a user would: through
the JSON-RPC API, the web forms (a cookie session with the CSRF token) and
pushes with the real git and hg clients.  It then writes, under
``tests/kallithea_import/fixtures/<engine>/``:

* ``kallithea.sqlite`` (or ``kallithea.sql``, the plain SQL of ``pg_dump``
  or ``mariadb-dump``),
* ``repos.tar.gz``, Kallithea's repository folder,
* ``manifest.json``, what the tests check that cannot be read back from the
  database: the passwords, and which objects mean what.

Commits are made with fixed names and dates, so both fixtures hold the same
changeset hashes.  Only the standard library is used here.

The virtualenv: ``pip install 'pip<24' 'setuptools<58'``, then
``pip install kallithea==0.7.0 'MarkupSafe<2' psycopg2-binary 'PyMySQL<1.1'``
(with MarkupSafe 2 or later Kallithea's mail for an inline comment fails).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)

PASSWORDS = {
    "admin": "Admin-pass-1",
    "alice": "alice-pass-1",
    "bob": "bob-pass-12",
    "carol": "carol-pass-1",
    "dave": "dave-pass-1",
    "erin": "erin-päss-1",
}
DATE = "2021-03-04T05:06:07+0000"
HG_DATE = "2021-03-04 05:06:07 +0000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*cmd, cwd=None, env=None):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


class Kallithea:
    """A running Kallithea, its API and one web session per user."""

    def __init__(self, base: str):
        self.base = base
        self.api_key = None
        self.sessions = {}

    def api(self, method, key=None, **args):
        body = json.dumps({"id": 1, "api_key": key or self.api_key, "method": method, "args": args}).encode()
        req = urllib.request.Request(
            f"{self.base}/_admin/api", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req) as resp:
            answer = json.loads(resp.read())
        if answer.get("error"):
            raise RuntimeError(f"{method}{args}: {answer['error']}")
        return answer["result"]

    def login(self, username):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.sessions[username] = opener
        token = self._token(username)
        self.post(username, "/_admin/login", {"username": username, "password": PASSWORDS[username]}, token)
        return opener

    def _token(self, username):
        with self.sessions[username].open(f"{self.base}/_admin/session_csrf_secret_token") as resp:
            return resp.read().decode().strip()

    def post(self, username, path, fields, token=None, xhr=False):
        token = token or self._token(username)
        data = urllib.parse.urlencode({**fields, "_session_csrf_secret_token": token}, doseq=True).encode()
        headers = {"X-Partial-XHR": "1"} if xhr else {}
        req = urllib.request.Request(f"{self.base}{path}", data=data, headers=headers)
        try:
            with self.sessions[username].open(req) as resp:
                body = resp.read().decode()
                url = resp.geturl()
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"POST {path} as {username}: {exc.code} {exc.read()[:300]!r}")
        if "alert-danger" in body or "error-message" in body:
            raise RuntimeError(f"POST {path} as {username}: the page shows an error")
        return url, body

    def comment(self, username, repo, revision, text, *, f_path="", line="", status=""):
        _, body = self.post(
            username,
            f"/{repo}/changeset-comment/{revision}",
            {"text": text, "f_path": f_path, "line": line, "changeset_status": status},
            xhr=True,
        )
        return json.loads(body)["comment_id"]

    def pr_comment(self, username, repo, pr_id, text, *, f_path="", line="", status="", close=False):
        fields = {"text": text, "f_path": f_path, "line": line, "changeset_status": status}
        if close:
            fields["save_close"] = "close"
        _, body = self.post(username, f"/{repo}/pull-request-comment/{pr_id}", fields, xhr=True)
        return json.loads(body)["comment_id"]


def git(*args, cwd, name="Alice Liddell", email="alice@example.com"):
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_AUTHOR_DATE=DATE,
        GIT_COMMITTER_DATE=DATE,
        GIT_TERMINAL_PROMPT="0",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=cwd,
    )
    out = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def hg(*args, cwd):
    env = dict(os.environ, HGPLAIN="1", HGRCPATH="", HGUSER="Bob Builder <bob@example.com>")
    out = subprocess.run(
        [os.path.join(BIN, "hg"), *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout.strip()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def ssh_public_key(work, name) -> str:
    path = os.path.join(work, f"id_{name}")
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", path)
    with open(path + ".pub") as fh:
        return fh.read().strip()


def populate(k: Kallithea, work: str, manifest: dict):
    base = k.base
    users = {}
    for username, first, last, email, admin, active in [
        ("alice", "Alice", "Liddell", "alice@example.com", False, True),
        ("bob", "Bob", "Builder", "bob@example.com", False, True),
        ("carol", "Carol", "Inactive", "carol@example.com", False, False),
        ("dave", "Dave", "Admin", "dave@example.com", True, True),
        ("erin", "Érin", "Ünïcode <b>", "Erin@Example.com", False, True),
    ]:
        users[username] = k.api(
            "create_user",
            username=username,
            email=email,
            password=PASSWORDS[username],
            firstname=first,
            lastname=last,
            active=active,
            admin=admin,
        )["user"]
    ids = {name: u["user_id"] for name, u in users.items()}
    ids["admin"] = k.api("get_user", userid="admin")["user_id"]
    for name in ("admin", "alice", "bob", "dave", "erin"):
        k.login(name)

    # Extra addresses, extra API keys and SSH keys, through the admin's pages.
    k.post("admin", f"/_admin/users/{ids['alice']}/edit/emails", {"new_email": "alice@wonderland.example"})
    k.post("admin", f"/_admin/users/{ids['bob']}/edit/emails", {"new_email": "bob@builders.example"})
    k.post("alice", "/_admin/my_account/api_keys", {"description": "CI bot", "lifetime": "-1"})
    k.post("alice", "/_admin/my_account/api_keys", {"description": "expires soon", "lifetime": "10080"})
    k.post("admin", f"/_admin/users/{ids['bob']}/edit/api_keys", {"description": "expired", "lifetime": "1"})
    for name in ("alice", "bob"):
        k.post(
            name,
            "/_admin/my_account/ssh_keys",
            {"description": f"{name}'s laptop", "public_key": ssh_public_key(work, name)},
        )

    # Groups.
    k.api("create_user_group", group_name="developers", description="People who write code", owner="admin")
    k.api("create_user_group", group_name="reviewers", description="", owner="alice", active=False)
    for user in ("alice", "bob"):
        k.api("add_user_to_user_group", usergroupid="developers", userid=user)
    k.api("add_user_to_user_group", usergroupid="reviewers", userid="carol")
    k.api("create_repo_group", group_name="projects", description="Our projects", owner="admin")
    k.api("create_repo_group", group_name="web", description="Web sites", owner="bob", parent="projects")

    # Repositories.
    k.api(
        "create_repo",
        repo_name="gitrepo",
        repo_type="git",
        owner="alice",
        description="Alice's git repository",
    )
    k.api(
        "create_repo",
        repo_name="projects/hgrepo",
        repo_type="hg",
        owner="bob",
        description="Bob's hg repository",
        private=True,
    )
    k.api(
        "create_repo",
        repo_name="projects/web/site",
        repo_type="git",
        owner="admin",
        description="The web site",
        landing_rev="branch:master",
    )
    k.api("create_repo", repo_name="empty-hg", repo_type="hg", owner="dave", description="")

    # Pushes with the real clients.
    auth = lambda user: base.replace("://", f"://{user}:{urllib.parse.quote(PASSWORDS[user])}@")  # noqa: E731
    gw = os.path.join(work, "gitwork")
    git("clone", f"{auth('alice')}/gitrepo", gw, cwd=work)
    write(f"{gw}/README", "Hello\nWorld\n")
    git("add", "README", cwd=gw)
    git("commit", "-m", "Add README", cwd=gw)
    write(f"{gw}/src/app.py", "print('hello')\n")
    git("add", "src/app.py", cwd=gw)
    git("commit", "-m", "Add the app", cwd=gw)
    git("push", "origin", "HEAD:refs/heads/master", cwd=gw)
    git_master = git("rev-parse", "HEAD", cwd=gw)
    git_first = git("rev-parse", "HEAD~1", cwd=gw)
    git("checkout", "-b", "feature", cwd=gw)
    write(f"{gw}/src/app.py", "print('hello')\nprint('feature')\n")
    git("commit", "-am", "Add the feature", cwd=gw)
    git("push", "origin", "feature", cwd=gw)
    git_feature = git("rev-parse", "HEAD", cwd=gw)
    git("checkout", "-b", "doomed", "master", cwd=gw)
    write(f"{gw}/doomed.txt", "doomed\n")
    git("add", "doomed.txt", cwd=gw)
    git("commit", "-m", "A doomed change", cwd=gw)
    git("push", "origin", "doomed", cwd=gw)
    git_doomed = git("rev-parse", "HEAD", cwd=gw)

    sw = os.path.join(work, "sitework")
    git("clone", f"{auth('admin')}/projects/web/site", sw, cwd=work)
    write(f"{sw}/index.html", "<h1>Site</h1>\n")
    git("add", "index.html", cwd=sw)
    git("commit", "-m", "Site", cwd=sw)
    git("push", "origin", "HEAD:refs/heads/master", cwd=sw)

    hw = os.path.join(work, "hgwork")
    hg("clone", f"{auth('bob')}/projects/hgrepo", hw, cwd=work)
    write(f"{hw}/hello.txt", "one\ntwo\nthree\n")
    hg("add", "hello.txt", cwd=hw)
    hg("commit", "-m", "First hg change", "-d", HG_DATE, cwd=hw)
    hg("branch", "stable", cwd=hw)
    write(f"{hw}/hello.txt", "one\ntwo\nthree\nfour\n")
    hg("commit", "-m", "Stable fix", "-d", HG_DATE, cwd=hw)
    hg("push", "--new-branch", f"{auth('bob')}/projects/hgrepo", cwd=hw)
    hg_default = hg("log", "-r", "default", "-T", "{node}", cwd=hw)
    hg_stable = hg("log", "-r", "stable", "-T", "{node}", cwd=hw)

    # A fork of gitrepo, by bob, with its own branch.
    k.api("fork_repo", repoid="gitrepo", fork_name="gitrepo-fork", owner="bob", description="Bob's fork")
    fw = os.path.join(work, "forkwork")
    git("clone", f"{auth('bob')}/gitrepo-fork", fw, cwd=work)
    git("checkout", "-b", "fix", "origin/master", cwd=fw)
    write(f"{fw}/README", "Hello\nWorld!\n")
    git("commit", "-am", "Fix the greeting", cwd=fw, name="Bob Builder", email="bob@example.com")
    git("push", "origin", "fix", cwd=fw)
    fork_fix = git("rev-parse", "HEAD", cwd=fw)

    # Permissions.
    k.api("grant_user_permission", repoid="gitrepo", userid="bob", perm="repository.write")
    k.api("grant_user_permission", repoid="gitrepo", userid="carol", perm="repository.none")
    k.api("grant_user_permission", repoid="projects/hgrepo", userid="alice", perm="repository.read")
    k.api("grant_user_permission", repoid="projects/hgrepo", userid="erin", perm="repository.admin")
    k.api("grant_user_permission", repoid="projects/web/site", userid="default", perm="repository.none")
    k.api(
        "grant_user_group_permission",
        repoid="projects/web/site",
        usergroupid="developers",
        perm="repository.write",
    )
    k.api("grant_user_permission_to_repo_group", repogroupid="projects", userid="bob", perm="group.write")
    k.api(
        "grant_user_group_permission_to_repo_group",
        repogroupid="projects/web",
        usergroupid="developers",
        perm="group.read",
    )

    # Changeset comments, through the changeset page's form (on branch heads:
    # Kallithea's mail for a comment on another git changeset fails).
    c_general = k.comment("bob", "gitrepo", git_master, "Looks good to me.", status="approved")
    c_inline = k.comment(
        "bob", "gitrepo", git_master, "Typo: *Hello* or **hello**?", f_path="README", line="n1"
    )
    c_deleted = k.comment("alice", "gitrepo", git_master, "I will delete this one.")
    k.post("alice", f"/gitrepo/changeset-comment/{c_deleted}/delete", {}, xhr=True)
    c_old_side = k.comment(
        "alice", "gitrepo", git_feature, "Why was this changed?", f_path="src/app.py", line="o1"
    )
    c_reply = k.comment("alice", "gitrepo", git_master, "Both work <script>alert(1)</script> & fine.")
    c_hg = k.comment("alice", "projects/hgrepo", hg_default, "hg comment", status="under_review")
    c_hg2 = k.comment("erin", "projects/hgrepo", hg_default, "Not yet.", status="rejected")

    # Pull requests, through the pull request form; the first is deleted, so
    # the numbers that remain do not start at 1.
    def open_pr(user, repo, org_repo, org_ref, other_ref, title, desc):
        url, _ = k.post(
            user,
            f"/{repo}/pull-request/new",
            {
                "org_repo": org_repo,
                "org_ref": org_ref,
                "other_repo": repo,
                "other_ref": other_ref,
                "pullrequest_title": title,
                "pullrequest_desc": desc,
            },
        )
        return int(url.split("/pull-request/")[1].split("/")[0])

    pr_doomed = open_pr(
        "alice",
        "gitrepo",
        "gitrepo",
        f"branch:doomed:{git_doomed}",
        f"branch:master:{git_master}",
        "Doomed",
        "",
    )
    k.post("alice", f"/gitrepo/pull-request/{pr_doomed}/delete", {})
    pr_git = open_pr(
        "alice",
        "gitrepo",
        "gitrepo",
        f"branch:feature:{git_feature}",
        f"branch:master:{git_master}",
        "Add the feature",
        "It adds the **feature**.\n\nSecond paragraph.",
    )
    k.api("edit_reviewers", key=None, pull_request_id=pr_git, add=["bob", "dave"])
    p1 = k.pr_comment("bob", "gitrepo", pr_git, "Please add a test.", status="rejected")
    p2 = k.pr_comment("bob", "gitrepo", pr_git, "Inline on the feature.", f_path="src/app.py", line="n2")
    p3 = k.pr_comment("alice", "gitrepo", pr_git, "Done, see the new line.")
    p4 = k.pr_comment("bob", "gitrepo", pr_git, "Good now.", status="approved")
    pr_hg = open_pr(
        "bob",
        "projects/hgrepo",
        "projects/hgrepo",
        f"branch:stable:{hg_stable}",
        f"branch:default:{hg_default}",
        "Stable fix",
        "Merge the stable fix",
    )
    k.api("edit_reviewers", pull_request_id=pr_hg, add="alice")
    p5 = k.pr_comment("alice", "projects/hgrepo", pr_hg, "Approved.", status="approved")
    p6 = k.pr_comment("bob", "projects/hgrepo", pr_hg, "Merged by hand, closing.", close=True)
    pr_fork = open_pr(
        "bob",
        "gitrepo",
        "gitrepo-fork",
        f"branch:fix:{fork_fix}",
        f"branch:master:{git_master}",
        "Fix the greeting",
        "",
    )
    p7 = k.pr_comment("dave", "gitrepo", pr_fork, "Under review.", status="under_review")

    # Following (journal): dave follows gitrepo (owners follow their own
    # repositories already), bob follows alice.
    repo_id = k.api("get_repo", repoid="gitrepo")["repo_id"]
    k.post("dave", "/_admin/toggle_following", {"follows_repository_id": repo_id}, xhr=True)
    k.post("bob", "/_admin/toggle_following", {"follows_user_id": ids["alice"]}, xhr=True)

    # Site settings and the global defaults, through the admin's forms.
    k.post(
        "admin",
        "/_admin/settings/global",
        {
            "title": "Example Kallithea",
            "realm": "Example realm",
            "ga_code": "",
            "captcha_public_key": "",
            "captcha_private_key": "",
        },
    )
    k.post(
        "admin",
        "/_admin/permissions",
        {
            "anonymous": "",  # anonymous access off
            "default_repo_perm": "repository.read",
            "default_group_perm": "group.read",
            "default_user_group_perm": "usergroup.read",
            "default_repo_create": "hg.create.none",
            "default_user_group_create": "hg.usergroup.create.false",
            "default_fork": "hg.fork.repository",
            "default_register": "hg.register.auto_activate",
            "default_extern_activate": "hg.extern_activate.manual",
        },
    )
    ldap = {
        "auth_plugins": "kallithea.lib.auth_modules.auth_internal,kallithea.lib.auth_modules.auth_ldap",
        "auth_ldap_enabled": "True",
        "auth_ldap_host": "ldap.example.com",
        "auth_ldap_port": "389",
        "auth_ldap_dn_user": "cn=reader,dc=example,dc=com",
        "auth_ldap_dn_pass": "reader-secret",
        "auth_ldap_tls_kind": "PLAIN",
        "auth_ldap_tls_reqcert": "DEMAND",
        "auth_ldap_cacertdir": "",
        "auth_ldap_base_dn": "ou=people,dc=example,dc=com",
        "auth_ldap_filter": "(objectClass=person)",
        "auth_ldap_search_scope": "SUBTREE",
        "auth_ldap_attr_login": "uid",
        "auth_ldap_attr_firstname": "givenName",
        "auth_ldap_attr_lastname": "sn",
        "auth_ldap_attr_email": "mail",
        "auth_internal_enabled": "True",
    }
    try:
        # The plugin's settings are accepted once the plugin is enabled.
        k.post(
            "admin", "/_admin/auth", {"auth_plugins": ldap["auth_plugins"], "auth_internal_enabled": "True"}
        )
        k.post("admin", "/_admin/auth", ldap)
        ldap_saved = True
    except RuntimeError as exc:  # python-ldap is not installed in the venv
        print("LDAP settings not saved:", exc)
        ldap_saved = False

    manifest.update(
        passwords=PASSWORDS,
        user_ids=ids,
        revisions={
            "git_first": git_first,
            "git_master": git_master,
            "git_feature": git_feature,
            "git_doomed": git_doomed,
            "fork_fix": fork_fix,
            "hg_default": hg_default,
            "hg_stable": hg_stable,
        },
        pull_requests={"deleted": pr_doomed, "git": pr_git, "hg": pr_hg, "fork": pr_fork},
        comments={
            "general": c_general,
            "inline": c_inline,
            "deleted": c_deleted,
            "old_side": c_old_side,
            "markup": c_reply,
            "hg": c_hg,
            "hg_rejected": c_hg2,
            "pr": [p1, p2, p3, p4, p5, p6, p7],
        },
        ldap_saved=ldap_saved,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("engine", choices=["sqlite", "postgres", "mysql"])
    parser.add_argument("--db-url", help="an empty PostgreSQL or MySQL database, as sqlalchemy.url")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    out = os.path.join(HERE, "fixtures", args.engine)
    work = tempfile.mkdtemp(prefix="kallithea-fixture-")
    port = free_port()
    ini = os.path.join(work, "kallithea.ini")
    repos = os.path.join(work, "repos")
    os.makedirs(repos)
    cli = os.path.join(BIN, "kallithea-cli")
    run(
        cli,
        "config-create",
        ini,
        "host=127.0.0.1",
        f"port={port}",
        "http_server=waitress",
        f"database_engine={args.engine}",
        f"git_hook_interpreter={sys.executable}",
    )
    with open(ini) as fh:
        text = fh.read()
    # SSH keys are only offered with SSH on; the keys file stays in the work folder.
    text = text.replace("ssh_enabled = false", "ssh_enabled = true")
    text = text.replace("\nssh_authorized_keys = ", f"\nssh_authorized_keys = {work}/authorized_keys\n#")
    if args.engine != "sqlite":
        if not args.db_url:
            parser.error(f"{args.engine} needs --db-url")
        text = text.replace("postgresql://kallithea:password@localhost/kallithea", args.db_url)
        text = text.replace("mysql://kallithea:password@localhost/kallithea?charset=utf8mb4", args.db_url)
    with open(ini, "w") as fh:
        fh.write(text)
    run(
        cli,
        "db-create",
        "-c",
        ini,
        "--user",
        "admin",
        "--password",
        PASSWORDS["admin"],
        "--email",
        "admin@example.com",
        "--repos",
        repos,
        "--force-yes",
    )
    run(cli, "front-end-build", "--no-install-deps") if False else None
    server = subprocess.Popen(
        [os.path.join(BIN, "gearbox"), "serve", "-c", ini],
        cwd=work,
        stdout=open(os.path.join(work, "server.log"), "w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/_admin/login").read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        k = Kallithea(base)
        k.login("admin")
        # The admin's API key, from the admin's own page.
        k.api_key = _admin_api_key(k)
        manifest = {"kallithea_version": "0.7.0", "engine": args.engine, "base_path": repos}
        populate(k, work, manifest)
    finally:
        server.terminate()
        server.wait()
    os.makedirs(out, exist_ok=True)
    if args.engine == "sqlite":
        shutil.copy(os.path.join(work, "kallithea.db"), os.path.join(out, "kallithea.sqlite"))
    else:
        if args.engine == "postgres":
            cmd = ["pg_dump", "--no-owner", "--no-privileges", "--no-comments", args.db_url]
        else:
            u = urllib.parse.urlsplit(args.db_url)
            cmd = ["mariadb-dump", "--skip-comments", "--skip-dump-date", "-h", u.hostname, "-P", str(u.port)]
            cmd += ["-u", u.username, f"-p{u.password}", u.path.lstrip("/")]
        dump = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        with open(os.path.join(out, "kallithea.sql"), "w") as fh:
            fh.write(dump)
    with tarfile.open(os.path.join(out, "repos.tar.gz"), "w:gz") as tar:
        tar.add(repos, arcname="repos", filter=_reset_tarinfo)
    with open(os.path.join(out, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")
    if args.keep:
        print("kept", work)
    else:
        shutil.rmtree(work)
    print("wrote", out)


def _admin_api_key(k: Kallithea) -> str:
    with k.sessions["admin"].open(f"{k.base}/_admin/my_account/api_keys") as resp:
        page = resp.read().decode()
    import re

    return re.search(r"\b([0-9a-f]{40})\b", page).group(1)


def _reset_tarinfo(info):
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mtime = 1614834367
    return info


if __name__ == "__main__":
    main()
