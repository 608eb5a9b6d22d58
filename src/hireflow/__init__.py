"""Hireflow: the hiring domain as an SDK.

Importing this package has no side effects: it reads no environment variable, opens no connection and starts
no thread. Settings are read on first use through :func:`hireflow.shared.config.get_settings`.
"""

from hireflow._version import __version__

__all__ = ["__version__"]
