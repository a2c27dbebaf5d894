"""Errors raised by the simulation engine."""


class ParameterError(ValueError):
    """A simulation parameter is invalid (negative rate, wrong shape, unknown code, ...).

    The message always names the offending parameter and the rule it breaks, so it can be
    shown to a user unchanged (CLI, API, admin form).
    """
