"""The HTTP API: a FastAPI application built by :func:`hireflow.apps.api.app.create_app`.

Needs the ``server`` extra (``pip install 'hireflow[server]'``). Nothing here is built at import time.
"""
