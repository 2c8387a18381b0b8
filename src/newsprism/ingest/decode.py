"""Turning bytes into text: which encoding, is it text at all, and invisible characters that break offsets.

One decoder for every input (plain text, HTML pages, JSON Lines, feeds), in one order:

1. a byte-order mark;
2. UTF-16 without a mark (a zero byte beside every ASCII character; it would otherwise pass as UTF-8);
3. valid UTF-8 — bytes that are valid UTF-8 are UTF-8 whatever is declared (trafilatura's first test too: pages
   are often labelled wrongly, and other encodings almost never form valid UTF-8 by chance);
4. the declared charset: the HTTP ``Content-Type`` charset, else, for HTML, the page's ``<meta charset>``; labels
   that the WHATWG Encoding Standard has browsers read as Windows-1252 (Latin-1, ASCII) are read so;
5. a guess (charset_normalizer, the detector trafilatura uses), taking Windows-1252 whenever it reads as cleanly
   as the best candidate (the detector often cannot tell it from its siblings, and it is the common legacy encoding
   of Western text), with a warning that names the input.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError

# Control characters other than tab/newline/carriage return: a few in a page are noise, many mean binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Zero-width and bidi-control characters carry no words; they split tokens and confuse matching.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_READ_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819",
                         "windows-1252", "cp1252"}
_NAMES = {"cp1252": "Windows-1252", "utf-8": "UTF-8"}


def _label(name: str) -> str:
    name = name.strip().lower()
    return "cp1252" if name in _READ_AS_WINDOWS_1252 else name


def declared_charset(data: bytes, declared: str | None, html: bool) -> str | None:
    """The charset the transport declares, else (for HTML) the page's own ``<meta charset>``."""
    if declared:
        return _label(declared)
    if html:
        match = _META_CHARSET.search(data[:8192])
        if match:
            return _label(match.group(1).decode("ascii", "replace"))
    return None


def decode(data: bytes, source: str, declared: str | None = None, *, html: bool = False) -> tuple[str, str | None]:
    """Decode ``data`` to text (in the order of the module docstring). Returns the text and a warning line, or
    raises ``InputError`` for empty or binary data.

    >>> decode("café".encode("utf-8"), "x")
    ('café', None)
    >>> text, warning = decode("café au lait, s’il vous plaît".encode("cp1252"), "x")
    >>> text, warning
    ('café au lait, s’il vous plaît', 'warning: x: not valid UTF-8; read as Windows-1252 — re-save it as UTF-8 if some characters look wrong')
    """
    data = bytes(data)
    if not data.strip():
        raise InputError("is empty", source=source, hint="check that the file was saved completely")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace"), source), None
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
    charset = declared_charset(data, declared, html)
    if charset and charset not in ("utf-8", "utf8"):  # already shown not to be UTF-8
        try:
            return _checked(data.decode(charset, errors="replace" if charset == "cp1252" else "strict"), source), None
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown label: guess instead
    encoding = _guess(data)
    text = _checked(data.decode(encoding, errors="replace"), source)
    return text, (f"warning: {source}: not valid UTF-8; read as {_NAMES.get(encoding, encoding)} — "
                  "re-save it as UTF-8 if some characters look wrong")


def _guess(data: bytes) -> str:
    """The detector's least chaotic reading; Windows-1252 whenever it reads as cleanly as the best (on a short text
    the detector cannot tell it from Windows-1250 and ranks either first)."""
    from charset_normalizer import from_bytes

    found = list(from_bytes(data[:200_000]))
    if not found:
        return "cp1252"
    least = min(m.chaos for m in found)
    if any("cp1252" in m.could_be_from_charset for m in found if m.chaos <= least + 0.01):
        return "cp1252"
    return min(found, key=lambda m: m.chaos).encoding


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
