"""The URL fetcher against a real HTTP server on 127.0.0.1: what it fetches, what it refuses, how it fails."""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsprism.errors import InputError, TransientError
from newsprism.ingest import fetch as fetch_module
from newsprism.ingest.fetch import address_refusal, fetch
from newsprism.options import Options

PAGE = b"<html><head><title>Harbour</title></head><body><p>The strike ended.</p></body></html>"
LOCAL = Options(allow_private=True, timeout=1.0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[dict[str, str]] = []

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Handler.seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
        path = self.path
        try:
            if path == "/page":
                self._send(200, PAGE, Content_Type="Text/HTML; charset=\"ISO-8859-1\"")
            elif path == "/gzip":
                self._send(200, gzip.compress(PAGE), Content_Type="text/html", Content_Encoding="gzip")
            elif path == "/gzip-bomb":
                self._send(200, gzip.compress(b"\0" * 5_000_000), Content_Type="text/plain",
                           Content_Encoding="gzip")
            elif path.startswith("/redirect/"):
                left = int(path.rsplit("/", 1)[1])
                self._send(302, Location="/page" if left <= 1 else f"/redirect/{left - 1}")
            elif path == "/to-ftp":
                self._send(301, Location="ftp://example.com/article")
            elif path == "/to-file":
                self._send(302, Location="file:///etc/passwd")
            elif path == "/to-other-loopback":
                self._send(302, Location=f"http://127.0.0.2:{self.server.server_port}/page")
            elif path == "/missing":
                self._send(404, b"no such page", Content_Type="text/plain")
            elif path == "/broken":
                self._send(500, b"oops", Content_Type="text/plain")
            elif path == "/big":
                self._send(200, b"x" * 10_000, Content_Type="text/plain")
            elif path == "/endless":
                # No Content-Length: the size is only known by reading, and there is far more than anyone wants.
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(1000):
                    self.wfile.write(b"x" * 65536)
            elif path == "/slow":
                time.sleep(1.5)
                self._send(200, PAGE, Content_Type="text/html")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(30):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            else:
                self._send(404)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the fetcher hung up on purpose (too large, too slow)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_reads_a_page_with_allow_private(server):
    fetched = fetch(f"{server}/page", LOCAL)
    assert fetched.url == fetched.final_url == f"{server}/page"
    assert fetched.status == 200
    assert fetched.body == PAGE
    assert fetched.content_type == "text/html"
    assert fetched.charset == "iso-8859-1"


def test_fetch_sends_the_user_agent(server):
    fetch(f"{server}/page", Options(allow_private=True, timeout=1.0, user_agent="newsprism-test/1"))
    assert Handler.seen[-1]["user-agent"] == "newsprism-test/1"


def test_fetch_decompresses_gzip(server):
    fetched = fetch(f"{server}/gzip", LOCAL)
    assert fetched.body == PAGE
    assert fetched.charset is None


def test_fetch_refuses_loopback_without_allow_private(server):
    with pytest.raises(InputError) as caught:
        fetch(f"{server}/page", Options(timeout=1.0))
    line = caught.value.line()
    assert line.startswith(f"error: {server}/page: refused: 127.0.0.1 is a loopback address")
    assert "--allow-private" in line


def test_fetch_refuses_a_name_that_resolves_to_loopback(server):
    port = server.rsplit(":", 1)[1]
    with pytest.raises(InputError) as caught:
        fetch(f"http://localhost:{port}/page", Options(timeout=1.0))
    assert "localhost resolves to" in caught.value.message
    assert "loopback" in caught.value.message
    assert "--allow-private" in caught.value.hint


@pytest.mark.parametrize("url", ["ftp://example.com/article", "file:///etc/passwd", "gopher://example.com/"])
def test_fetch_refuses_schemes_other_than_http(url):
    with pytest.raises(InputError) as caught:
        fetch(url, LOCAL)
    assert f"'{url.split(':', 1)[0]}'" in caught.value.message
    assert caught.value.source == url


def test_fetch_refuses_an_address_without_host():
    with pytest.raises(InputError, match="no host"):
        fetch("http:///article", LOCAL)


def test_fetch_reports_an_unresolvable_host():
    started = time.monotonic()
    with pytest.raises(TransientError) as caught:
        fetch("http://nonexistent.invalid/article", Options(timeout=1.0))
    assert "could not resolve host nonexistent.invalid" in caught.value.message
    assert "connection" in caught.value.hint
    assert "Traceback" not in caught.value.line()
    assert time.monotonic() - started < 2


def test_fetch_follows_redirects_within_the_limit(server):
    fetched = fetch(f"{server}/redirect/3", Options(allow_private=True, timeout=1.0, max_redirects=3))
    assert fetched.url == f"{server}/redirect/3"
    assert fetched.final_url == f"{server}/page"
    assert fetched.body == PAGE


def test_fetch_stops_after_too_many_redirects(server):
    with pytest.raises(InputError, match="more than 3 redirects"):
        fetch(f"{server}/redirect/4", Options(allow_private=True, timeout=1.0, max_redirects=3))


@pytest.mark.parametrize(("path", "scheme"), [("/to-ftp", "ftp"), ("/to-file", "file")])
def test_fetch_refuses_a_redirect_to_another_scheme(server, path, scheme):
    with pytest.raises(InputError) as caught:
        fetch(f"{server}{path}", LOCAL)
    assert "redirected to" in caught.value.message
    assert f"'{scheme}'" in caught.value.message


def test_fetch_checks_the_address_of_every_redirect_hop(server, monkeypatch):
    # Only 127.0.0.1 passes as "public" here, so the first hop is fetched and the redirect to 127.0.0.2 must be
    # refused by the check that runs again for the new hop.
    monkeypatch.setattr(fetch_module, "address_refusal",
                        lambda address: None if address == "127.0.0.1" else "a loopback address")
    with pytest.raises(InputError) as caught:
        fetch(f"{server}/to-other-loopback", Options(timeout=1.0))
    assert caught.value.message.startswith("refused: redirected to http://127.0.0.2:")
    assert "127.0.0.2 is a loopback address" in caught.value.message


def test_fetch_connects_to_the_address_it_checked(server, monkeypatch):
    # The name resolves (through our resolver only) to 127.0.0.1; any second lookup by the HTTP stack would fail,
    # so success means the connection went to the checked address, with the real name in the Host header.
    port = server.rsplit(":", 1)[1]
    monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["127.0.0.1"])
    fetched = fetch(f"http://rebind.invalid:{port}/page", LOCAL)
    assert fetched.body == PAGE
    assert fetched.final_url == f"http://rebind.invalid:{port}/page"
    assert Handler.seen[-1]["host"] == f"rebind.invalid:{port}"


