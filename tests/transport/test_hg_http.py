"""The real ``hg`` client against Lindos before it serves Mercurial over
HTTP: every command fails cleanly with Lindos's one-line reason, never
with the summary page's HTML or a server error."""

import logging
import os
import subprocess

import pytest

from lindos.vcs.testing import hg_binary

HG_UNAVAILABLE = 'Mercurial over HTTP is not available yet'


@pytest.fixture
def hg(tmp_path):
    """Run the real hg client with no user or system configuration."""
    env = {**os.environ, 'HGRCPATH': '', 'HGPLAIN': '1', 'HOME': str(tmp_path),
           'HGUSER': 'Tess Ter <tess@example.com>', 'LC_ALL': 'C'}

    def run(*args, cwd=None):
        return subprocess.run([hg_binary(), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120)
    return run


@pytest.mark.parametrize('kind', ['hg', 'git'])
def test_hg_clone_fails_cleanly(make_repo, server_url, hg, tmp_path, caplog, kind):
    make_repo('project', kind=kind)
    # 404s are logged at DEBUG (lindos.logsetup): every request problem is one.
    with caplog.at_level(logging.DEBUG, logger='django.request'):
        proc = hg('clone', f'{server_url}/project', str(tmp_path / 'clone'))
    assert proc.returncode == 255
    assert proc.stderr == f'abort: HTTP Error 404: {HG_UNAVAILABLE}\n'
    assert not (tmp_path / 'clone').exists()
    statuses = [getattr(r, 'status_code', None) for r in caplog.records]
    assert statuses and set(statuses) == {404}, caplog.text
    assert all(r.levelno < logging.WARNING for r in caplog.records), caplog.text


@pytest.mark.parametrize('command', ['pull', 'push', 'incoming', 'outgoing'])
def test_other_hg_commands_fail_cleanly(make_repo, server_url, hg, tmp_path, command):
    make_repo('project', kind='hg')
    work = tmp_path / 'work'
    assert hg('init', str(work)).returncode == 0
    (work / 'a.txt').write_text('a\n')
    hg('commit', '-A', '-m', 'one', cwd=work)
    proc = hg(command, f'{server_url}/project', cwd=work)
    assert proc.returncode == 255  # hg's "abort"
    assert proc.stderr == f'abort: HTTP Error 404: {HG_UNAVAILABLE}\n'


@pytest.mark.parametrize('url', ['/project?cmd=capabilities', '/project/?cmd=heads',
                                 '/private?cmd=capabilities', '/nope?cmd=capabilities'])
def test_cmd_requests_get_the_same_plain_answer(client, make_repo, url):
    make_repo('project', kind='hg')
    make_repo('private', kind='hg', private=True)
    response = client.get(url)
    assert response.status_code == 404
    assert response['Content-Type'] == 'text/plain; charset=utf-8'
    assert response.content.decode() == HG_UNAVAILABLE + '\n'
    assert response.reason_phrase == HG_UNAVAILABLE


def test_the_summary_page_is_unchanged_without_cmd(client, make_repo):
    make_repo('project', kind='hg')
    response = client.get('/project?other=1')
    assert response.status_code == 200
    assert 'text/html' in response['Content-Type']
