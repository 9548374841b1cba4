"""Bench loader: one generated part (events.ndjson, identifies.ndjson) straight into bronze.

`npm run tl -- bench dbt|insights` with more than 10M events would spend hours in the
collector's import path (validation, the write-ahead log, one Delta commit per segment) before
its first measurement. This script writes the same bronze rows in one Delta commit per table
and part: DuckDB reads the NDJSON (its JSON reader, 2 threads) into the bronze columns of
pipelines/lake/delta_writer.py, and delta-rs appends them (events partitioned by event_date).
What the import path adds beyond the rows — the schema registry — bench/dbt.ts does with the
files this prints.

Usage: load_bronze.py '<json request>'
  {"events": "/gen/events.ndjson", "identifies": "/gen/identifies.ndjson",
   "events_table": "/lake/bronze/events", "identifies_table": "/lake/bronze/identifies",
   "workspace_id": "…", "batch_id": "…", "received_at": "2026-11-27T06:00:00Z", "part": 0}
Prints one JSON line: {"events": n, "identifies": n, "events_files": [paths relative to the
events table], "seconds": s}.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any
from urllib.parse import unquote

import duckdb
import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, Transaction, write_deltalake

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "pipelines", "lake"))
from delta_writer import EVENTS_SCHEMA, IDENTIFIES_SCHEMA  # noqa: E402

APP_ID = "telemetry-lakehouse-bench-load"

CONTEXT = ", ".join(
    f"{name} VARCHAR"
    for name in ["app_version", "platform", "os", "browser", "device_type", "country", "locale", "page_path"]
)

EVENTS_SQL = f"""
select event_id, $workspace as workspace_id, event, user_id, anonymous_id, session_id,
       "timestamp" as ts, cast("timestamp" as date) as event_date,
       $received::timestamptz as received_at, null::timestamptz as sent_at,
       properties::varchar as properties,
       context.app_version, context.platform, context.os, context.browser, context.device_type,
       context.country, context.locale, context.page_path,
       'batch' as source, $batch as ingest_batch_id
from read_json($path, format = 'newline_delimited', columns = {{
  event_id: 'VARCHAR', event: 'VARCHAR', user_id: 'VARCHAR', anonymous_id: 'VARCHAR',
  session_id: 'VARCHAR', "timestamp": 'TIMESTAMPTZ', properties: 'JSON',
  context: 'STRUCT({CONTEXT})'
}})
"""

IDENTIFIES_SQL = """
select $workspace as workspace_id, user_id, anonymous_id, "timestamp" as ts,
       $received::timestamptz as received_at, traits::varchar as traits,
       'batch' as source, $batch as ingest_batch_id
from read_json($path, format = 'newline_delimited', columns = {
  user_id: 'VARCHAR', anonymous_id: 'VARCHAR', "timestamp": 'TIMESTAMPTZ', traits: 'JSON'
})
"""


def batches(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], schema: pa.Schema):
    """The query's rows as a stream of record batches with exactly the bronze schema."""
    reader = con.execute(sql, params).to_arrow_reader(1 << 17)

    def cast():
        for batch in reader:
            yield pa.Table.from_batches([batch]).cast(schema).to_batches()[0]

    return pa.RecordBatchReader.from_batches(schema, cast())


def added_files(table: str, version: int) -> list[str]:
    with open(os.path.join(table, "_delta_log", f"{version:020d}.json"), encoding="utf-8") as fh:
        actions = [json.loads(line) for line in fh]
    return [unquote(a["add"]["path"]) for a in actions if "add" in a]


def append(table: str, rows: pa.RecordBatchReader, part: int, partition_by: list[str] | None) -> int:
    """Appends in one commit and returns its version. A part already committed (the loader was
    stopped after its commit) is refused: the caller starts over in an empty directory."""
    if os.path.exists(os.path.join(table, "_delta_log")):
        done = DeltaTable(table).transaction_version(APP_ID)
        if done is not None and done >= part:
            raise RuntimeError(f"part {part} is already in {table}")
    write_deltalake(
        table,
        rows,
        mode="append",
        partition_by=partition_by,
        commit_properties=CommitProperties(app_transactions=[Transaction(app_id=APP_ID, version=part)]),
    )
    return DeltaTable(table).version()


def main() -> None:
    req = json.loads(sys.argv[1])
    started = time.perf_counter()
    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    con.execute("set TimeZone = 'UTC'")  # event_date is the UTC day, as the collector writes it
    params = {"workspace": req["workspace_id"], "received": req["received_at"], "batch": req["batch_id"]}
    version = append(
        req["events_table"],
        batches(con, EVENTS_SQL, {**params, "path": req["events"]}, EVENTS_SCHEMA),
        int(req["part"]),
        ["event_date"],
    )
    events_files = added_files(req["events_table"], version)
    append(
        req["identifies_table"],
        batches(con, IDENTIFIES_SQL, {**params, "path": req["identifies"]}, IDENTIFIES_SCHEMA),
        int(req["part"]),
        None,
    )
    counts = {
        "events": con.execute(
            "select count(*) from read_parquet($files)",
            {"files": [os.path.join(req["events_table"], f) for f in events_files]},
        ).fetchone()[0],
        "identifies": con.execute(
            "select count(*) from read_json($path, format = 'newline_delimited', columns = {user_id: 'VARCHAR'})",
            {"path": req["identifies"]},
        ).fetchone()[0],
    }
    print(json.dumps({**counts, "events_files": events_files, "seconds": round(time.perf_counter() - started, 2)}))


if __name__ == "__main__":
    main()
