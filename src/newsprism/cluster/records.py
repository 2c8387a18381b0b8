"""The stateless ``cluster`` command's input: JSON Lines records with unique ids, and their stories."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import InputError, NewsprismError
from ..ingest.decode import decode
from ..ingest.read import payloads_for
from ..ingest.records import Record, iter_records
from ..options import Options


def read_cluster_input(inputs: Iterable[str], options: Options) -> tuple[list[Record], list[NewsprismError], int]:
    """(records, problems, inputs that gave no record). A repeated id is a problem; its first record is kept."""
    records: list[Record] = []
    problems: list[NewsprismError] = []
    failed = 0
    first_seen: dict[str, str] = {}
    for spec in inputs:
        before = len(records)
        try:
            for payload in payloads_for(spec, options):
                if isinstance(payload, InputError):
                    problems.append(payload)
                    continue
                if payload.kind != "jsonl":
                    problems.append(InputError("not JSON Lines", source=payload.source,
                                               hint='give records like {"id": …, "title": …, "text": …}, one a line'))
                    continue
                text, _ = decode(payload.data, payload.source, payload.charset)
                for item in iter_records(text, payload.source, options.max_bytes):
                    if isinstance(item, InputError):
                        problems.append(item)
                    elif not item.id:
                        problems.append(InputError("record has no 'id'", source=item.source,
                                                   hint="give every record an id; the record was skipped"))
                    elif item.id in first_seen:
                        problems.append(InputError(
                            f"id '{item.id}' repeats the id of {first_seen[item.id]}", source=item.source,
                            hint="ids must be unique; the repeat was skipped"))
                    else:
                        first_seen[item.id] = item.source
                        records.append(item)
        except NewsprismError as exc:
            problems.append(exc)
        if len(records) == before:
            failed += 1
    return records, problems, failed


def cluster_records(records: list[Record], settings=None) -> list[str]:
    """The story id of each record, in order."""
    from .features import featurize
    from .online import cluster_features

    items = [(r.id or "", r.title, r.text or "", r.published) for r in records]
    return cluster_features(featurize(items), settings)
