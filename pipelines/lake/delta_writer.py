"""Delta Lake writer sidecar for the embedded mode.

The Node server keeps one of these processes running and sends it one JSON request per line on
stdin; it answers one JSON line per request on stdout. It turns a sealed write-ahead-log segment
into one Delta commit per table (bronze.events partitioned by event_date, bronze.identifies),
with delta-rs. Each commit carries a Delta transaction identifier (app_id, version = segment
number), and a segment whose version is already committed is skipped: replaying a segment after
a crash never writes its rows twice.

Requests:
  {"id": 1, "op": "append_segment", "segment": "/path/0000000000000007.wal",
   "version": 7, "events_table": "/lake/bronze/events", "identifies_table": "/lake/bronze/identifies"}
  {"id": 2, "op": "compact", "table": "/lake/bronze/events"}
  {"id": 3, "op": "ping"}
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from typing import Any

import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake

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

TIMESTAMP_COLUMNS = {"ts", "received_at", "sent_at"}


def parse_ts(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def read_segment(path: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Complete records of a segment; a torn last line (crash mid-write) was never acknowledged."""
    events: list[dict[str, Any]] = []
    identifies: list[dict[str, Any]] = []
    with open(path, "rb") as fh:
        lines = fh.read().split(b"\n")
    for i, raw in enumerate(lines):
        if not raw:
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError:
            if i == len(lines) - 1:
                break
            raise
        events.extend(record.get("events", []))
        identifies.extend(record.get("identifies", []))
    return events, identifies


def to_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    for row in rows:
        for name in schema.names:
            value = row.get(name)
            if name in TIMESTAMP_COLUMNS:
                value = parse_ts(value)
            elif name == "event_date" and value is not None:
                value = datetime.fromisoformat(value).date()
            columns[name].append(value)
    return pa.table(columns, schema=schema)


def committed_version(path: str) -> int | None:
    if not os.path.exists(os.path.join(path, "_delta_log")):
        return None
    return DeltaTable(path).transaction_version(APP_ID)


def append(path: str, table: pa.Table, version: int, partition_by: list[str] | None) -> str:
    """Appends with the transaction id; 'skipped' when this version is already committed."""
    exists = os.path.exists(os.path.join(path, "_delta_log"))
    target: Any = path
    if exists:
        dt = DeltaTable(path)
        current = dt.transaction_version(APP_ID)
        if current is not None and current >= version:
            return "skipped"
        target = dt  # the checked snapshot: a concurrent commit of the same app id then conflicts
    write_deltalake(
        target,
        table,
        mode="append",
        partition_by=partition_by,
        commit_properties=CommitProperties(app_transactions=[Transaction(app_id=APP_ID, version=version)]),
    )
    return "written"


def append_segment(req: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    events, identifies = read_segment(req["segment"])
    version = int(req["version"])
    result: dict[str, Any] = {"events": len(events), "identifies": len(identifies)}
    # Tables are created on their first non-empty segment; an empty part still records the
    # version when the table exists, so a replay is recognised.
    if events or os.path.exists(os.path.join(req["events_table"], "_delta_log")):
        result["events_status"] = append(req["events_table"], to_table(events, EVENTS_SCHEMA), version, ["event_date"])
    if identifies or os.path.exists(os.path.join(req["identifies_table"], "_delta_log")):
        result["identifies_status"] = append(req["identifies_table"], to_table(identifies, IDENTIFIES_SCHEMA), version, None)
    result["seconds"] = round(time.perf_counter() - started, 4)
    return result


def compact(req: dict[str, Any]) -> dict[str, Any]:
    dt = DeltaTable(req["table"])
    metrics = dt.optimize.compact(target_size=int(req.get("target_size", 128 * 1024 * 1024)))
    dt.create_checkpoint()
    return {"metrics": {k: metrics.get(k) for k in ("numFilesAdded", "numFilesRemoved", "partitionsOptimized")}}


def handle(req: dict[str, Any]) -> dict[str, Any]:
    op = req.get("op")
    if op == "ping":
        return {"pong": True}
    if op == "append_segment":
        return append_segment(req)
    if op == "compact":
        return compact(req)
    if op == "committed_version":
        return {"version": committed_version(req["table"])}
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
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
