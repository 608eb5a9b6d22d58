"""Ports: the ``typing.Protocol`` interfaces through which the domain reaches everything outside it."""
