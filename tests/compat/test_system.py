"""Admin > Settings > System information."""

import platform

import django

from lindos.compat.system import build_system_info


def test_build_system_info_names_the_versions(settings):
    rows = dict(build_system_info())
    assert rows["Python"].startswith(platform.python_version())
    assert rows["Django"] == django.get_version()
    assert rows["git"][0].isdigit()
    assert rows["Mercurial"][0].isdigit()
    assert rows["Repositories"] == settings.LINDOS.base_path


def test_page(client, site):
    client.force_login(site.admin)
    page = client.get("/_admin/settings/system").content.decode()
    assert f'<th>Django</th><td class="mono">{django.get_version()}</td>' in page
