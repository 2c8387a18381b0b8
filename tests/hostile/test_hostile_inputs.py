"""Hostile and broken inputs we make ourselves: each is processed, or gets one clear error line and a non-zero
exit — never a traceback, a hang, or unbounded memory. Cases and outcomes are listed in docs/reliability.md."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ARTICLE = ("Harbour workers end strike\nDock workers ended their nine-day strike on Friday after the port "
           "authority raised its pay offer, the union said in a statement.\nThe port reopens on Saturday.\n")
TIMEOUT = 120


def extract(*args: str, user: int | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "newsprism", "extract", "-q", *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def records(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def one_error(result: subprocess.CompletedProcess, name: str) -> str:
    lines = [line for line in error_lines(result) if name in line]
    assert len(lines) == 1, result.stderr
    assert " — " in lines[0]  # says what to do
    assert result.returncode != 0
    return lines[0]


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  "], ids=["empty", "whitespace"])
def test_hostile_empty_files(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    assert "is empty" in one_error(extract(str(path)), "blank.txt")


def test_hostile_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(os.urandom(64 * 1024))
    assert "binary" in one_error(extract(str(path)), "image.txt")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"])
def test_hostile_encodings_are_read(tmp_path, encoding):
    text = ARTICLE.replace("union said", "union’s “leader” said") if encoding == "cp1252" else \
        ARTICLE.replace("Harbour", "Hårbour")
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    result = extract(str(path))
    [record] = records(result)
    expected = "union’s “leader” said" if encoding == "cp1252" else "Hårbour"
    assert expected in record["text"] + (record["title"] or "")


def test_hostile_mixed_encoding_is_read_with_a_warning(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(ARTICLE.encode("utf-8") + "Café “quoted” end of story here.".encode("cp1252"))
    result = extract(str(path))
    assert result.returncode == 0 and len(records(result)) == 1
    assert "warning:" in result.stderr and "mixed.txt" in result.stderr


def test_hostile_50mb_single_line_is_refused_by_the_size_limit(tmp_path):
    path = tmp_path / "line.txt"
    with path.open("wb") as handle:
        for _ in range(50):
            handle.write(b"word " * (1024 * 1024 // 5))
    assert "limit" in one_error(extract(str(path)), "line.txt")


def test_hostile_long_single_line_within_the_limit_is_processed(tmp_path):
    path = tmp_path / "line.txt"
    path.write_text("The port reopened after the strike. " * 100_000)  # 3.6 MB, one line, 600,000 words
    result = extract(str(path), "--max-chars", "4000000", "--max-words", "700000")
    assert result.returncode == 0 and len(records(result)[0]["text"]) > 3_000_000
    # Beyond the ceiling on one article's text it is cut at a sentence end, with one warning saying where.
    result = extract(str(path))
    text = records(result)[0]["text"]
    assert result.returncode == 0 and len(text.split()) <= 100_000 and text.endswith("strike.")
    assert [line for line in result.stderr.splitlines() if line.startswith("warning:")] == [
        line for line in result.stderr.splitlines() if "line.txt: 600,000 words" in line]


def test_hostile_deeply_nested_and_unclosed_html(tmp_path):
    nested = tmp_path / "nested.html"
    nested.write_text("<html><body>" + "<div>" * 20_000 + "<p>" + ARTICLE + "</p></body></html>")
    unclosed = tmp_path / "unclosed.html"
    unclosed.write_text("<html><body><article><p>" + ARTICLE.replace("\n", "<p>") * 5 + "<div><span><b><i>")
    result = extract(str(nested), str(unclosed))
    assert result.returncode in (0, 1)
    assert any("unclosed.html" in r["source"] for r in records(result))
    # The nested page is read or refused with one line: it never silently disappears.
    read = [r for r in records(result) if r["source"].endswith("nested.html")]
    refused = [line for line in error_lines(result) if "nested.html" in line]
    assert len(read) + len(refused) == 1, result.stderr
    assert all(" — " in line for line in refused)


def test_hostile_html_of_only_scripts_and_styles(tmp_path):
    path = tmp_path / "scripts.html"
    path.write_text("<html><head><style>body{color:red}</style><script>var a=1;</script></head>"
                    "<body><script>document.write('x'.repeat(10000))</script></body></html>")
    assert "no article" in one_error(extract(str(path)), "scripts.html")


def test_hostile_gzip_bomb(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb") as handle:
        for _ in range(64):
            handle.write(b"\0" * (1024 * 1024))
    assert path.stat().st_size < 200_000
    assert "limit" in one_error(extract("--max-bytes", "10", str(path)), "bomb.txt.gz")


def test_hostile_jsonl_broken_lines_wrong_types_and_big_fields(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "ok1", "text": ARTICLE}), "{broken", json.dumps({"id": "t", "text": ["a", "b"]}),
             json.dumps({"id": "big", "title": "Big", "text": "The port reopened after the strike. " * 300_000}),
             "null", json.dumps({"id": "ok2", "text": ARTICLE, "published": "2026-02-30"})]
    path.write_text("\n".join(lines))
    result = extract(str(path))
    assert result.returncode == 1
    assert sorted(r["id"] for r in records(result)) == ["big", "ok1", "ok2"]
    assert next(r for r in records(result) if r["id"] == "ok2")["published"] is None
    assert len(error_lines(result)) == 3


def test_hostile_directory_and_symlink_loop(tmp_path):
    empty = tmp_path / "emptydir"
    empty.mkdir()
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "a.txt").write_text(ARTICLE)
    (loop / "again").symlink_to(loop)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    result = extract(str(empty), str(loop), str(tmp_path / "self.txt"))
    assert len(records(result)) == 1
    one_error(result, "emptydir")
    one_error(result, "self.txt")


def _nobody_can_run_newsprism() -> str | None:
    """Why the command cannot run as 'nobody' here, or None when it can (a checkout in a private folder — a
    ``mktemp -d`` — keeps 'nobody' out of the interpreter and the package)."""
    if not shutil.which("setpriv"):
        return "setpriv (util-linux) is needed to drop privileges"
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                            "import newsprism"], capture_output=True, text=True, timeout=TIMEOUT)
    if probe.returncode != 0:
        return (f"user 'nobody' cannot run {sys.executable} with newsprism (the checkout is in a folder it may not "
                "enter), so an unreadable file cannot be shown to it")
    return None


def test_hostile_unreadable_file():
    # Root reads everything, so the command runs as 'nobody' to meet a file it may not read; the folder must
    # be one 'nobody' can enter, so it is made directly under the system's temporary folder.
    if os.geteuid() == 0 and (why := _nobody_can_run_newsprism()) is not None:
        pytest.skip(why)
    tmp_path = Path(tempfile.mkdtemp(prefix="newsprism-perm-"))
    tmp_path.chmod(0o755)
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE)
    secret.chmod(0o000)
    readable = tmp_path / "open.txt"
    readable.write_text(ARTICLE)
    readable.chmod(0o644)
    if os.geteuid() == 0:
        result = extract(str(secret), str(readable), user=65534)
    else:
        result = extract(str(secret), str(readable))
    try:
        assert "permission denied" in one_error(result, "secret.txt")
        assert len(records(result)) == 1
    finally:
        shutil.rmtree(tmp_path)


def test_hostile_scripts_rtl_and_invisible_characters(tmp_path):
    texts = {
        "ru.txt": "Забастовка окончена\nДокеры прекратили забастовку в пятницу после нового предложения.\n",
        "ar.txt": "انتهاء الإضراب\nأنهى عمال الميناء إضرابهم يوم الجمعة بعد عرض جديد من إدارة الميناء.\n",
        "zh.txt": "罢工结束\n港口工人周五在港务局提高加薪方案后结束了为期九天的罢工。\n",
        "zw.txt": ARTICLE.replace("strike", "str\u200bike\u202e").replace("port", "po\x07rt"),
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text)
    result = extract(*(str(tmp_path / n) for n in texts))
    got = {Path(r["source"]).name: r for r in records(result)}
    assert set(got) == set(texts), result.stderr
    assert got["ru.txt"]["language"] == "ru" and got["ar.txt"]["language"] == "ar"
    assert "\u200b" not in got["zw.txt"]["text"] and "\x07" not in got["zw.txt"]["text"]
    assert "strike" in got["zw.txt"]["text"]


def test_hostile_story_of_500_articles(tmp_path):
    import random

    rng = random.Random(7)
    path = tmp_path / "story.jsonl"
    with path.open("w") as handle:
        for i in range(500):
            topic = rng.choice(["harbour", "bridge", "school", "rail line", "hospital"])
            text = (f"Officials in Lisvaro said on Monday that the {topic} project would cost {rng.randint(2, 90)} "
                    f"million, after a council vote of {rng.randint(5, 30)} to {rng.randint(0, 4)}.\n\n"
                    f"“We will build it,” Mayor Anna Brezik said. Residents told reporters the {topic} had been "
                    f"delayed for {rng.randint(2, 9)} years.")
            handle.write(json.dumps({"id": f"s{i}", "title": f"Lisvaro {topic} vote", "text": text,
                                     "outlet": f"Outlet {i % 40}", "published": f"2026-03-0{1 + i % 5}"}) + "\n")
    for output in ("r.json", "r.html"):
        result = subprocess.run([sys.executable, "-m", "newsprism", "analyze", "-q", str(path), "-o",
                                 str(tmp_path / output)], capture_output=True, text=True, timeout=600)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert len(report["articles"]) == 500 and report["facts"]
    assert report["coverage"]["outlets"] == 40
