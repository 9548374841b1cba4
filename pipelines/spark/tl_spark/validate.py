"""Parsing and validation of the events topic, as Spark column expressions (no Python UDF: the
rows never leave the JVM, which is the point of running this on Spark).

A message is an intake record (schema.INTAKE_RECORD). The collector has validated its rows
already, but the topic is an interface other producers can write to, so every row is checked
again against the contract the collector enforces (server/ingest/collector/envelope.ts): required
ids present and at most 200 characters, ISO 8601 timestamps with a zone inside 0001–9999,
event_date the UTC date of ts, properties/traits a JSON object of at most 32 KiB, a known source.
A row that fails goes to the dead letters with the first reason it failed; a message that is not
an intake record at all goes there whole. Good rows are never held back by bad ones.

`split` returns three DataFrames of one micro-batch: events and identifies in the bronze tables'
exact column order and types, and dead letters (key, value, reason, partition, offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .schema import EVENT_COLUMNS, IDENTIFY_COLUMNS, INTAKE_RECORD

ID_LENGTH = 200
EVENT_NAME_LENGTH = 200
PROPERTIES_BYTES = 32 * 1024
SOURCES = ("api", "kafka", "batch")
# ISO 8601 date-time with a time zone (Z or ±hh:mm), as the collector requires.
ISO_TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:?[0-9]{2})$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass
class Split:
    events: DataFrame
    identifies: DataFrame
    dead_letters: DataFrame


def _blank(c: Column) -> Column:
    return c.isNull() | (F.trim(c) == F.lit(""))


def _timestamp(c: Column) -> Column:
    """ISO text → timestamp, null when it is not a well-formed instant (never an error)."""
    return F.when(c.rlike(ISO_TIMESTAMP), c.try_cast("timestamp"))


def _first_failure(checks: list[tuple[Column, str | Column]]) -> Column:
    """The message of the first check that fails (condition true), else null."""
    reasons = [F.when(bad, msg if isinstance(msg, Column) else F.lit(msg)) for bad, msg in checks]
    return F.coalesce(*reasons) if len(reasons) > 1 else reasons[0]


def _id_checks(c: Column, name: str, required: bool) -> list[tuple[Column, str]]:
    checks = [(F.length(c) > ID_LENGTH, f"{name} is longer than {ID_LENGTH} characters")]
    if required:
        checks.insert(0, (_blank(c), f"{name} is required"))
    return checks


def _timestamp_checks(raw: Column, name: str, required: bool) -> list[tuple[Column, str]]:
    invalid = raw.isNotNull() & _timestamp(raw).isNull()
    checks = [
        (
            invalid,
            f"{name} must be an ISO 8601 date-time with a time zone between 0001-01-01T00:00:00Z "
            "and 9999-12-31T23:59:59.999Z, e.g. 2026-11-01T10:00:00.123Z",
        )
    ]
    if required:
        checks.insert(0, (raw.isNull(), f"{name} is required"))
    return checks


def _json_object_checks(text: Column, name: str) -> list[tuple[Column, str]]:
    return [
        # json_object_keys is null for text that is not a JSON object (invalid JSON, an array…).
        (F.json_object_keys(text).isNull(), f"{name} must be a JSON object"),
        (F.octet_length(text) > PROPERTIES_BYTES, f"{name} is larger than {PROPERTIES_BYTES // 1024} KiB"),
    ]


def event_reason(e: Column) -> Column:
    """Why an event row (all fields text) cannot go to bronze.events, or null when it can."""
    ts = _timestamp(e["ts"])
    checks: list[tuple[Column, str | Column]] = [
        *_id_checks(e["event_id"], "event_id", True),
        *_id_checks(e["workspace_id"], "workspace_id", True),
        (_blank(e["event"]), "event is required"),
        (F.length(e["event"]) > EVENT_NAME_LENGTH, f"event is longer than {EVENT_NAME_LENGTH} characters"),
        (_blank(e["user_id"]) & _blank(e["anonymous_id"]), "user_id or anonymous_id is required"),
        *_id_checks(e["user_id"], "user_id", False),
        *_id_checks(e["anonymous_id"], "anonymous_id", False),
        *_id_checks(e["session_id"], "session_id", False),
        *_timestamp_checks(e["ts"], "ts", True),
        *_timestamp_checks(e["received_at"], "received_at", False),
        *_timestamp_checks(e["sent_at"], "sent_at", False),
        (
            e["event_date"].isNotNull() & ~e["event_date"].rlike(ISO_DATE),
            "event_date must be a date, YYYY-MM-DD",
        ),
        (
            e["event_date"].isNotNull() & (e["event_date"] != F.date_format(ts, "yyyy-MM-dd")),
            F.concat(F.lit("event_date "), e["event_date"], F.lit(" is not the UTC date of ts")),
        ),
        *_json_object_checks(F.coalesce(e["properties"], F.lit("{}")), "properties"),
        (~F.coalesce(e["source"], F.lit("kafka")).isin(*SOURCES), f"source must be one of {', '.join(SOURCES)}"),
    ]
    return _first_failure(checks)


def identify_reason(i: Column) -> Column:
    checks: list[tuple[Column, str | Column]] = [
        *_id_checks(i["workspace_id"], "workspace_id", True),
        *_id_checks(i["user_id"], "user_id", True),
        *_id_checks(i["anonymous_id"], "anonymous_id", False),
        *_timestamp_checks(i["ts"], "ts", True),
        *_timestamp_checks(i["received_at"], "received_at", False),
        *_json_object_checks(F.coalesce(i["traits"], F.lit("{}")), "traits"),
        (~F.coalesce(i["source"], F.lit("kafka")).isin(*SOURCES), f"source must be one of {', '.join(SOURCES)}"),
    ]
    return _first_failure(checks)


def _batch_id() -> Column:
    """The row's ingest batch: the record's id (the collector's request id), else the message."""
    return F.coalesce(
        F.col("record_id"),
        F.concat_ws(":", F.col("topic"), F.col("partition").cast("string"), F.col("offset").cast("string")),
    )


def _event_row(e: Column) -> list[Column]:
    ts = _timestamp(e["ts"])
    values = {
        "ts": ts,
        "event_date": F.to_date(ts),  # the session time zone is UTC (job.spark_session)
        "received_at": F.coalesce(_timestamp(e["received_at"]), F.col("timestamp")),
        "sent_at": _timestamp(e["sent_at"]),
        "properties": F.coalesce(e["properties"], F.lit("{}")),
        "source": F.coalesce(e["source"], F.lit("kafka")),
        "ingest_batch_id": F.coalesce(e["ingest_batch_id"], _batch_id()),
    }
    return [values.get(name, e[name]).cast(kind).alias(name) for name, kind in EVENT_COLUMNS]


def _identify_row(i: Column) -> list[Column]:
    values = {
        "ts": _timestamp(i["ts"]),
        "received_at": F.coalesce(_timestamp(i["received_at"]), F.col("timestamp")),
        "traits": F.coalesce(i["traits"], F.lit("{}")),
        "source": F.coalesce(i["source"], F.lit("kafka")),
        "ingest_batch_id": F.coalesce(i["ingest_batch_id"], _batch_id()),
    }
    return [values.get(name, i[name]).cast(kind).alias(name) for name, kind in IDENTIFY_COLUMNS]


def parse(messages: DataFrame) -> DataFrame:
    """A micro-batch of the Kafka source (key, value, topic, partition, offset, timestamp) with
    each value parsed as an intake record (`record`; all-null fields when it is not JSON). The raw
    value is kept only where it could not be read (for its dead letter), which halves what a
    cached batch holds."""
    record = F.from_json(F.col("value").cast("string"), INTAKE_RECORD, {"mode": "PERMISSIVE"})
    parsed = messages.select("key", "value", "topic", "partition", "offset", "timestamp", record.alias("record"))
    readable = F.col("record.events").isNotNull() & F.col("record.identifies").isNotNull()
    return parsed.withColumn("value", F.when(~readable, F.col("value")))


@dataclass
class Checked:
    """Each row of a parsed batch with the reason it cannot be written (null when it can)."""

    unreadable: DataFrame
    events: DataFrame
    identifies: DataFrame


def check(parsed: DataFrame) -> Checked:
    readable = F.col("record.events").isNotNull() & F.col("record.identifies").isNotNull()
    unreadable = parsed.where(~readable | F.col("record").isNull()).select(
        "key",
        "value",
        F.lit("not an intake record: the value must be JSON {id, events: [...], identifies: [...]}").alias("reason"),
        "partition",
        "offset",
    )
    records = parsed.where(readable)
    # Only the message's own columns beside each exploded row: carrying the whole record along
    # would copy every message once per row it holds.
    head = ["key", "topic", "partition", "offset", "timestamp", F.col("record.id").alias("record_id")]
    events = records.select(*head, F.explode("record.events").alias("row")).select(
        "*", event_reason(F.col("row")).alias("reason")
    )
    identifies = records.select(*head, F.explode("record.identifies").alias("row")).select(
        "*", identify_reason(F.col("row")).alias("reason")
    )
    return Checked(unreadable=unreadable, events=events, identifies=identifies)


def split_checked(checked: Checked) -> Split:
    def dead(rows: DataFrame) -> DataFrame:
        return rows.where(F.col("reason").isNotNull()).select(
            "key", F.to_json("row").cast("binary").alias("value"), "reason", "partition", "offset"
        )

    return Split(
        events=checked.events.where(F.col("reason").isNull()).select(*_event_row(F.col("row"))),
        identifies=checked.identifies.where(F.col("reason").isNull()).select(*_identify_row(F.col("row"))),
        dead_letters=reduce(
            DataFrame.unionByName, [checked.unreadable, dead(checked.events), dead(checked.identifies)]
        ),
    )


def split(messages: DataFrame) -> Split:
    """One micro-batch of the Kafka source → bronze rows and dead letters (parse, check, split)."""
    return split_checked(check(parse(messages)))
