"""Delta Lake writer sidecar for the embedded mode.

The Node server keeps one of these processes running and sends it one JSON request per line on
stdin; it answers one JSON line per request on stdout. It turns a sealed write-ahead-log segment
into one Delta commit per table (bronze.events partitioned by event_date, bronze.identifies),
with delta-rs. Each commit carries a Delta transaction identifier (app_id, version = segment
number), and a segment whose version is already committed is skipped: replaying a segment after
a crash never writes its rows twice. The Kafka lake writer passes its own "app_id" per topic
partition (version = the offset after the batch), so each partition's progress is recorded in the
table it wrote. The answer names the Parquet files the events commit added,
so the schema registry can read the segment's events back as columns instead of JSON.

Requests:
  {"id": 1, "op": "append_segment", "segment": "/path/0000000000000007.wal",
   "version": 7, "events_table": "/lake/bronze/events", "identifies_table": "/lake/bronze/identifies"}
  {"id": 2, "op": "partition_files", "table": "/lake/bronze/events", "small_file_bytes": 33554432}
  {"id": 3, "op": "compact", "table": "/lake/bronze/events", "partitions": [{"event_date": "2026-10-30"}]}
  {"id": 4, "op": "vacuum", "table": "/lake/bronze/events"}
  {"id": 5, "op": "ping"}
  {"id": 6, "op": "committed_version", "table": "/lake/bronze/events", "app_id": "tl-kafka:tl.events:0"}

Requests are handled one at a time, in arrival order, so a compaction or vacuum never overlaps an
append of the same server (server/lake/compactor.ts relies on this). Compaction is delta-rs's own
optimize: its commit only removes and re-adds files (dataChange=false) and leaves the
transaction identifiers in the log, so replay detection survives it.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from typing import Any
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake
# The encoder the partition filters use, so a reported value names its partition exactly.
from deltalake._util import encode_partition_value

APP_ID = "telemetry-lakehouse-wal"
UTC_TS = pa.timestamp("us", tz="UTC")

EVENTS_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("workspace_id", pa.string()),
        ("event", pa.string()),
        ("user_id", pa.string()),
        ("anonymous_id", pa.string()),
        ("session_id", pa.string()),
        ("ts", UTC_TS),
        ("event_date", pa.date32()),
        ("received_at", UTC_TS),
        ("sent_at", UTC_TS),
        ("properties", pa.string()),
        ("app_version", pa.string()),
        ("platform", pa.string()),
        ("os", pa.string()),
        ("browser", pa.string()),
        ("device_type", pa.string()),
        ("country", pa.string()),
        ("locale", pa.string()),
        ("page_path", pa.string()),
        ("source", pa.string()),
        ("ingest_batch_id", pa.string()),
    ]
)

IDENTIFIES_SCHEMA = pa.schema(
    [
        ("workspace_id", pa.string()),
        ("user_id", pa.string()),
        ("anonymous_id", pa.string()),
        ("ts", UTC_TS),
        ("received_at", UTC_TS),
        ("traits", pa.string()),
        ("source", pa.string()),
        ("ingest_batch_id", pa.string()),
    ]
)

DEFAULT_TARGET_SIZE = 128 * 1024 * 1024


def _as_strings(schema: pa.Schema) -> pa.DataType:
    """The row as the WAL holds it: every field a JSON string (or null)."""
    return pa.struct([(f.name, pa.string()) for f in schema])


WAL_SCHEMA = pa.schema(
    [
        ("events", pa.list_(_as_strings(EVENTS_SCHEMA))),
        ("identifies", pa.list_(_as_strings(IDENTIFIES_SCHEMA))),
    ]
)


def _flatten(records: pa.Table, column: str, schema: pa.Schema) -> pa.Table:
    rows = pc.list_flatten(records.column(column))
    rows = rows.combine_chunks() if isinstance(rows, pa.ChunkedArray) else rows
    arrays = []
    for field in schema:
        values = rows.field(field.name)
        # ISO 8601 text ("2026-11-01T10:00:00.123Z", "2026-11-01") → timestamp / date, in C++.
        arrays.append(values if field.type == pa.string() else pc.cast(values, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def read_segment(path: str) -> tuple[pa.Table, pa.Table]:
    """The events and identifies of a segment as Arrow tables, parsed by Arrow's JSON reader
    (C++; the per-row Python loop it replaced was the lake writer's bottleneck). Only complete
    lines count: a torn last line (a crash mid-write) has no newline and was never acknowledged.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    data = data[: data.rfind(b"\n") + 1]
    if not data.strip():
        return EVENTS_SCHEMA.empty_table(), IDENTIFIES_SCHEMA.empty_table()
    # A block must hold a whole line; one WAL record (a request) can be several MiB.
    longest = max(map(len, data.split(b"\n")))
    records = pj.read_json(
        io.BytesIO(data),
        read_options=pj.ReadOptions(block_size=max(1 << 20, longest + 1)),
        parse_options=pj.ParseOptions(explicit_schema=WAL_SCHEMA, unexpected_field_behavior="ignore"),
    )
    return _flatten(records, "events", EVENTS_SCHEMA), _flatten(records, "identifies", IDENTIFIES_SCHEMA)


def committed_version(path: str, app_id: str = APP_ID) -> int | None:
    if not os.path.exists(os.path.join(path, "_delta_log")):
        return None
    return DeltaTable(path).transaction_version(app_id)


def committed_files(path: str, table_version: int, version: int, app_id: str = APP_ID) -> list[str]:
    """The data files (paths relative to the table) that Delta commit `table_version` added,
    read from its commit file, after checking that the commit is this segment's (our
    transaction identifier with `version`)."""
    log = os.path.join(path, "_delta_log", f"{table_version:020d}.json")
    files: list[str] = []
    ours = False
    with open(log, encoding="utf-8") as fh:
        for line in fh:
            action = json.loads(line)
            txn = action.get("txn")
            if txn and txn.get("appId") == app_id and int(txn.get("version")) == version:
                ours = True
            add = action.get("add")
            if add and add.get("dataChange", True):
                files.append(unquote(add["path"]))  # the log holds relative URIs
    if not ours:
        raise RuntimeError(f"Delta commit {table_version} of {path} is not segment {version}'s")
    return files


def append(
    path: str, table: pa.Table, version: int, partition_by: list[str] | None, app_id: str = APP_ID
) -> tuple[str, list[str]]:
    """Appends with the transaction id: ("written", the files added) or ("skipped", []) when this
    version is already committed."""
    exists = os.path.exists(os.path.join(path, "_delta_log"))
    target: Any = path
    before = -1
    if exists:
        dt = DeltaTable(path)
        current = dt.transaction_version(app_id)
        if current is not None and current >= version:
            return "skipped", []
        target = dt  # the checked snapshot: a concurrent commit of the same app id then conflicts
        before = dt.version()
    write_deltalake(
        target,
        table,
        mode="append",
        partition_by=partition_by,
        commit_properties=CommitProperties(app_transactions=[Transaction(app_id=app_id, version=version)]),
    )
    # This process is the table's only writer (compaction runs on the same request loop), so the
    # commit just made is the next version.
    return "written", committed_files(path, before + 1, version, app_id)


def append_segment(req: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    events, identifies = read_segment(req["segment"])
    version = int(req["version"])
    app_id = str(req.get("app_id") or APP_ID)
    result: dict[str, Any] = {"events": events.num_rows, "identifies": identifies.num_rows}
    # Tables are created on their first non-empty segment; an empty part still records the
    # version when the table exists, so a replay is recognised.
    if events.num_rows or os.path.exists(os.path.join(req["events_table"], "_delta_log")):
        result["events_status"], result["events_files"] = append(
            req["events_table"], events, version, ["event_date"], app_id
        )
    if identifies.num_rows or os.path.exists(os.path.join(req["identifies_table"], "_delta_log")):
        result["identifies_status"], _ = append(req["identifies_table"], identifies, version, None, app_id)
    result["seconds"] = round(time.perf_counter() - started, 4)
    return result


def table_exists(path: str) -> bool:
    return os.path.exists(os.path.join(path, "_delta_log"))


def partition_files(req: dict[str, Any]) -> dict[str, Any]:
    """Per-partition file counts and sizes from the Delta log (no data file is opened)."""
    path = req["table"]
    if not table_exists(path):
        return {"exists": False, "partition_columns": [], "partitions": []}
    small = int(req["small_file_bytes"])
    target = int(req.get("target_size", DEFAULT_TARGET_SIZE))
    dt = DeltaTable(path)
    columns = list(dt.metadata().partition_columns)
    actions = pa.table(dt.get_add_actions(flatten=True))
    if actions.num_rows == 0:
        return {"exists": True, "version": dt.version(), "partition_columns": columns, "partitions": []}
    sizes = actions.column("size_bytes").to_pylist()
    values = [actions.column(f"partition.{c}").to_pylist() for c in columns]
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i, size in enumerate(sizes):
        key = tuple(v[i] for v in values)
        g = groups.get(key)
        if g is None:
            g = groups[key] = {
                # Encoded like the Delta log's partitionValues; None for a null partition value.
                "values": {c: None if v is None else encode_partition_value(v) for c, v in zip(columns, key)},
                "files": 0,
                "bytes": 0,
                "small_files": 0,
                "small_bytes": 0,
                "rewrite_bytes": 0,
            }
        g["files"] += 1
        g["bytes"] += size
        if size < small:
            g["small_files"] += 1
            g["small_bytes"] += size
        if size < target:  # what optimize would read and rewrite in this partition
            g["rewrite_bytes"] += size
    partitions = sorted(groups.values(), key=lambda g: [str(v) for v in g["values"].values()])
    return {"exists": True, "version": dt.version(), "partition_columns": columns, "partitions": partitions}


def total_size(file_metrics: Any) -> int:
    """optimize reports filesAdded/filesRemoved as a JSON string of {totalFiles, totalSize, …}."""
    if isinstance(file_metrics, str):
        file_metrics = json.loads(file_metrics)
    return int((file_metrics or {}).get("totalSize") or 0)


def compact(req: dict[str, Any]) -> dict[str, Any]:
    """delta-rs optimize.compact, limited to the given partitions (all when there is no list).

    One partition column: one optimize commit for the whole list ("in" filter). Several: one
    commit per partition, since optimize takes a single conjunction of filters.
    """
    dt = DeltaTable(req["table"])
    target = int(req.get("target_size", DEFAULT_TARGET_SIZE))
    tasks = req.get("max_concurrent_tasks")
    partitions: list[dict[str, str]] | None = req.get("partitions")
    columns = list(dt.metadata().partition_columns)
    if partitions is None or not columns:
        filters: list[Any] = [None]
    elif not partitions:
        filters = []
    elif len(columns) == 1:
        filters = [[(columns[0], "in", [p[columns[0]] for p in partitions])]]
    else:
        filters = [[(c, "=", p[c]) for c in columns] for p in partitions]
    totals = {"numFilesAdded": 0, "numFilesRemoved": 0, "partitionsOptimized": 0, "bytesAdded": 0, "bytesRemoved": 0}
    for f in filters:
        m = dt.optimize.compact(partition_filters=f, target_size=target, max_concurrent_tasks=tasks)
        totals["numFilesAdded"] += int(m.get("numFilesAdded") or 0)
        totals["numFilesRemoved"] += int(m.get("numFilesRemoved") or 0)
        totals["partitionsOptimized"] += int(m.get("partitionsOptimized") or 0)
        totals["bytesAdded"] += total_size(m.get("filesAdded"))
        totals["bytesRemoved"] += total_size(m.get("filesRemoved"))
    if req.get("checkpoint", True) and totals["numFilesRemoved"]:
        dt.create_checkpoint()
    return {"metrics": totals, "version": dt.version()}


def vacuum(req: dict[str, Any]) -> dict[str, Any]:
    """Deletes data files that compaction removed from the table longer ago than the table's
    delta.deletedFileRetentionDuration (Delta's default: one week). Lite mode: only files the log
    names as removed, never unreferenced files, and the retention is enforced."""
    path = req["table"]
    if not table_exists(path):
        return {"deleted": 0}
    deleted = DeltaTable(path).vacuum(dry_run=False, enforce_retention_duration=True, full=False)
    return {"deleted": len(deleted)}


def handle(req: dict[str, Any]) -> dict[str, Any]:
    op = req.get("op")
    if op == "ping":
        return {"pong": True}
    if op == "append_segment":
        return append_segment(req)
    if op == "compact":
        return compact(req)
    if op == "partition_files":
        return partition_files(req)
    if op == "vacuum":
        return vacuum(req)
    if op == "committed_version":
        return {"version": committed_version(req["table"], str(req.get("app_id") or APP_ID))}
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
    # Lake writes are background work; acknowledging requests is not. At a lower CPU priority the
    # writer takes whatever the server leaves idle, so a flush never delays the Node thread that
    # answers clients (on 2 cores it otherwise did, by hundreds of milliseconds at the p99).
    os.nice(10)
    for line in sys.stdin:
        if not line.strip():
            continue
        req: dict[str, Any] = {}
        try:
            req = json.loads(line)
            reply = {"id": req.get("id"), "ok": True, "result": handle(req)}
        except Exception as exc:  # every failure is answered, the loop keeps serving
            reply = {"id": req.get("id"), "ok": False, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
