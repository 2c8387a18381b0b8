"""Story clustering: features, the online clusterer, B-cubed, and a quality floor on real AllSides stories."""

from __future__ import annotations

import json
import random

import pytest

from newsprism.cluster import ClusterSettings, StoryClusterer, bcubed, cluster_features, featurize
from newsprism.cluster.features import terms

from helpers import SHARED, need_shared

# Two events of our own, each told by three outlets in their own words, plus a same-topic but different event.
BRIDGE = [
    ("b1", "Harrow Bridge closed after barge strike", "The Harrow Bridge over the Tessel river was closed on "
     "Tuesday after a grain barge struck one of its piers, the city transport office said."),
    ("b2", "Barge hits Harrow Bridge pier, crossing shut", "A barge loaded with grain hit a pier of Harrow Bridge, "
     "forcing officials to shut the crossing over the Tessel while engineers inspect the damage."),
    ("b3", "Engineers inspect Harrow Bridge after collision", "Engineers began inspecting the Harrow Bridge on the "
     "Tessel river after the collision with a grain barge; the bridge stays closed to traffic."),
]
VOTE = [
    ("v1", "Lindvik council votes to ban cars from old town", "Lindvik city council voted 31 to 12 on Monday to "
     "ban private cars from the old town from next spring, Mayor Ellen Saari said."),
    ("v2", "Lindvik bans cars in historic centre", "Councillors in Lindvik approved a ban on private cars in the "
     "historic old town, a plan championed by Mayor Ellen Saari, by 31 votes to 12."),
    ("v3", "Car ban for Lindvik old town passes council", "Mayor Ellen Saari's plan to keep private cars out of "
     "Lindvik's old town passed the city council with 31 votes in favour and 12 against."),
]


def _items(rows, published=None):
    return [(i, t, x, published) for i, t, x in rows]


def test_features_terms_are_lower_cased_content_words():
    tokens = terms("Mayor Ellen Saari's plan: the council met in Lindvik on Monday.")
    assert tokens["saari"] == 1 and tokens["lindvik"] == 1 and tokens["council"] == 1
    assert "the" not in tokens and "saari's" not in tokens


def test_features_headline_is_kept_apart_and_counted_in_the_lead():
    (feature,) = featurize(_items(BRIDGE[:1]))
    assert feature.title["barge"] == 1
    assert feature.tokens["barge"] == 3 and feature.tokens["tessel"] == 1  # headline words count twice
    assert "tessel" not in feature.title


def test_unrelated_articles_stay_apart_even_when_alone_together():
    rows = [BRIDGE[0], VOTE[0], ("w1", "Storm floods coastal towns", "Heavy rain flooded three coastal towns "
                                 "overnight, and the weather service warned of more storms.")]
    assert len(set(cluster_features(featurize(_items(rows))))) == 3


def test_batch_clustering_does_not_depend_on_input_order():
    rows = BRIDGE + VOTE
    forward = dict(zip([r[0] for r in rows], cluster_features(featurize(_items(rows)))))
    backward = dict(zip([r[0] for r in rows[::-1]], cluster_features(featurize(_items(rows[::-1])))))
    partition = {frozenset(k for k in forward if forward[k] == s) for s in forward.values()}
    assert partition == {frozenset(k for k in backward if backward[k] == s) for s in backward.values()}


def test_new_reports_can_merge_two_known_stories_of_one_event():
    clusterer = StoryClusterer()
    (b1,), (b2,) = featurize(_items(BRIDGE[:1])), featurize(_items(BRIDGE[1:2]))
    clusterer.add_to("story-a", b1)
    clusterer.add_to("story-b", b2)
    changed = clusterer.add_batch(featurize(_items(BRIDGE[2:])))
    assert changed == {"b2": "story-a", "b3": "story-a"}


def test_online_groups_reports_of_one_event_and_separates_two_events():
    rows = [BRIDGE[0], VOTE[0], BRIDGE[1], VOTE[1], BRIDGE[2], VOTE[2]]
    stories = cluster_features(featurize(_items(rows)))
    by_id = dict(zip([r[0] for r in rows], stories))
    assert by_id["b1"] == by_id["b2"] == by_id["b3"]
    assert by_id["v1"] == by_id["v2"] == by_id["v3"]
    assert by_id["b1"] != by_id["v1"]


def test_online_same_words_weeks_apart_are_different_stories():
    early = featurize(_items(BRIDGE[:1], "2025-01-05"))
    late = featurize([("b9", BRIDGE[1][1], BRIDGE[1][2], "2025-03-01")])
    clusterer = StoryClusterer()
    assert clusterer.add(early[0]) != clusterer.add(late[0])


def test_online_replayed_assignments_attract_new_reports():
    clusterer = StoryClusterer()
    for feature in featurize(_items(BRIDGE[:2])):
        clusterer.add_to("known-story", feature)
    assert clusterer.add(featurize(_items(BRIDGE[2:]))[0]) == "known-story"


def test_online_story_ids_are_stable_and_distinct_for_repeated_ids():
    clusterer = StoryClusterer(ClusterSettings(threshold=2.0))  # nothing joins: every article starts a story
    feature = featurize(_items(BRIDGE[:1]))[0]
    first, second = clusterer.add(feature), clusterer.add(feature)
    assert first != second
    assert StoryClusterer(ClusterSettings(threshold=2.0)).add(feature) == first


def test_bcubed_perfect_and_merged():
    assert bcubed(["x", "x", "y"], ["a", "a", "b"]) == (1.0, 1.0, 1.0)
    precision, recall, _ = bcubed(["x", "x", "x"], ["a", "a", "b"])
    assert recall == 1.0 and precision == pytest.approx(5 / 9)
    with pytest.raises(ValueError):
        bcubed(["x"], [])


def test_cluster_allsides_quality_floor():
    """A regression floor on 150 held-out AllSides stories (not the tuning split); full figures: benchmarks/."""
    path = need_shared(SHARED / "datasets" / "allsides-stories" / "dev.jsonl")
    stories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[2000:2150]]
    items = [(f"{s['story']}-{n}", a["title"], a["text"], None, s["story"])
             for s in stories for n, a in enumerate(s["articles"])]
    random.Random(1).shuffle(items)
    predicted = cluster_features(featurize([x[:4] for x in items]))
    _, _, f1 = bcubed(predicted, [x[4] for x in items])
    assert f1 >= 0.90  # 0.951 when set
