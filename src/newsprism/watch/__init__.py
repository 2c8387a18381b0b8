"""Following feeds live: ``newsprism feeds`` keeps the list, ``newsprism watch`` checks them politely and reads
their new items into the store (``watcher.py``), on a schedule from each feed's rhythm (``schedule.py``), one
request at a time per host (``polite.py``)."""

from .schedule import WatchPolicy
from .watcher import RoundStats, Watcher, settle

__all__ = ["RoundStats", "WatchPolicy", "Watcher", "settle"]
