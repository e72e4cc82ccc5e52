import gzip
import io

import pytest

from lindos.transport.body import BodyError, request_body


def environ(data, **extra):
    return {"wsgi.input": io.BytesIO(data), **extra}


def test_content_length_reads_exactly_that_much():
    assert b"".join(request_body(environ(b"hello world", CONTENT_LENGTH="5"))) == b"hello"


def test_short_body_stops_without_error():
    assert b"".join(request_body(environ(b"abc", CONTENT_LENGTH="10"))) == b"abc"


def test_chunked_framing_is_decoded():
    raw = b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nGARBAGE"
    assert b"".join(request_body(environ(raw, HTTP_TRANSFER_ENCODING="chunked"))) == b"hello world"


def test_bad_chunk_size_is_an_error():
    with pytest.raises(BodyError):
        b"".join(request_body(environ(b"zz\r\n", HTTP_TRANSFER_ENCODING="chunked")))


def test_input_terminated_reads_to_eof():
    assert b"".join(request_body(environ(b"all of it", **{"wsgi.input_terminated": True}))) == b"all of it"


def test_no_length_no_chunking_means_empty():
    assert b"".join(request_body(environ(b"ignored"))) == b""


def test_gzip_is_inflated_in_pieces():
    data = b"0032want " + b"a" * 40 + b"\n" * 1000
    packed = gzip.compress(data)
    chunked = (
        b"".join(
            b"%x\r\n%s\r\n" % (len(packed[i : i + 7]), packed[i : i + 7]) for i in range(0, len(packed), 7)
        )
        + b"0\r\n\r\n"
    )
    body = request_body(environ(chunked, HTTP_TRANSFER_ENCODING="chunked", HTTP_CONTENT_ENCODING="gzip"))
    assert b"".join(body) == data


def test_bad_gzip_is_an_error():
    with pytest.raises(BodyError):
        b"".join(request_body(environ(b"not gzip", CONTENT_LENGTH="8", HTTP_CONTENT_ENCODING="gzip")))


def test_unknown_content_encoding_is_refused():
    with pytest.raises(BodyError):
        request_body(environ(b"", HTTP_CONTENT_ENCODING="br"))
