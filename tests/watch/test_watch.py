"""The watcher against real feed servers on loopback addresses (tests/watch/farm.py): conditional requests, the
schedule, per-host spacing, backoff and pausing, redirects, dedup across feeds, full text, robots.txt, leases,
and every hostile server of the issue. No mocked HTTP: each request crosses a socket to a server that counts it."""

from __future__ import annotations

import threading
import time

import pytest
from farm import Farm

from newsprism.options import Options
from newsprism.store import open_store
from newsprism.watch import WatchPolicy, Watcher

FAST = WatchPolicy(host_pause=0.05, timeout=1.0, concurrency=8)


def _watcher(store, policy=FAST, **kwargs) -> Watcher:
    return Watcher(store, Options(allow_private=True), policy, **kwargs)


@pytest.fixture
def store(store_url):
    store = open_store(store_url)
    yield store
    store.close()


def _follow(store, urls) -> None:
    for url in urls:
        store.add_feed(url, time.time())


def _stored_urls(store) -> set[str]:
    return {a.article.url for a in store.articles()}


def test_a_round_stores_every_item_and_the_next_is_all_conditional(store):
    with Farm(hosts=3, feeds_per_host=2, items=5, full_text_share=0.5) as farm:
        _follow(store, farm.feed_urls())
        first = _watcher(store).round()
        assert first["due"] == 6 and first["fetched"] == 6 and first["errors"] == 0
        assert first["new items"] == 30 and first["stored"] == 30
        assert farm.item_links() <= _stored_urls(store)
        pages = sum(n for log in farm.logs.values() for path, n in log.paths.items() if path.startswith("/a/"))
        assert pages == 15, "only the items without their full text in the feed have their page fetched"
        before = farm.requests()
        second = _watcher(store).round(every=True)
        assert second["not modified"] == 6 and second["new items"] == 0
        assert farm.requests() - before == 6, "a 304 costs one request and nothing else"
        assert all(log.conditional[p] == 1 for log in farm.logs.values() for p in log.paths if p.startswith("/feeds/"))
        assert all(a.startswith("newsprism-watch/") for log in farm.logs.values() for a in log.agents)
        states = store.feed_states()
        assert {f.last_status for f in states} == {"not modified"} and all(f.items == 5 for f in states)


def test_new_items_are_read_and_nothing_is_read_twice(store):
    with Farm(hosts=1, feeds_per_host=1, items=3, full_text_share=0) as farm:
        _follow(store, farm.feed_urls())
        _watcher(store).round()
        farm.feeds[(0, 0)].items = 5  # two more items: the feed (and its ETag) changes
        again = _watcher(store).round(every=True)
        assert again["fetched"] == 1 and again["new items"] == 2 and again["stored"] == 2
        log = next(iter(farm.logs.values()))
        assert all(n == 1 for path, n in log.paths.items() if path.startswith("/a/")), log.paths
        assert len(store.articles()) == 5


def test_one_request_at_a_time_per_host_with_a_pause_between(store):
    policy = WatchPolicy(host_pause=0.2, timeout=2.0, concurrency=8)
    with Farm(hosts=2, feeds_per_host=3, items=3, full_text_share=0) as farm:
        _follow(store, farm.feed_urls())
        stats = _watcher(store, policy).round()
        assert stats["stored"] == 18
        assert farm.max_in_flight() == 1
        assert farm.min_gap() >= 0.18, farm.min_gap()
        # two hosts were served side by side, not one after the other
        starts = sorted((s[0], host) for host, log in farm.logs.items() for s in log.spans)
        assert len({host for _, host in starts[:4]}) == 2


def test_the_schedule_follows_the_feed_and_what_its_server_asks(store):
    with Farm(hosts=1, feeds_per_host=3, items=6, full_text_share=1) as farm:
        farm.feeds[(0, 1)].max_age = 3 * 3600
        farm.feeds[(0, 2)].ttl = 300  # minutes
        _follow(store, farm.feed_urls())
        started = time.time()
        _watcher(store).round()
        waits = {f.url.rsplit("/", 1)[1]: f.next_check - started for f in store.feed_states()}
        assert 3500 < waits["0.xml"] < 3700, "an item an hour: checked about hourly"
        assert 3 * 3600 - 5 < waits["1.xml"] < 3 * 3600 + 60, "Cache-Control: max-age is honoured"
        assert 5 * 3600 - 5 < waits["2.xml"] < 5 * 3600 + 60, "the feed's <ttl> is honoured"
        assert _watcher(store).round()["due"] == 0, "nothing is due again so soon"