def test_fetch_treats_404_as_bad_input(server):
    with pytest.raises(InputError) as caught:
        fetch(f"{server}/missing", LOCAL)
    assert caught.value.line() == f"error: {server}/missing: HTTP 404 Not Found — check the address"


def test_fetch_treats_500_as_transient(server):
    with pytest.raises(TransientError, match="HTTP 500"):
        fetch(f"{server}/broken", LOCAL)


def test_fetch_refuses_a_body_over_max_bytes(server):
    with pytest.raises(InputError) as caught:
        fetch(f"{server}/big", Options(allow_private=True, timeout=1.0, max_bytes=1000))
    assert "limit" in caught.value.message
    assert "--max-bytes" in caught.value.hint


def test_fetch_stops_reading_an_endless_body_at_max_bytes(server):
    started = time.monotonic()
    with pytest.raises(InputError, match="larger than the 1 MB limit"):
        fetch(f"{server}/endless", Options(allow_private=True, timeout=1.0, max_bytes=1024 * 1024))
    assert time.monotonic() - started < 1.5


def test_fetch_limits_the_decompressed_size(server):
    with pytest.raises(InputError, match="limit"):
        fetch(f"{server}/gzip-bomb", Options(allow_private=True, timeout=1.0, max_bytes=100_000))


def test_fetch_times_out_on_a_slow_server(server):
    started = time.monotonic()
    with pytest.raises(TransientError, match="timed out after 0.3 s"):
        fetch(f"{server}/slow", Options(allow_private=True, timeout=0.3))
    assert time.monotonic() - started < 1


def test_fetch_gives_up_on_a_server_that_drips(server):
    # Each byte arrives well within the read timeout; only the overall deadline (3 × 0.3 s) ends it.
    started = time.monotonic()
    with pytest.raises(TransientError, match="in all"):
        fetch(f"{server}/drip", Options(allow_private=True, timeout=0.3))
    assert time.monotonic() - started < 1.5


def test_fetch_reports_a_refused_connection():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientError) as caught:
        fetch(f"http://127.0.0.1:{port}/page", LOCAL)
    assert "could not connect" in caught.value.message
    assert caught.value.hint == "check the address or your connection, then retry"


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "a loopback address"),
    ("::1", "a loopback address"),
    ("10.1.2.3", "a private address"),
    ("192.168.0.1", "a private address"),
    ("172.16.0.1", "a private address"),
    ("169.254.169.254", "a link-local address"),
    ("fe80::1", "a link-local address"),
    ("224.0.1.1", "a multicast address"),
    ("ff02::1", "a multicast address"),
    ("0.0.0.0", "an unspecified address"),
    ("::", "an unspecified address"),
    ("fec0::1", "a site-local address"),
    ("fd00::1", "a private address"),
    ("100.64.0.1", "a non-public address"),
    ("::ffff:127.0.0.1", "a loopback address"),
    ("::ffff:10.0.0.1", "a private address"),
    ("2002:7f00:1::1", "a loopback address"),
    ("64:ff9b::a9fe:a9fe", "a link-local address"),
    ("93.184.216.34", None),
    ("2606:4700::1111", None),
    ("::ffff:8.8.8.8", None),
])
def test_fetch_classifies_addresses(address, kind):
    assert address_refusal(address) == kind


@pytest.mark.parametrize("address", ["240.0.0.1", "198.18.0.1", "192.0.2.1", "2001:db8::1", "255.255.255.255"])
def test_fetch_refuses_reserved_and_documentation_ranges(address):
    # Which named property covers these differs across Python versions; that they are refused does not.
    assert address_refusal(address) is not None


@pytest.fixture
def tls_server(tmp_path):
    """A one-connection TLS server with a self-signed certificate; yields its port and the SNI names it saw."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not found: it makes the self-signed certificate for the TLS test")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=rebind.invalid", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(2)

    def serve():
        try:
            conn, _ = listener.accept()
            with context.wrap_socket(conn, server_side=True):
                pass
        except OSError:
            pass  # the client rejects our certificate mid-handshake, as it should

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], names
    thread.join(2)
    listener.close()


def test_fetch_sends_the_host_name_in_tls_and_verifies_the_certificate(tls_server, monkeypatch):
    # Connected to the checked IP, the TLS handshake must still name the host (SNI) and check its certificate:
    # a self-signed one is refused as bad input, not retried.
    port, names = tls_server
    monkeypatch.setattr(fetch_module, "_resolve", lambda host, port: ["127.0.0.1"])
    with pytest.raises(InputError, match="certificate"):
        fetch(f"https://rebind.invalid:{port}/page", LOCAL)
    assert names == ["rebind.invalid"]
