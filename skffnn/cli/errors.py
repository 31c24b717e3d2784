"""The one error the command reports without a traceback."""


class CommandError(Exception):
    """Bad arguments or unusable data: printed as one line, exit status 2."""