def test_errors_back_off_then_pause_the_feed_with_its_error_shown(store):
    with Farm(hosts=1, feeds_per_host=1, items=2) as farm:
        url = farm.url(0, "/status/503")
        _follow(store, [url, *farm.feed_urls()])
        policy = WatchPolicy(host_pause=0.0, timeout=1.0, pause_after=3)
        started = time.time()
        stats = _watcher(store, policy).round()
        assert stats["errors"] == 1 and stats["fetched"] == 1, "the other feed is unaffected"
        failing = next(f for f in store.feed_states() if f.url == url)
        assert failing.errors == 1 and "HTTP 503" in failing.last_error
        assert failing.next_check - started >= 7200 - 5, "Retry-After (2 h) is longer than the 1 h backoff"
        for _ in range(2):
            _watcher(store, policy).round(every=True)
        failing = next(f for f in store.feed_states() if f.url == url)
        assert failing.paused and failing.errors == 3 and "HTTP 503" in failing.last_error
        assert _watcher(store, policy).round(every=True)["due"] == 1, "a paused feed is not checked"
        assert store.resume_feed(url, time.time())
        assert not next(f for f in store.feed_states() if f.url == url).paused


def test_a_permanent_redirect_updates_the_stored_address(store):
    with Farm(hosts=1, feeds_per_host=1, items=2) as farm:
        _follow(store, [farm.url(0, "/moved/0.xml")])
        _watcher(store).round()
        assert [f.url for f in store.feed_states()] == [farm.url(0, "/feeds/0.xml")]
        assert store.feed_states()[0].items == 2


def test_items_are_deduplicated_across_feeds(store):
    with Farm(hosts=2, feeds_per_host=1, items=4, full_text_share=0, wire=2) as farm:
        same = farm.url(0, "/feeds/0.xml?utm_source=newsletter")  # the same feed under a second address
        _follow(store, [*farm.feed_urls(), same])
        stats = _watcher(store).round()
        assert stats["new items"] == 12 and stats["seen"] == 4
        log = farm.logs[farm.hosts[0]]
        assert all(n == 1 for path, n in log.paths.items() if path.startswith("/a/")), log.paths
        articles = store.articles()
        assert len(articles) == 8
        copies = [a.article for a in articles if a.article.duplicate_of]
        assert len(copies) == 2, "the wire copies on the second host are marked as copies of the first"


def test_robots_txt_is_honoured_for_pages_and_the_item_is_kept(store):
    robots = b"User-agent: *\nDisallow: /a/\n"
    with Farm(hosts=1, feeds_per_host=1, items=3, full_text_share=0, robots=robots) as farm:
        _follow(store, farm.feed_urls())
        stats = _watcher(store).round()
        assert stats["failed"] == 3 and stats["stored"] == 0
        log = next(iter(farm.logs.values()))
        assert not any(p.startswith("/a/") for p in log.paths) and log.paths["/robots.txt"] == 1
        items = store.feed_items(farm.feed_urls()[0])
        assert all(i.state == "failed" and "robots.txt" in i.problem and i.title and i.summary for i in items)


