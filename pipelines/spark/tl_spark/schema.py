"""The bronze tables as Spark types, column for column what the embedded Delta writer creates
(EVENTS_SCHEMA and IDENTIFIES_SCHEMA in pipelines/lake/delta_writer.py; telemetry-model.md §2),
and the intake record the collector puts on the topic (IntakeRecord in
server/ingest/kafka/kafka-log.ts): {"id", "events": [...], "identifies": [...]}, every field of a
row a string (timestamps as ISO 8601 text).
"""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType,
    DataType,
    DateType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

EVENT_COLUMNS: list[tuple[str, DataType]] = [
    ("event_id", StringType()),
    ("workspace_id", StringType()),
    ("event", StringType()),
    ("user_id", StringType()),
    ("anonymous_id", StringType()),
    ("session_id", StringType()),
    ("ts", TimestampType()),
    ("event_date", DateType()),
    ("received_at", TimestampType()),
    ("sent_at", TimestampType()),
    ("properties", StringType()),
    ("app_version", StringType()),
    ("platform", StringType()),
    ("os", StringType()),
    ("browser", StringType()),
    ("device_type", StringType()),
    ("country", StringType()),
    ("locale", StringType()),
    ("page_path", StringType()),
    ("source", StringType()),
    ("ingest_batch_id", StringType()),
]

IDENTIFY_COLUMNS: list[tuple[str, DataType]] = [
    ("workspace_id", StringType()),
    ("user_id", StringType()),
    ("anonymous_id", StringType()),
    ("ts", TimestampType()),
    ("received_at", TimestampType()),
    ("traits", StringType()),
    ("source", StringType()),
    ("ingest_batch_id", StringType()),
]

EVENTS_PARTITION_BY = ["event_date"]


def table_schema(columns: list[tuple[str, DataType]]) -> StructType:
    return StructType([StructField(name, kind, True) for name, kind in columns])


def _as_text(columns: list[tuple[str, DataType]]) -> StructType:
    """A row as it travels: every field text. A JSON number or object in a text field is read as
    its JSON text, so a producer that sends `properties` as an object is still understood."""
    return StructType([StructField(name, StringType(), True) for name, _ in columns])


INTAKE_RECORD = StructType(
    [
        StructField("id", StringType(), True),
        StructField("events", ArrayType(_as_text(EVENT_COLUMNS), True), True),
        StructField("identifies", ArrayType(_as_text(IDENTIFY_COLUMNS), True), True),
    ]
)
