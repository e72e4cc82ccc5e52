from tests.smtpd import smtp_server_factory, smtpd  # noqa: F401
