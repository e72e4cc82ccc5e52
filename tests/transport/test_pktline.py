from lindos.transport.pktline import FLUSH, CommandSniffer, PushCommand, pkt_line

OLD, NEW = "1" * 40, "2" * 40


def test_pkt_line_length_counts_itself():
    assert pkt_line(b"# service=git-upload-pack\n") == b"001e# service=git-upload-pack\n"


def test_sniffer_collects_commands_split_anywhere_and_passes_bytes_through():
    request = (
        pkt_line(f"shallow {OLD}".encode())
        + pkt_line(f"{OLD} {NEW} refs/heads/main\0report-status side-band-64k\n".encode())
        + pkt_line(f"{'0' * 40} {NEW} refs/heads/feature/x\n".encode())
        + FLUSH
        + b"PACK\x00\x00\x00\x020000garbage that looks like pkt-lines"
    )
    for size in (1, 3, 7, 64, len(request)):
        sniffer = CommandSniffer(request[i : i + size] for i in range(0, len(request), size))
        assert b"".join(sniffer) == request
        assert sniffer.commands == [
            PushCommand(OLD, NEW, "refs/heads/main"),
            PushCommand("0" * 40, NEW, "refs/heads/feature/x"),
        ]


def test_sniffer_tolerates_garbage():
    sniffer = CommandSniffer([b"not a pkt line at all"])
    assert b"".join(sniffer) == b"not a pkt line at all"
    assert sniffer.commands == []
