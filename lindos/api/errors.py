"""The error words of the API, Kallithea's where Kallithea has them.

``JSONRPCError`` carries the message put in the answer's ``error``; the
helpers below are the lookups every method family shares, each failing
with Kallithea's sentence for the same fault.
"""

from __future__ import annotations


class JSONRPCError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


# Lindos's own sentences (Kallithea has no such fault, or answers it with a
# bare "Internal server error"); documented in the README.
NEEDS_ADMIN = "no permission to call `%s`: it needs admin rights"
WRONG_TYPE = "Invalid type for `%s` arg in JSON DATA: expected %s"
