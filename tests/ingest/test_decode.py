import pytest

from newsprism.errors import InputError
from newsprism.ingest.decode import decode


def test_decode_utf8_and_bom():
    assert decode("Kyiv’s “offer”".encode("utf-8"), "x")[0] == "Kyiv’s “offer”"
    assert decode("\ufeffHello".encode("utf-8"), "x")[0] == "Hello"


def test_decode_utf16_with_and_without_bom():
    text = "Talks resume in the capital on Monday."
    assert decode(text.encode("utf-16"), "x")[0] == text
    assert decode(text.encode("utf-16-le"), "x")[0] == text


def test_decode_windows_1252_smart_quotes_with_a_warning():
    text, warning = decode("He said “yes” – twice.".encode("cp1252"), "old.txt")
    assert text == "He said “yes” – twice."
    assert warning.startswith("warning: old.txt: not valid UTF-8")


def test_decode_refuses_binary_and_empty():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 50, "blob.txt")
    with pytest.raises(InputError, match="is empty"):
        decode(b"  \n\t ", "empty.txt")


def test_decode_drops_invisible_and_control_characters():
    assert decode("Kyiv\u200b talks\x07 resume".encode("utf-8"), "x")[0] == "Kyiv talks resume"


def test_decode_one_order_for_pages_and_texts():
    from newsprism.ingest.html import extract_html

    latin = "Les dockers ont voté la grève à Marseille, a déclaré le syndicat lundi matin.".encode("cp1252")
    page = b"<html><head><meta charset='windows-1252'></head><body><p>" + latin + b"</p></body></html>"
    # The page's own label, the HTTP charset and the guess all agree here; valid UTF-8 always wins over a label.
    text, warning = decode(page, "p.html", html=True)
    assert "grève" in text and warning is None  # read by the page's declared charset: no guess, no warning
    text, warning = decode(latin, "t.txt", "windows-1252")
    assert "grève" in text and warning is None  # the HTTP charset of a text counts the same way
    text, warning = decode("grève".encode("utf-8"), "u.txt", "iso-8859-1")
    assert text == "grève" and warning is None  # valid UTF-8 is UTF-8 whatever the label
    unlabelled = page.replace(b"<meta charset='windows-1252'>", b"")
    text, warning = decode(unlabelled, "p.html", html=True)
    assert "grève" in text and warning and warning.startswith("warning: p.html: not valid UTF-8; read as")
    # The HTTP charset reaches the extractor too (it was dropped for pages before).
    assert "grève" in extract_html(unlabelled, source="p.html", charset="windows-1252").text
