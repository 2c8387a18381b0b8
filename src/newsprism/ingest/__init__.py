"""Reading articles from files, folders, URLs, feeds, JSON Lines and standard input, and cleaning them."""

from .load import LoadResult, load_articles, stream_articles, stream_bytes

__all__ = ["LoadResult", "load_articles", "stream_articles", "stream_bytes"]
