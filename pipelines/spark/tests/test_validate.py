"""The job's parsing and validation (tl_spark.validate) on a real local Spark session."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

KAFKA_TS = datetime(2026, 11, 2, 8, 0, 0, tzinfo=timezone.utc)


def good_event(**overrides):
    row = {
        "event_id": "e-1",
        "workspace_id": "ws-demo",
        "event": "feature_used",
        "user_id": "u-1",
        "anonymous_id": None,
        "session_id": "s-1",
        "ts": "2026-11-01T23:30:00.250Z",
        "event_date": "2026-11-01",
        "received_at": "2026-11-01T23:30:01.000Z",
        "sent_at": None,
        "properties": '{"feature_name":"bulk_edit"}',
        "app_version": "3.2.0",
        "platform": "web",
        "os": "macOS",
        "browser": "Chrome",
        "device_type": "desktop",
        "country": "DE",
        "locale": "de-DE",
        "page_path": "/app",
        "source": "api",
        "ingest_batch_id": "req-1",
    }
    row.update(overrides)
    return row


def good_identify(**overrides):
    row = {
        "workspace_id": "ws-demo",
        "user_id": "u-1",
        "anonymous_id": "a-1",
        "ts": "2026-11-01T10:00:00Z",
        "received_at": "2026-11-01T10:00:01Z",
        "traits": '{"plan":"pro"}',
        "source": "api",
        "ingest_batch_id": "req-1",
    }
    row.update(overrides)
    return row


def record(events=(), identifies=(), rid="req-1"):
    return json.dumps({"id": rid, "events": list(events), "identifies": list(identifies)})


def messages(spark, values):
    """A Kafka source micro-batch: one message per value (text, or None for a null value)."""
    from pyspark.sql.types import BinaryType, IntegerType, LongType, StringType, StructField, StructType, TimestampType

    schema = StructType(
        [
            StructField("key", BinaryType()),
            StructField("value", BinaryType()),
            StructField("topic", StringType()),
            StructField("partition", IntegerType()),
            StructField("offset", LongType()),
            StructField("timestamp", TimestampType()),
        ]
    )
    rows = [
        (b"k", None if v is None else v.encode("utf-8"), "tl.events", 0, offset, KAFKA_TS)
        for offset, v in enumerate(values)
    ]
    return spark.createDataFrame(rows, schema)


def run(spark, values):
    from tl_spark.validate import split

    parts = split(messages(spark, values))
    return parts, parts.events.collect(), parts.identifies.collect(), parts.dead_letters.collect()


def test_a_good_event_keeps_every_field_with_the_bronze_types(spark):
    from tl_spark.schema import EVENT_COLUMNS, IDENTIFY_COLUMNS, table_schema

    parts, events, identifies, dead = run(spark, [record([good_event()], [good_identify()])])
    assert dead == []
    # Column for column the schema of the embedded writer's tables (order, names, types).
    # (Nullability aside: the job creates a missing table with the all-nullable schema.)
    def shape(schema):
        return [(f.name, f.dataType) for f in schema]

    assert shape(parts.events.schema) == shape(table_schema(EVENT_COLUMNS))
    assert shape(parts.identifies.schema) == shape(table_schema(IDENTIFY_COLUMNS))
    (e,) = events
    assert e["event_id"] == "e-1" and e["event"] == "feature_used" and e["country"] == "DE"
    assert e["ts"] == datetime(2026, 11, 1, 23, 30, 0, 250000)  # UTC (the session's zone)
    assert e["event_date"] == date(2026, 11, 1)
    assert e["properties"] == '{"feature_name":"bulk_edit"}'
    (i,) = identifies
    assert (i["user_id"], i["anonymous_id"], i["traits"]) == ("u-1", "a-1", '{"plan":"pro"}')


def test_missing_optional_fields_get_the_collectors_defaults(spark):
    bare = {"event_id": "e-2", "workspace_id": "ws", "event": "login", "anonymous_id": "a-9", "ts": "2026-11-01T01:02:03+02:00"}
    _, events, _, dead = run(spark, [json.dumps({"events": [bare], "identifies": []})])
    assert dead == []
    (e,) = events
    assert e["ts"] == datetime(2026, 10, 31, 23, 2, 3)  # the offset is applied: UTC
    assert e["event_date"] == date(2026, 10, 31)  # the UTC date, derived from ts
    assert e["received_at"] == KAFKA_TS.replace(tzinfo=None)  # the message's time
    assert e["properties"] == "{}"
    assert e["source"] == "kafka"
    assert e["ingest_batch_id"] == "tl.events:0:0"  # no record id: the message names the batch
    assert e["user_id"] is None


def test_properties_sent_as_an_object_are_kept_as_json_text(spark):
    row = good_event()
    row["properties"] = {"plan": "pro", "n": 3}
    _, events, _, dead = run(spark, [record([row])])
    assert dead == []
    assert json.loads(events[0]["properties"]) == {"plan": "pro", "n": 3}


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"event_id": None}, "event_id is required"),
        ({"event_id": "  "}, "event_id is required"),
        ({"workspace_id": "w" * 201}, "workspace_id is longer than 200 characters"),
        ({"event": ""}, "event is required"),
        ({"event": "x" * 201}, "event is longer than 200 characters"),
        ({"user_id": None, "anonymous_id": None}, "user_id or anonymous_id is required"),
        ({"session_id": "s" * 201}, "session_id is longer than 200 characters"),
        ({"ts": None}, "ts is required"),
        ({"ts": "yesterday"}, "ts must be an ISO 8601 date-time"),
        ({"ts": "2026-11-01"}, "ts must be an ISO 8601 date-time"),
        ({"ts": "2026-11-01T10:00:00"}, "ts must be an ISO 8601 date-time"),  # no zone
        ({"ts": "2026-13-01T10:00:00Z"}, "ts must be an ISO 8601 date-time"),
        ({"sent_at": "soon"}, "sent_at must be an ISO 8601 date-time"),
        ({"received_at": "1 Nov"}, "received_at must be an ISO 8601 date-time"),
        ({"event_date": "01/11/2026"}, "event_date must be a date, YYYY-MM-DD"),
        ({"event_date": "2026-11-02"}, "event_date 2026-11-02 is not the UTC date of ts"),
        ({"properties": "[1,2]"}, "properties must be a JSON object"),
        ({"properties": "{not json"}, "properties must be a JSON object"),
        ({"properties": json.dumps({"blob": "x" * 33000})}, "properties is larger than 32 KiB"),
        ({"source": "carrier-pigeon"}, "source must be one of api, kafka, batch"),
    ],
)
def test_a_bad_event_goes_to_the_dead_letters_with_its_reason(spark, overrides, reason):
    bad = good_event(event_id="bad", **{k: v for k, v in overrides.items() if k != "event_id"})
    if "event_id" in overrides:
        bad["event_id"] = overrides["event_id"]
    _, events, _, dead = run(spark, [record([good_event(), bad, good_event(event_id="e-3")])])
    # The good rows of the same message are written; only the bad one is held back.
    assert sorted(e["event_id"] for e in events) == ["e-1", "e-3"]
    (d,) = dead
    assert d["reason"].startswith(reason), d["reason"]
    assert (d["partition"], d["offset"]) == (0, 0)
    assert json.loads(bytes(d["value"]).decode()).get("event_id") == bad["event_id"]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"user_id": None}, "user_id is required"),
        ({"ts": "noon"}, "ts must be an ISO 8601 date-time"),
        ({"traits": '"pro"'}, "traits must be a JSON object"),
    ],
)
def test_a_bad_identify_goes_to_the_dead_letters(spark, overrides, reason):
    _, events, identifies, dead = run(spark, [record([good_event()], [good_identify(**overrides), good_identify(user_id="u-2")])])
    assert len(events) == 1
    assert [i["user_id"] for i in identifies] == ["u-2"]
    (d,) = dead
    assert d["reason"].startswith(reason)


@pytest.mark.parametrize(
    "value",
    ["not json at all", '{"events": "nope", "identifies": []}', '{"id": "x"}', "[1, 2, 3]", None],
)
def test_a_message_that_is_not_an_intake_record_goes_to_the_dead_letters_whole(spark, value):
    _, events, _, dead = run(spark, [value, record([good_event()])])
    assert [e["event_id"] for e in events] == ["e-1"]
    (d,) = dead
    assert d["reason"].startswith("not an intake record")
    assert d["offset"] == 0
    assert (None if d["value"] is None else bytes(d["value"]).decode()) == value
