"""Entry points that wire adapters into services: the CLI today, the API and the worker next."""
