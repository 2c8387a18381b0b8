"""Reading articles from files, folders, URLs, JSON Lines and standard input, and cleaning them."""

from .load import LoadResult, load_articles

__all__ = ["LoadResult", "load_articles"]
