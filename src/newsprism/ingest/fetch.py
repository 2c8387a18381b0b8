"""Fetching one article page over HTTP(S) without letting a URL reach into private networks or hold us forever.

Every hop (the first request and each redirect) is checked before it is sent: the scheme must be http or https
and every address the host resolves to must be public, unless ``Options.allow_private`` says otherwise.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field

import httpx

from ..errors import InputError, TransientError
from ..options import MiB, Options

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
DEADLINE_FACTOR = 3
"""The whole fetch, redirects and body included, may take this many times ``Options.timeout``."""

_NETWORK_HINT = "check the address or your connection, then retry"
_PRIVATE_HINT = "pass --allow-private to fetch from private or local networks"
# 64:ff9b::/96 carries an IPv4 address for NAT64 gateways: what it reaches is the embedded address.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


@dataclass(frozen=True)
class Fetched:
    url: str
    """The address as asked."""
    final_url: str
    """The address after redirects."""
    status: int
    content_type: str
    """Media type only, lower-case (``text/html``); empty when the server sent none."""
    charset: str | None
    """The charset parameter of the Content-Type header, lower-case, if any."""
    body: bytes
    """Decompressed body, at most ``Options.max_bytes`` (empty for a 304)."""
    headers: dict[str, str] = field(default_factory=dict)
    """The final response's headers, names lower-case."""
    moved_to: str | None = None
    """Where the address has moved for good: the end of the permanent redirects (301, 308) it began with, if any."""


def address_refusal(address: str) -> str | None:
    """Why ``address`` is not a public one (``"a loopback address"``), or None when it is public.

    >>> address_refusal("127.0.0.1"), address_refusal("::ffff:10.0.0.1"), address_refusal("8.8.8.8")
    ('a loopback address', 'a private address', None)
    """
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        # An IPv6 address that embeds an IPv4 one reaches that IPv4 host, so judge the embedded address.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_refusal(str(embedded))
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.version == 6 and ip.is_site_local:
        return "a site-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    # is_global also rules out ranges the named properties miss, such as shared address space 100.64.0.0/10.
    if not ip.is_global:
        return "a non-public address"
    return None


def _size(n: int) -> str:
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def _parse(url: str | httpx.URL, source: str, redirected: bool) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as e:
        where = f"redirected to {url}, which " if redirected else ""
        raise InputError(f"{where}is not a valid address ({e})", source=source, hint="check the address") from e
    if parsed.scheme not in ("http", "https"):
        scheme = parsed.scheme or "(none)"
        if redirected:
            raise InputError(f"refused: redirected to {url}, an unsupported '{scheme}' address", source=source,
                             hint="only http and https addresses are fetched")
        raise InputError(f"unsupported address scheme '{scheme}'", source=source,
                         hint="give an http:// or https:// address")
    if not parsed.host:
        raise InputError("the address has no host name", source=source, hint="check the address")
    return parsed


