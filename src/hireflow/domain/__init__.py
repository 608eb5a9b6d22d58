"""The hiring domain in plain Python: pydantic models, use-case services and the ports they talk through."""
