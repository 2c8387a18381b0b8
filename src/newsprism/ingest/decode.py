"""Turning bytes into text: which encoding, is it text at all, and invisible characters that break offsets."""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError

# Control characters other than tab/newline/carriage return: a few in a page are noise, many mean binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Zero-width and bidi-control characters carry no words; they split tokens and confuse matching.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def decode(data: bytes, source: str, declared: str | None = None) -> tuple[str, str | None]:
    """Decode ``data`` to text. Returns the text and a warning line, or raises ``InputError`` for binary data.

    Order: byte-order mark, then a declared charset, then UTF-16 without BOM (detected by its zero bytes), then
    strict UTF-8, and last Windows-1252, which accepts any byte and is what most non-UTF-8 Western text is.

    >>> decode("café".encode("utf-8"), "x")
    ('café', None)
    >>> decode("café".encode("cp1252"), "x")[0]
    'café'
    """
    if not data.strip():
        raise InputError("is empty", source=source, hint="check that the file was saved completely")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32")):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), source), None
    if declared:
        try:
            return _checked(data.decode(declared), source), None
        except (LookupError, UnicodeDecodeError):
            pass
    # UTF-16 without a BOM is valid UTF-8 byte for byte (its zero bytes are NULs), so look for it first.
    sample = data[:4096]
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0) / (len(sample) / 2)
        odd_zeros = sample[1::2].count(0) / (len(sample) / 2)
        if odd_zeros > 0.3 and even_zeros < 0.05:
            return _checked(data.decode("utf-16-le", errors="replace"), source), None
        if even_zeros > 0.3 and odd_zeros < 0.05:
            return _checked(data.decode("utf-16-be", errors="replace"), source), None
    try:
        return _checked(data.decode("utf-8"), source), None
    except UnicodeDecodeError:
        pass
    text = _checked(data.decode("cp1252", errors="replace"), source)
    return text, (f"warning: {source}: not valid UTF-8; read as Windows-1252 — "
                  "re-save it as UTF-8 if some characters look wrong")


def _checked(text: str, source: str) -> str:
    sample = text[:20000]
    controls = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    if controls > max(8, 0.05 * len(sample)):
        raise InputError("looks like a binary file, not text", source=source,
                         hint="give a .txt, .html or .jsonl file")
    return normalize_text(text)


def normalize_text(text: str) -> str:
    """NFC-normalise, unify line ends, drop control and invisible characters. Offsets refer to this text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)
