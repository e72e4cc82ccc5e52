"""``lindos send-test-email ADDRESS``: send a test email through the outbox.

The mail is queued and delivered at once, exactly as the admin page does; on
success the SMTP server's answer is printed, on failure the error, with a
non-zero exit status.
"""

NAME = "send-test-email"
HELP = "send a test email through the outbox and show the SMTP server's answer"


def add_arguments(parser):
    parser.add_argument("address", metavar="ADDRESS", help="where to send the test email")


def run(args):
    from lindos.cli import CommandError
    from lindos.notifications.testmail import send_test_mail

    config = args.lindos_config
    try:
        result = send_test_mail(args.address, config=config)
    except ValueError as exc:
        raise CommandError(str(exc))
    server = f"{config.smtp_server}:{config.smtp_port}" if config.smtp_server else "(no smtp_server)"
    if not result.ok:
        raise CommandError(
            f"test email to {result.address} not sent via {server}: "
            f"{result.error} (outbox mail #{result.row_id} is {result.state})"
        )
    print(f"Test email to {result.address} sent via {server}: {result.reply}")
    return 0
