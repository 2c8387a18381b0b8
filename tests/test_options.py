"""Options are checked when they are made, with a message that names the fix."""

import pytest

from newsprism.cluster import ClusterSettings
from newsprism.options import OptionError, Options
from newsprism.store import StoryQuery


@pytest.mark.parametrize("kwargs, message", [
    ({"timeout": 0}, "timeout must be a positive number of seconds"),
    ({"max_bytes": 0}, "--max-bytes"),
    ({"outlet_files": ("no-such.csv",)}, "no-such.csv: no such file"),
    ({"embedder": "bert"}, "unknown embedder 'bert' — choose one of: minilm, potion"),
])
def test_options_bad_values_name_the_fix(kwargs, message):
    with pytest.raises(OptionError, match=message):
        Options(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"threshold": -1}, "mean pair probability"),
    ({"kth": 50}, "kth \\(50\\) cannot exceed retrieve"),
    ({"neighbours": 0}, "neighbours must be a whole number of 1 or more"),
])
def test_options_cluster_settings_are_checked(kwargs, message):
    with pytest.raises(OptionError, match=message):
        ClusterSettings(**kwargs)


def test_options_listing_query_is_checked():
    with pytest.raises(OptionError, match="limit must be 1 or more"):
        StoryQuery(limit=0)
