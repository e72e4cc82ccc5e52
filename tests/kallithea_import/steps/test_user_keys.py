import datetime

from lindos.kallithea_import.steps.user_keys import expiry


def test_expiry():
    assert expiry(-1) is None and expiry(-1.0) is None and expiry(None) is None
    assert expiry(1614834367.5) == datetime.datetime(2021, 3, 4, 5, 6, 7, 500000, datetime.UTC)