def _resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (a seam tests replace to fake DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _checked_addresses(url: httpx.URL, options: Options, source: str, redirected: bool) -> list[str]:
    host = url.raw_host.decode("ascii")
    try:
        addresses = _resolve(host, url.port or (443 if url.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise TransientError(f"could not resolve host {host} ({reason})", source=source, hint=_NETWORK_HINT) from e
    if not addresses:
        raise TransientError(f"host {host} has no address", source=source, hint=_NETWORK_HINT)
    if options.allow_private:
        return addresses
    # One bad address is enough to refuse: a host that resolves to public and private addresses alike could be
    # steered to the private one by whoever answers for its name.
    for address in addresses:
        kind = address_refusal(address)
        if kind is None:
            continue
        what = f"{address} is {kind}" if address == host else f"{host} resolves to {address}, {kind}"
        where = f"redirected to {url}, but " if redirected else ""
        raise InputError(f"refused: {where}{what}", source=source, hint=_PRIVATE_HINT)
    return addresses


def _send(client: httpx.Client, url: httpx.URL, addresses: list[str], timeout: float) -> httpx.Response:
    """Send GET ``url`` to one of the addresses already checked, trying the next when one cannot be reached.

    Connecting to the checked address itself, not to the host name, is what closes the DNS rebinding window: if
    httpx resolved the name again, a second answer could point somewhere private after the check passed. The
    request goes to the IP literal while the Host header keeps the real name for virtual hosting, and for https
    ``sni_hostname`` makes the TLS handshake send that name and verify the certificate against it, not the IP.
    This uses only httpx's public request API, so it needs no custom transport.
    """
    host = url.raw_host.decode("ascii")
    failure: httpx.ConnectError | None = None
    for address in addresses:
        extensions = {"sni_hostname": host} if url.scheme == "https" and address != host else {}
        request = client.build_request("GET", url.copy_with(host=address), timeout=timeout, extensions=extensions,
                                       headers={"Host": url.netloc.decode("ascii")})
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as e:
            failure = e
    assert failure is not None
    raise failure


def _media_type(header: str) -> tuple[str, str | None]:
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip().lower() or None
    return media.strip().lower(), charset


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (a number of seconds, or an HTTP date), or None.

    >>> retry_after("120"), retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412420.0), retry_after("soon")
    (120.0, 60.0, None)
    """
    from email.utils import parsedate_to_datetime

    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def _check_status(response: httpx.Response, source: str, conditional: bool = False) -> None:
    if conditional and response.status_code == 304:
        return
    status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    if response.status_code in (408, 429) or response.status_code >= 500:
        error = TransientError(status, source=source, hint="the server could not answer now; retry later")
        error.retry_after = retry_after(response.headers.get("retry-after"))
        raise error
    if response.status_code >= 400:
        raise InputError(status, source=source, hint="check the address")
    if response.status_code in REDIRECT_STATUSES:
        raise InputError(f"{status} without a Location to go to", source=source, hint="check the address")
    if not 200 <= response.status_code < 300:
        raise InputError(f"{status} is not a page", source=source, hint="check the address")


def _read_body(response: httpx.Response, options: Options, deadline: float, source: str) -> bytes:
    too_large = InputError(f"larger than the {_size(options.max_bytes)} limit", source=source,
                           hint="raise the limit with --max-bytes")
    # An uncompressed body announces its size, so refuse it before reading a byte; a compressed one can only be
    # judged after decompression.
    length = response.headers.get("content-length", "")
    if length.isdigit() and response.headers.get("content-encoding", "identity") == "identity" \
            and int(length) > options.max_bytes:
        raise too_large
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > options.max_bytes:
            raise too_large
        chunks.append(chunk)
        # Each read has its own timeout; this stops a server that drips a byte just before every one of them.
        if time.monotonic() > deadline:
            raise _too_slow(options, source)
    return b"".join(chunks)


_ssl_lock = threading.Lock()
_ssl_context = None


def _tls() -> "ssl.SSLContext":
    """One verifying TLS context for every fetch: loading the certificate store costs ~20 ms, more than a whole
    request to a nearby server, and a context may be shared by connections and threads."""
    global _ssl_context
    with _ssl_lock:
        if _ssl_context is None:
            _ssl_context = httpx.create_ssl_context()
        return _ssl_context


def _too_slow(options: Options, source: str) -> TransientError:
    return TransientError(f"took longer than {DEADLINE_FACTOR * options.timeout:g} s in all", source=source,
                          hint="the server is very slow; retry later, or raise --timeout")


def _reason(error: Exception) -> str:
    text = str(error).strip()
    if text.startswith("[Errno") and "] " in text:
        text = text.split("] ", 1)[1]
    return text or type(error).__name__


def fetch(url: str, options: Options, headers: dict[str, str] | None = None) -> Fetched:
    """Fetch ``url`` and return its decompressed body, following at most ``options.max_redirects`` redirects.

    ``headers`` are sent with every hop; with a conditional one (``If-None-Match``, ``If-Modified-Since``) a
    304 answer is returned as it is (status 304, no body) instead of being refused.

    Raises ``InputError`` when the address or its answer is bad (unsupported scheme, private address without
    ``allow_private``, HTTP 4xx, too many redirects, body over ``max_bytes``) and ``TransientError`` when it
    failed for now (DNS failure, connection refused, timeout, HTTP 5xx). ``source`` on both is ``url``.
    """
    deadline = time.monotonic() + DEADLINE_FACTOR * options.timeout
    current = _parse(url, url, redirected=False)
    conditional = any(name.lower() in ("if-none-match", "if-modified-since") for name in headers or {})
    moved_to: str | None = None
    permanent = True  # every redirect so far was permanent
    # trust_env=False: a proxy from the environment would resolve the name itself, bypassing the address check.
    # No keep-alive: a pooled TLS connection verified for one host name could otherwise serve a redirect to
    # another name on the same IP.
    client = httpx.Client(follow_redirects=False, trust_env=False, timeout=options.timeout, verify=_tls(),
                          limits=httpx.Limits(max_keepalive_connections=0),
                          headers={"User-Agent": options.user_agent, **(headers or {})})
    try:
        with client:
            for hop in range(options.max_redirects + 1):
                addresses = _checked_addresses(current, options, url, redirected=hop > 0)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _too_slow(options, url)
                response = _send(client, current, addresses, min(options.timeout, remaining))
                try:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        current = _parse(current.join(location), url, redirected=True)
                        permanent = permanent and response.status_code in PERMANENT_REDIRECTS
                        if permanent:
                            moved_to = str(current)
                        continue
                    _check_status(response, url, conditional)
                    body = b"" if response.status_code == 304 else _read_body(response, options, deadline, url)
                finally:
                    response.close()
                content_type, charset = _media_type(response.headers.get("content-type", ""))
                return Fetched(url=url, final_url=str(current), status=response.status_code,
                               content_type=content_type, charset=charset, body=body,
                               headers={k.lower(): v for k, v in response.headers.items()}, moved_to=moved_to)
    except httpx.TimeoutException as e:
        raise TransientError(f"timed out after {options.timeout:g} s", source=url,
                             hint="the server is slow or unreachable; retry later, or raise --timeout") from e
    except httpx.ConnectError as e:
        if "CERTIFICATE_VERIFY_FAILED" in str(e):
            raise InputError(f"its TLS certificate could not be verified ({_reason(e)})", source=url,
                             hint="check the address; the site's certificate is not valid for it") from e
        raise TransientError(f"could not connect ({_reason(e)})", source=url, hint=_NETWORK_HINT) from e
    except httpx.DecodingError as e:
        raise InputError(f"the server sent a body that could not be decompressed ({_reason(e)})", source=url,
                         hint="the page is damaged on the server; try another address") from e
    except httpx.RequestError as e:
        raise TransientError(f"the connection failed ({_reason(e)})", source=url, hint=_NETWORK_HINT) from e
    raise InputError(f"more than {options.max_redirects} redirects", source=url,
                     hint="open the address in a browser and give the one it ends at")
