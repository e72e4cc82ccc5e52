"""What a login through an outside source can answer besides yes and no."""


class LoginUnavailable(Exception):
    """The source could not be asked (server down, refused Lindos's own
    bind): no secret was checked, so this is not a failed attempt.
    ``str()`` is the message for the person logging in."""
