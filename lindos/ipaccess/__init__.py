"""Allowed networks: which client addresses an account may be used from
(Kallithea's ``user_ip_map``). See ``access`` for the rule."""
