"""``newsprism batch``: a corpus — web archives, JSON Lines, Parquet, folders, every input kind newsprism reads —
through extraction, identity and copies, embeddings, stories and analyses, on an engine (``engines.py``).

The driver reads the inputs (I/O only: a web archive's records, a file's bytes) into batches of pages and hands
them to the engine; what comes back is kept under ``--out`` as it arrives, one Parquet part per batch, named by
the hash of what went into it. Run again with the same ``--out`` after a kill, and the parts already there are not
made again: extraction, embedding and analysis resume where they stopped, and the outputs come out the same.

Outputs: ``articles.parquet``, ``stories.parquet``, ``facts.parquet``, ``quotes.parquet``, ``conflicts.parquet``
(one row per item, with story and article ids), ``reports/<story>.json`` (``newsprism.report/1``) and ``run.json``
(inputs, versions, models, counts, timings); with ``--db`` the same loaded into a store.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .._version import __version__
from ..errors import InputError, NewsprismError, SetupError
from ..models import Article

PAGES_PER_BATCH = 32
ARTICLES_PER_EMBED = 256


@dataclass
class BatchSettings:
    out: Path
    engine: str = "local"
    workers: int | None = None
    address: str | None = None
    db: str | None = None
    min_outlets: int = 2
    embedder: str | None = None
    outlet_files: tuple[str, ...] = ()
    max_bytes: int = 20 * 1024 * 1024

    @property
    def config(self) -> dict:
        """What every stage is built from (plain values, so it crosses process and machine borders)."""
        return {"embedder": self.embedder, "outlet_files": list(self.outlet_files), "max_bytes": self.max_bytes}


@dataclass
class BatchResult:
    counts: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    resumed: dict = field(default_factory=dict)
    """Parts found done from an earlier run, by stage."""


def _arrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise SetupError("newsprism batch writes Parquet and needs pyarrow", source="newsprism batch",
                         hint="pip install 'newsprism[batch]'") from None
    return pa, pq


def _digest(parts: Iterable[str]) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:16]


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


# -- reading ----------------------------------------------------------------------------------------------------------

def _pages(inputs: list[str], settings: BatchSettings, problems: list[str]) -> Iterator[dict]:
    """Every page the inputs hold, as a row for the extract stage (nothing is fetched: a corpus is local)."""
    from ..ingest.read import is_url, payloads_for
    from ..options import Options

    options = Options(max_bytes=settings.max_bytes)
    for spec in inputs:
        if is_url(spec):
            problems.append(InputError("is an address; newsprism batch reads local files (web archives, JSON "
                                       "Lines, Parquet, pages, folders)", source=spec,
                                       hint="fetch it with newsprism ingest, or save it first").line())
            continue
        if spec.lower().endswith(".parquet"):
            yield from _parquet_pages(spec, problems)
            continue
        try:
            for payload in payloads_for(spec, options):
                if isinstance(payload, InputError):
                    problems.append(payload.line())
                    continue
                if payload.kind in ("feed", "urls"):
                    problems.append(InputError(f"is a {'feed' if payload.kind == 'feed' else 'list of addresses'}; "
                                               "newsprism batch fetches nothing", source=payload.source,
                                               hint="use newsprism ingest or watch for feeds").line())
                    continue
                if payload.kind == "jsonl":  # one row per record, so a big export is spread over the workers
                    for n, line in enumerate(payload.data.splitlines(), start=1):
                        if line.strip():
                            yield {"source": f"{payload.source}#line-{n}", "kind": "jsonl", "url": None,
                                   "published": None, "charset": payload.charset, "data": line}
                    continue
                yield {"source": payload.source, "kind": payload.kind, "url": payload.url,
                       "published": payload.published, "charset": payload.charset, "data": payload.data}
        except NewsprismError as exc:
            problems.append(exc.line())


def _parquet_pages(spec: str, problems: list[str]) -> Iterator[dict]:
    """A Parquet file of article records (the JSON Lines fields as columns): each row as one JSON Lines record."""
    pa, pq = _arrow()
    try:
        parquet = pq.ParquetFile(spec)
    except (OSError, pa.ArrowException) as exc:
        problems.append(InputError(f"is not a readable Parquet file ({exc})", source=spec,
                                   hint="check the file").line())
        return
    n = 0
    for batch in parquet.iter_batches(batch_size=256):
        for row in batch.to_pylist():
            n += 1
            record = {k: v for k, v in row.items() if v is not None}
            yield {"source": f"{spec}#row-{n}", "kind": "jsonl", "url": None, "published": None, "charset": "utf-8",
                   "data": json.dumps(record, default=str).encode("utf-8")}


def _batched(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- the run ----------------------------------------------------------------------------------------------------------

class _Parts:
    """The finished parts of one stage under ``out/parts/<stage>/``: done ones are read back, not made again."""

    def __init__(self, out: Path, stage: str) -> None:
        self.folder = out / "parts" / stage
        self.folder.mkdir(parents=True, exist_ok=True)
        self.resumed = 0
        for stale in self.folder.glob("*.tmp*"):  # a part a killed run was writing: it is made again
            stale.unlink(missing_ok=True)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.parquet"

    def run(self, engine, stage: str, config: dict, keyed: Iterable[tuple[str, object]]) -> Iterator:
        """Each batch's result in input order: read back from its part when an earlier run made it, else made by
        the engine (which gets None in place of a done batch, so the order holds and nothing is sent twice)."""
        pa, pq = _arrow()
        keys: list[str] = []

        def tables():
            for key, table in keyed:
                keys.append(key)
                yield None if self.path(key).exists() else table

        for n, table in enumerate(engine.map(stage, config, tables())):
            path = self.path(keys[n])
            if table is None:
                self.resumed += 1
                yield pq.read_table(path)
                continue
            _write_atomic(path, lambda p: pq.write_table(table, p))
            yield table


def run_batch(inputs: list[str], settings: BatchSettings,
              progress: Callable[[str, int, int | None], None] | None = None) -> BatchResult:
    """Run the whole pipeline; ``progress(stage, done, total)`` is called as batches finish."""
    from .engines import make_engine

    pa, pq = _arrow()
    out = settings.out
    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("*.tmp*"), *out.glob("reports/*.tmp*")]:  # what a killed run was writing
        stale.unlink(missing_ok=True)
    result = BatchResult()
    say = progress or (lambda stage, done, total: None)
    started = time.monotonic()
    engine = make_engine(settings.engine, settings.workers, settings.address)
    try:
        # 1. read and extract
        t = time.monotonic()
        extract = _Parts(out, "extract")
        counted = {"pages": 0}

        def page_batches():  # streamed: the inputs are read as the workers take batches, never all at once
            for batch in _batched(_pages(inputs, settings, result.problems), PAGES_PER_BATCH):
                counted["pages"] += len(batch)
                yield (_digest(r["source"] + "\0" + hashlib.sha1(r["data"]).hexdigest() for r in batch),
                       pa.Table.from_pylist(batch, schema=_PAGE_SCHEMA(pa)))

        articles: list[Article] = []
        for n, table in enumerate(extract.run(engine, "extract", settings.config, page_batches()), start=1):
            for row in table.to_pylist():
                if row["article"]:
                    articles.append(Article.model_validate_json(row["article"]))
                if row["problem"]:
                    result.problems.append(row["problem"])
            say("pages read and extracted", counted["pages"], None)
        pages = counted["pages"]
        result.timings["read and extract"] = time.monotonic() - t
        result.counts["pages"], result.resumed["extract"] = pages, extract.resumed

        # 2. identity and copies, over the whole corpus (as the store does: canonical URL, then exact text)
        t = time.monotonic()
        articles = _settle_identity(articles)
        result.counts["articles"] = len(articles)
        result.timings["identity and copies"] = time.monotonic() - t

        # 3. embeddings
        t = time.monotonic()
        embed = _Parts(out, "embed")
        from ..cluster.features import ArticleFeatures

        chunks = []
        for start in range(0, len(articles), ARTICLES_PER_EMBED):
            chunk = articles[start:start + ARTICLES_PER_EMBED]
            rows = [{"id": a.id, "title": a.title, "text": a.text, "published": a.published} for a in chunk]
            key = _digest(f"{a.id}:{hashlib.sha1(a.text.encode()).hexdigest()}" for a in chunk)
            chunks.append((key + f"-{settings.embedder or 'default'}", pa.Table.from_pylist(rows)))
        features = []
        for n, table in enumerate(embed.run(engine, "embed", settings.config, chunks), start=1):
            for row in table.to_pylist():
                features.append(ArticleFeatures.from_bytes(row["id"], row["features"]))
            say("articles embedded", min(n * ARTICLES_PER_EMBED, len(articles)), len(articles))
        result.timings["embed"] = time.monotonic() - t
        result.resumed["embed"] = embed.resumed

        # 4. stories (the clusterer of `newsprism cluster`, over the whole corpus in input order)
        t = time.monotonic()
        from ..cluster.online import cluster_features
        from ..nlp.embed import embedder_choice

        stories_of = cluster_features(features, embedder=_embedder_name(settings)) if features else []
        story_of = dict(zip((f.id for f in features), stories_of))
        result.timings["cluster"] = time.monotonic() - t
        members: dict[str, list[Article]] = {}
        for article in articles:
            members.setdefault(story_of[article.id], []).append(article)
        result.counts["stories"] = len(members)
        say("articles clustered", len(features), len(features))

        # 5. analyses of the stories enough outlets cover, one story a task
        t = time.monotonic()
        analyse = _Parts(out, "analyse")
        wanted = [(s, m) for s, m in members.items()
                  if len({a.outlet.name for a in m if a.outlet and not a.duplicate_of}) >= settings.min_outlets]
        tasks = []
        for story, group in wanted:
            key = _digest([story, embedder_choice(settings.embedder)] + [f"{a.id}:{a.model_dump_json()}" for a in group])
            tasks.append((key, pa.Table.from_pylist([{"story": story, "articles": json.dumps(
                [a.model_dump(mode="json") for a in group])}])))
        reports: dict[str, str] = {}
        for n, table in enumerate(analyse.run(engine, "analyse", settings.config, tasks), start=1):
            for row in table.to_pylist():
                if row["report"]:
                    reports[row["story"]] = row["report"]
                else:
                    result.problems.append(f"error: story {row['story']}: not analysed: {row['problem']}")
            say("stories analysed", n, len(tasks))
        result.timings["analyse"] = time.monotonic() - t
        result.counts["stories analysed"], result.resumed["analyse"] = len(reports), analyse.resumed

        # 6. outputs
        t = time.monotonic()
        _write_outputs(out, articles, story_of, members, reports)
        if settings.db:
            _load_store(settings.db, articles, story_of, reports, settings)
        result.timings["outputs"] = time.monotonic() - t
    finally:
        engine.close()
    result.timings["total"] = time.monotonic() - started
    result.counts["problems"] = len(result.problems)
    run = {"newsprism_version": __version__, "inputs": inputs, "engine": settings.engine,
           "workers": engine.workers, "embedder": embedder_choice(settings.embedder),
           "min_outlets": settings.min_outlets, "counts": result.counts,
           "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
           "resumed_parts": result.resumed, "problems": result.problems[:1000]}
    _write_atomic(out / "run.json", lambda p: p.write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8"))
    return result


def _PAGE_SCHEMA(pa):
    return pa.schema([("source", pa.string()), ("kind", pa.string()), ("url", pa.string()),
                      ("published", pa.string()), ("charset", pa.string()), ("data", pa.binary())])


def _embedder_name(settings: BatchSettings) -> str:
    from ..nlp.embed import embedder_name

    return embedder_name(settings.embedder)


def _settle_identity(articles: list[Article]) -> list[Article]:
    """One article per canonical address (the first), ids unique, exact copies of an earlier text marked."""
    from ..ingest.identity import fingerprint_of, store_key

    seen_keys: set[str] = set()
    used: set[str] = set()
    first_of: dict[str, str] = {}
    kept = []
    for article in articles:
        key = store_key(article.url, article.title, article.text)
        if key in seen_keys:
            continue
        seen_keys.add(key)
        given, n = article.id, 2
        while given in used:
            given, n = f"{article.id}-{n}", n + 1
        used.add(given)
        update: dict = {"id": given}
        if article.duplicate_of is None and article.text.strip():
            fingerprint = fingerprint_of(article.text)
            if fingerprint in first_of:
                update["duplicate_of"] = first_of[fingerprint]
            else:
                first_of[fingerprint] = given
        kept.append(article.model_copy(update=update))
    return kept


def _write_outputs(out: Path, articles: list[Article], story_of: dict[str, str], members: dict[str, list[Article]],
                   reports: dict[str, str]) -> None:
    pa, pq = _arrow()
    rows = [{"id": a.id, "story": story_of[a.id], "source": a.source, "url": a.url, "outlet": a.outlet.name
             if a.outlet else None, "lean": a.outlet.lean if a.outlet else None, "country": a.outlet.country
             if a.outlet else None, "title": a.title, "published": a.published, "kind": a.kind,
             "duplicate_of": a.duplicate_of, "language": a.language, "words": len(a.text.split())}
            for a in articles]
    _table(out / "articles.parquet", rows, pq, pa)
    stories = []
    for story, group in members.items():
        dates = sorted(a.published for a in group if a.published)
        stories.append({"story": story, "title": next((a.title for a in group if a.title), None),
                        "articles": len(group), "outlets": sorted({a.outlet.name for a in group if a.outlet}),
                        "first_published": dates[0] if dates else None, "last_published": dates[-1] if dates else None,
                        "analysed": story in reports})
    _table(out / "stories.parquet", stories, pq, pa)
    facts, quotes, conflicts = [], [], []
    (out / "reports").mkdir(exist_ok=True)
    for story, report_json in sorted(reports.items()):
        _write_atomic(out / "reports" / f"{story}.json", lambda p: p.write_text(report_json, encoding="utf-8"))
        report = json.loads(report_json)
        for fact in report.get("facts", []):
            facts.append({"story": story, "fact": fact.get("id"), "text": fact.get("text"),
                          "outlets": fact.get("outlets", []), "articles": [e["article"] for e in fact.get("evidence", [])],
                          "status": fact.get("status")})
        for quote in report.get("quotes", []):
            quotes.append({"story": story, "quote": quote.get("id"), "text": quote.get("text"),
                           "speaker": (quote.get("speaker") or {}).get("name") if isinstance(quote.get("speaker"), dict)
                           else quote.get("speaker"), "article": (quote.get("evidence") or [{}])[0].get("article")
                           if quote.get("evidence") else quote.get("article")})
        for conflict in report.get("conflicts", []):
            conflicts.append({"story": story, "conflict": conflict.get("id"), "kind": conflict.get("kind"),
                              "summary": conflict.get("summary") or conflict.get("text"),
                              "json": json.dumps(conflict)})
    _table(out / "facts.parquet", facts, pq, pa, ["story", "fact", "text", "outlets", "articles", "status"])
    _table(out / "quotes.parquet", quotes, pq, pa, ["story", "quote", "text", "speaker", "article"])
    _table(out / "conflicts.parquet", conflicts, pq, pa, ["story", "conflict", "kind", "summary", "json"])


def _table(path: Path, rows: list[dict], pq, pa, columns: list[str] | None = None) -> None:
    table = pa.Table.from_pylist(rows) if rows else pa.table({c: pa.array([], pa.string()) for c in columns or []})
    _write_atomic(path, lambda p: pq.write_table(table, p))


def _load_store(db: str, articles: list[Article], story_of: dict[str, str], reports: dict[str, str],
                settings: BatchSettings) -> None:
    """The run's articles, stories and analyses into a store (idempotent: a second load changes nothing)."""
    from ..nlp.embed import embedder_choice
    from ..store import open_store

    store = open_store(db)
    try:
        stored = {}
        for article in articles:
            stored_id, _ = store.upsert_article(article)
            stored[article.id] = stored_id
        known = {i for i, _, s in store.article_states() if s}
        store.assign({stored[a.id]: story_of[a.id] for a in articles if stored[a.id] not in known})
        for story, report in reports.items():
            digest = f"{store.members_hash(story)}:{embedder_choice(settings.embedder)}"
            store.save_analysis(story, digest, report)
    finally:
        store.close()


__all__ = ["BatchResult", "BatchSettings", "run_batch"]
