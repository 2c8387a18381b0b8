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
