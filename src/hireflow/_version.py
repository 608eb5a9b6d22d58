"""The single place the version is defined; hatch and `hireflow.__version__` read it."""

__version__ = "0.1.0"
