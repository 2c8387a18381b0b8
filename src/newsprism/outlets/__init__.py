"""The outlet registry: which outlet published an article, from its address, its name, or its own text.

Shipped data lives in ``data/`` (``outlets.csv``, ours; ``allsides_ratings.csv``, AllSides', CC BY-NC 4.0);
``docs/outlets.md`` describes the columns and how to add outlets of your own.
"""

from .registry import OutletEntry, OutletRegistry, default_registry, host_of, name_key

__all__ = ["OutletEntry", "OutletRegistry", "default_registry", "host_of", "name_key"]
