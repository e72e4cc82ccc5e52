import io

from lindos.kallithea_import.progress import Progress


def test_a_bar_on_a_terminal_and_nothing_elsewhere():
    out = io.StringIO()
    bar = Progress(stream=out, enabled=True, width=10)
    bar.start("comments", 4)
    bar.advance(2)
    bar.finish()
    assert out.getvalue().endswith("\rcomments               [##########] 4/4\n")
    assert "[----------] 0/4" in out.getvalue()
    quiet = io.StringIO()
    silent = Progress(stream=quiet)  # a StringIO is no terminal
    silent.start("x", 3)
    silent.advance()
    silent.finish()
    assert quiet.getvalue() == ""


def test_an_empty_kind_draws_a_full_bar():
    out = io.StringIO()
    bar = Progress(stream=out, enabled=True, width=4)
    bar.start("gists", 0)
    bar.finish()
    assert out.getvalue().endswith("[####] 0/0\n")