def test_two_watchers_on_one_store_never_fetch_a_feed_twice(store_url):
    path = store_url
    with Farm(hosts=4, feeds_per_host=3, items=2, full_text_share=1) as farm:
        setup = open_store(path)
        _follow(setup, farm.feed_urls())
        setup.close()
        stores = [open_store(path), open_store(path)]
        results = []
        threads = [threading.Thread(target=lambda s=s: results.append(_watcher(s).round())) for s in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(r["due"] for r in results) == 12
        feeds = [n for log in farm.logs.values() for p, n in log.paths.items() if p.startswith("/feeds/")]
        assert len(feeds) == 12 and set(feeds) == {1}
        assert len(stores[0].articles()) == 24
        for s in stores:
            s.close()


def test_items_kept_before_a_crash_are_read_on_the_next_round(store):
    """What a kill between the check's commit and the items leaves: pending items, read by the next watcher
    although the feed is not due (and its server would answer 304)."""
    from newsprism.ingest.fetch import fetch
    from newsprism.ingest.feeds import read_feed
    from newsprism.store.base import FeedCheck
    from newsprism.watch.watcher import _row

    with Farm(hosts=1, feeds_per_host=1, items=3, full_text_share=0) as farm:
        url = farm.feed_urls()[0]
        _follow(store, [url])
        fetched = fetch(url, Options(allow_private=True))
        rows = [_row(i) for i in read_feed(fetched.body, url).items]
        store.claim_feeds("killed", time.time(), lease=0.01)
        store.save_check(url, "killed", FeedCheck("fetched", next_check=time.time() + 3600,
                                                  etag=fetched.headers["etag"], items=rows), time.time(), 30)
        time.sleep(0.02)  # the dead watcher's lease lapses
        stats = _watcher(store).round()
        assert stats["due"] == 0 and stats["stored"] == 3
        assert farm.item_links() <= _stored_urls(store)


@pytest.mark.parametrize("path, expect", [
    ("/hostile/hang", "timed out"),
    ("/hostile/trickle", "took longer than"),
    ("/hostile/gzip-bomb", "larger than"),
    ("/hostile/huge", "larger than"),
    ("/hostile/loop/0", "redirects"),
    ("/hostile/entities.xml", "entities"),
    ("/hostile/html.xml", "not an RSS or Atom feed"),
])
def test_a_hostile_feed_costs_its_timeout_and_one_clear_error(store, path, expect):
    with Farm(hosts=2, feeds_per_host=1, items=3, full_text_share=0) as farm:
        hostile = farm.url(0, path)
        _follow(store, [hostile, farm.url(1, "/feeds/0.xml")])
        started = time.monotonic()
        stats = _watcher(store).round()
        assert time.monotonic() - started < 8
        assert stats["errors"] == 1 and stats["stored"] == 3, "the other feed is unaffected"
        bad = next(f for f in store.feed_states() if f.url == hostile)
        assert bad.last_status == "error" and expect in bad.last_error and bad.items == 0
        assert bad.last_error.startswith("error: ") and "\n" not in bad.last_error


def test_a_malformed_feed_keeps_what_could_be_read_and_records_why(store):
    with Farm(hosts=1, feeds_per_host=1, items=1) as farm:
        url = farm.url(0, "/hostile/malformed.xml")
        _follow(store, [url])
        stats = _watcher(store).round()
        feed = store.feed_states()[0]
        assert stats["fetched"] == 1 and len(stats.problems) == 1
        assert "not well-formed XML" in feed.last_error and feed.errors == 0
        assert [i.title for i in store.feed_items(url)] == ["broken"]


def test_a_feed_in_the_wrong_charset_is_read_or_refused_clearly(store):
    with Farm(hosts=1, feeds_per_host=1, items=1) as farm:
        url = farm.url(0, "/hostile/latin1.xml")
        _follow(store, [url])
        stats = _watcher(store).round()
        feed = store.feed_states()[0]
        assert stats["fetched"] + stats["errors"] == 1
        if stats["errors"]:
            assert feed.last_error.startswith("error: ")
        else:
            assert feed.items == 1 and "Caf" in (feed.title or "")


def test_private_addresses_are_refused_without_allow_private(store):
    with Farm(hosts=1, feeds_per_host=1, items=1) as farm:
        _follow(store, farm.feed_urls())
        stats = Watcher(store, Options(), FAST).round()
        assert stats["errors"] == 1
        assert "loopback" in store.feed_states()[0].last_error
        assert farm.requests() == 0


def test_settle_groups_new_articles_and_analyses_only_stories_that_changed(tmp_path, store):
    from newsprism.nlp import load_embedder
    from newsprism.watch import settle

    with Farm(hosts=2, feeds_per_host=1, items=2, full_text_share=1, wire=1) as farm:
        outlets = tmp_path / "outlets.csv"
        outlets.write_text("name,aliases,domains,country,ownership,owner,lean,rating_source,notes\n"
                           "Kestrel Weekly,,127.0.0.2,XC,private,,left,test,FICTIONAL outlet for tests\n"
                           "Morrow Herald,,127.0.0.3,XC,private,,right,test,FICTIONAL outlet for tests\n")
        _follow(store, farm.feed_urls())
        options = Options(allow_private=True, outlet_files=(outlets,), embedder="potion")
        watcher = Watcher(store, options, FAST)
        stats = watcher.round()
        embedder = load_embedder("potion")
        changed = settle(store, stats, embedder, options)
        assert changed and not store.unassigned()
        analysed = store.analysed()
        two_outlets = {a.story for a in store.articles() if a.article.duplicate_of}
        assert two_outlets and set(analysed) == two_outlets, "the story both outlets carry is analysed, no other"
        assert settle(store, watcher.round(every=True), embedder, options) == set()
        assert store.analysed() == analysed, "nothing changed: nothing analysed again"
