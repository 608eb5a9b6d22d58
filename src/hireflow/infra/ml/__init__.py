"""Machine learning adapters: sentence-embedding backends (:mod:`.embedders`) and nearest-neighbour indexes.

Importing these packages imports neither torch, onnxruntime nor numpy: each is imported when first used, so
Hireflow runs without the ``ml`` extra until an embedding is asked for.
"""
