"""The wake-up pipe: another process's byte wakes the matching loop."""

import os
import threading

from lindos.background.crossprocess import MAIL, PREPARE, WakePipe


def test_a_byte_from_another_process_wakes_the_named_loop():
    pipe = WakePipe()
    mail, prepare = threading.Event(), threading.Event()
    pipe.listen({MAIL: mail.set, PREPARE: prepare.set})
    pid = os.fork()
    if pid == 0:
        pipe.sender(PREPARE)()
        os._exit(0)
    os.waitpid(pid, 0)
    assert prepare.wait(10)
    assert not mail.is_set()
    pipe.sender(MAIL)()
    assert mail.wait(10)


def test_a_full_pipe_never_blocks_the_sender():
    pipe = WakePipe()  # nobody listens
    send = pipe.sender(MAIL)
    for _ in range(200_000):  # far more than a pipe's buffer
        send()


def test_the_search_loop_has_its_own_byte():
    from lindos.background.crossprocess import SEARCH, WEBHOOKS

    assert len({MAIL, PREPARE, WEBHOOKS, SEARCH}) == 4
    pipe = WakePipe()
    search, prepare = threading.Event(), threading.Event()
    pipe.listen({SEARCH: search.set, PREPARE: prepare.set})
    pipe.sender(SEARCH)()
    assert search.wait(10)
    assert not prepare.is_set()
