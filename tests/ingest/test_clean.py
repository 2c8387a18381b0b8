"""Page furniture is removed by its shape, reporting is kept, and what was removed is listed."""

from newsprism.ingest.clean import classify, clean_text, furniture_reason

ARTICLE = """Home  /  World  /  Europe

Harbour authority reopens the east pier after repairs

Photo: Cranes stand idle at the east pier on Monday. (Photo by Staff Photographer)

The harbour authority reopened the east pier on Tuesday after six weeks of repairs, officials said.
Dock workers returned to their shifts in the morning, and the first ship berthed shortly after noon.
How long will the repairs hold?
Engineers said the new pilings should last at least thirty years under normal loads.
Share this article
Subscribe for just $1 a week
Read more: www.example.com/harbour



Know something we missed? Have a correction?
Submit a Tip
Harbour News App
"""


def test_clean_keeps_headline_and_reporting():
    cleaned = clean_text(ARTICLE)
    assert cleaned.title == "Harbour authority reopens the east pier after repairs"
    assert "reopened the east pier on Tuesday" in cleaned.text
    assert "How long will the repairs hold?" in cleaned.text  # a sub-heading inside the article stays
    assert cleaned.text.rstrip().endswith("under normal loads.")


def test_clean_keeps_captions_and_marks_them():
    cleaned = clean_text(ARTICLE)
    assert cleaned.captions == ["Photo: Cranes stand idle at the east pier on Monday. (Photo by Staff Photographer)"]
    assert cleaned.captions[0] in cleaned.text


def test_clean_lists_every_removed_line():
    cleaned = clean_text(ARTICLE)
    assert cleaned.removed == [
        "Home  /  World  /  Europe",
        "Share this article",
        "Subscribe for just $1 a week",
        "Read more: www.example.com/harbour",
        "Know something we missed? Have a correction?",
        "Submit a Tip",
        "Harbour News App",
    ]
    for line in cleaned.removed:
        assert line not in cleaned.text


def test_clean_collapses_blank_runs():
    assert "\n\n\n" not in clean_text(ARTICLE).text


def test_clean_removes_repeated_counters_and_addresses():
    lines = classify(["Storm closes coastal road", "The coastal road was closed on Friday as waves topped the wall.",
                      "42 Comments", "42 Comments", "www.example.org", "alt.example.co.uk"])
    assert [x.reason for x in lines[2:]] == ["counter", "counter", "web address", "web address"]


def test_clean_keeps_a_sentence_that_starts_like_a_button():
    # A sentence of reporting may begin with a word buttons use; the whole line reads as a sentence.
    line = "Share prices fell by four percent on Monday after the company reported weaker sales than expected."
    assert furniture_reason(line) == ""
    assert clean_text("Markets slide\n" + line).text == line


def test_clean_without_headline_keeps_first_sentence():
    text = "The council voted on Monday to close the library, ending a two-year debate over its future.\nIt closes in May."
    cleaned = clean_text(text)
    assert cleaned.title is None
    assert cleaned.text.startswith("The council voted")


def test_clean_takes_byline_as_author():
    cleaned = clean_text("Bridge reopens\nBy Jane Doe and Sam Roe\nThe bridge reopened on Monday after repairs were completed.")
    assert cleaned.authors == ["Jane Doe", "Sam Roe"]
    assert "By Jane Doe" not in cleaned.text
