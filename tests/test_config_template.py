"""The file config-create writes, built from the key table."""

import configparser
import re

from lindos.cli.config_create import render_config
from lindos.config import load_config
from lindos.config_keys import COMMENTED, KEYS, LIVE, OMITTED
from lindos.config_template import build_template

KEY_LINE = re.compile(r"^(#?)((?:set )?[\w.]+) = ?(.*)$")


def _key_lines(text):
    """(section, commented, name, value) of every key line, commented or not."""
    section = None
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif section in ("DEFAULT", "server:main", "app:main"):
            match = KEY_LINE.match(line)
            if match:
                yield section, match.group(1) == "#", match.group(2), match.group(3)


def test_the_template_writes_each_key_of_the_table_and_no_other():
    lines = {
        (section, name): (commented, value)
        for section, commented, name, value in _key_lines(build_template())
    }
    expected = {}
    for key in KEYS:
        if key.write == OMITTED:
            continue
        value = key.default if key.example is None else key.example
        expected[(key.section, key.written_as or key.name)] = (key.write == COMMENTED, value)
    expected[("app:main", "use")] = (False, "egg:lindos")  # PasteDeploy's entry point
    assert lines == expected
    assert sum(1 for k in KEYS if k.write == LIVE) >= 8


def test_the_written_file_parses_as_ini_and_loads(tmp_path):
    text = render_config({})
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    assert parser.sections()[:2] == ["server:main", "app:main"]
    assert "{secret}" not in text
    path = tmp_path / "lindos.ini"
    path.write_text(text)
    assert load_config(str(path)).server_port == 5000


def test_uncommenting_every_example_and_default_gives_a_valid_file(tmp_path):
    """Each commented line is an example an operator may uncomment."""
    text = render_config({})
    uncommented = []
    for line in text.splitlines():
        match = KEY_LINE.match(line)
        if match and match.group(1) == "#":
            line = line[1:]
        uncommented.append(line)
    path = tmp_path / "lindos.ini"
    path.write_text("\n".join(uncommented) + "\n")
    cfg = load_config(str(path))
    assert cfg.smtp_server == "mail.example.com"
    assert cfg.celery["worker_prefetch_multiplier"] == "1"
    assert cfg.server_proxy == {"trusted_proxy": "127.0.0.1", "trusted_proxy_headers": "x-forwarded-for"}


def test_a_commented_default_is_the_default_lindos_takes(tmp_path):
    """Uncommenting a line that shows a default changes nothing."""
    text = render_config({"canonical_url": "http://localhost:5000"})
    plain = tmp_path / "plain.ini"
    plain.write_text(text)
    lines = []
    examples = {k.written_as or k.name for k in KEYS if k.example is not None}
    for line in text.splitlines():
        match = KEY_LINE.match(line)
        if match and match.group(1) == "#" and match.group(2) not in examples:
            line = line[1:]
        lines.append(line)
    uncommented = tmp_path / "uncommented.ini"
    uncommented.write_text("\n".join(lines) + "\n")
    a, b = load_config(str(plain)), load_config(str(uncommented))
    differing = [
        f
        for f in a.__dataclass_fields__
        if f not in ("path", "raw", "celery") and getattr(a, f) != getattr(b, f)
    ]
    assert differing == []
    # celery.* keys are handed on as written; the one Lindos reads keeps its default.
    from lindos.celery_app import sweep_seconds

    assert sweep_seconds(a.celery) == sweep_seconds(b.celery) == 60
