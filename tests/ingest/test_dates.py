from newsprism.ingest.dates import date_from_text, date_from_url, find_dates, normalise_date


def test_dates_find_written_dates_and_reject_impossible_ones():
    assert [d for _, d in find_dates("On March 4, 2026, and 5 March 2026; not February 30, 2026.")] == [
        "2026-03-04", "2026-03-05"]


def test_dates_from_url_forms():
    assert date_from_url("https://x.example/2026/03/05/story") == "2026-03-05"
    assert date_from_url("https://x.example/news/2026/mar/05/story") == "2026-03-05"
    assert date_from_url("https://x.example/a/20260305-story") == "2026-03-05"
    assert date_from_url("https://x.example/2026/13/45/story") is None
    assert date_from_url(None) is None


def test_dates_from_text_dateline_and_dated_caption_only():
    assert date_from_text(["Published: 5 March 2026", "The port reopened."], []) == "2026-03-05"
    caption = "This photo released on March 4, 2026 by the port authority shows cranes. (Photo by Staff)"
    assert date_from_text(["Headline", "Talks were held on Sunday (March 1, 2026) in the capital, officials said "
                           "after a long day."], [caption]) == "2026-03-04"
    # A date of an event in the reporting is not the article's own date.
    assert date_from_text(["Headline here", "The strike began on March 1, 2026, and has lasted nine days so far, "
                           "the union said."], []) is None


def test_dates_normalise_record_values():
    assert normalise_date("2026-03-05T10:00:00Z") == "2026-03-05"
    assert normalise_date("March 5, 2026") == "2026-03-05"
    assert normalise_date("2026-02-30") is None
    assert normalise_date(20260305) is None
