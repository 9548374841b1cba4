"""The Structured Streaming job: Kafka events topic → validate → Delta bronze.events/identifies.

    PYTHONPATH=pipelines/spark .venv/bin/python -m tl_spark.job \
        --brokers 127.0.0.1:9092 --lake .data/lake [--trigger availableNow|10s] [--master local[2]]

Delivery. Each micro-batch is written to both Delta tables with Delta's idempotent-write options
(txnAppId = tl-spark:<topic>:<this checkpoint's id>, txnVersion = the batch id); Spark commits the
batch to its checkpoint only after foreachBatch returns. A batch that is run again after a crash
(same id, same offsets) is therefore skipped by Delta instead of written twice: bronze receives
every message exactly once. After the Delta commits the job commits the batch's offsets to the
lake writer's consumer group (offsets.py), which is what hands the topic back to the app's own
writer. Dead letters go to `<topic>.dead-letters` (at least once) before the Delta commit.

Progress. One JSON line per state change and per micro-batch is appended to
<checkpoint>/tl-progress.jsonl; the app tails it for Admin → Pipelines and Admin → System.
SIGTERM or SIGINT stops the query (an interrupted batch is redone at the next start).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import time
import uuid
from datetime import datetime, timezone
from functools import reduce
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
SPARK_VERSION = "4.2.0"
DEFAULT_JARS = ROOT / ".tools" / "spark" / SPARK_VERSION / "jars"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Progress:
    """Appends JSON lines to <checkpoint>/tl-progress.jsonl."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, kind: str, **fields: Any) -> None:
        line = json.dumps({"type": kind, "at": now(), **fields}, default=str)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        print(line, flush=True)


def checkpoint_id(checkpoint: Path) -> str:
    """This checkpoint's own id, made once. The Delta transaction id includes it: a new checkpoint
    restarts batch ids at 0, and under the old id Delta would skip those batches as done."""
    path = checkpoint / "tl-checkpoint-id"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    checkpoint.mkdir(parents=True, exist_ok=True)
    made = uuid.uuid4().hex
    tmp = path.with_suffix(".tmp")
    tmp.write_text(made, encoding="utf-8")
    os.replace(tmp, path)
    return made


def jar_paths(jars_dir: Path) -> list[str]:
    if not (jars_dir / ".complete").exists():
        raise SystemExit(
            f"the Spark job's jars are not in {jars_dir}: run infra/local/spark.sh install "
            "(it fetches the Kafka source and Delta Lake from Maven Central)"
        )
    return sorted(str(p) for p in jars_dir.glob("*.jar"))


def spark_session(master: str, jars_dir: Path, driver_memory: str, shuffle_partitions: int):
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName("tl-bronze-writer")
        .master(master)
        .config("spark.jars", ",".join(jar_paths(jars_dir)))
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        # Dates and timestamps as the rest of the lake has them: UTC, microseconds in Parquet.
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # No Delta telemetry, no Hive: the job only writes by path.
        .config("spark.sql.catalogImplementation", "in-memory")
    )
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(os.environ.get("TL_SPARK_LOG_LEVEL", "WARN"))
    return spark


def delta_exists(path: Path) -> bool:
    return (path / "_delta_log").is_dir()


def delta_version(path: Path) -> int | None:
    log = path / "_delta_log"
    versions = [int(p.name.split(".")[0]) for p in log.glob("*.json") if p.name.split(".")[0].isdigit()]
    return max(versions) if versions else None


def processing_time(trigger: str) -> str:
    """"10s" / "2m" / "500ms" → Spark's interval text; anything else is refused."""
    m = re.fullmatch(r"([0-9]+)(ms|s|m)", trigger.strip())
    if not m:
        raise SystemExit(f"--trigger must be availableNow or an interval like 10s, 2m or 500ms, not {trigger!r}")
    unit = {"ms": "milliseconds", "s": "seconds", "m": "minutes"}[m.group(2)]
    return f"{m.group(1)} {unit}"


def added_files(path: Path, version: int | None) -> list[str]:
    """The data files (relative to the table) Delta commit `version` added: the app reads them for
    the schema registry, as it reads those of the embedded writer's commits."""
    from urllib.parse import unquote

    if version is None:
        return []
    files = []
    with (path / "_delta_log" / f"{version:020d}.json").open(encoding="utf-8") as fh:
        for line in fh:
            add = json.loads(line).get("add")
            if add and add.get("dataChange", True):
                files.append(unquote(add["path"]))
    return files


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="tl_spark.job", description=__doc__.splitlines()[0])
    p.add_argument("--brokers", required=True, help="Kafka bootstrap servers, host:port[,host:port]")
    p.add_argument("--topic", default="tl.events")
    p.add_argument("--group", default="tl-lake-writer", help="the lake writer's consumer group")
    p.add_argument("--lake", required=True, type=Path, help="the lake folder (bronze/events lives in it)")
    p.add_argument("--checkpoint", type=Path, help="default: <lake>/_spark/checkpoint")
    p.add_argument("--master", default=os.environ.get("SPARK_MASTER") or "local[2]")
    p.add_argument("--trigger", default="10s", help="availableNow, or a processing-time interval (10s, 1m)")
    # Messages, not events: the collector puts up to 1,000 events in one (a request's rows of one
    # partition), typically ~100–200.
    p.add_argument("--max-offsets-per-trigger", type=int, default=5_000)
    p.add_argument("--jars-dir", type=Path, default=Path(os.environ.get("TL_SPARK_JARS", DEFAULT_JARS)))
    p.add_argument("--driver-memory", default=os.environ.get("TL_SPARK_DRIVER_MEMORY", "2g"))
    p.add_argument("--shuffle-partitions", type=int, default=4)
    args = p.parse_args(argv)
    args.lake = args.lake.resolve()
    args.checkpoint = (args.checkpoint or args.lake / "_spark" / "checkpoint").resolve()
    return args


def run(args: argparse.Namespace) -> int:
    from pyspark import StorageLevel
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F

    from .offsets import GroupOffsets, starting_offsets
    from .schema import EVENT_COLUMNS, EVENTS_PARTITION_BY, IDENTIFY_COLUMNS, table_schema
    from .validate import Checked, check, parse, split_checked

    events_path = args.lake / "bronze" / "events"
    identifies_path = args.lake / "bronze" / "identifies"
    progress = Progress(args.checkpoint / "tl-progress.jsonl")
    app_id = f"tl-spark:{args.topic}:{checkpoint_id(args.checkpoint)}"
    dead_topic = f"{args.topic}.dead-letters"
    progress.write("state", state="starting", pid=os.getpid(), master=args.master, trigger=args.trigger)

    group = GroupOffsets(args.brokers, args.group, args.topic)
    partitions = group.partitions()
    # Messages below these offsets are in the lake already (the app's writer, or an earlier run).
    floor = group.committed()
    spark = spark_session(args.master, args.jars_dir, args.driver_memory, args.shuffle_partitions)

    def below_floor() -> Any:
        conds = [(F.col("partition") == p) & (F.col("offset") < o) for p, o in floor.items() if o > 0]
        return reduce(lambda a, b: a | b, conds) if conds else F.lit(False)

    def write_delta(
        df: DataFrame, rows: int, path: Path, schema: Any, partition_by: list[str], batch_id: int
    ) -> tuple[int, bool]:
        """Appends the batch (`rows` rows) under its transaction id: (rows, replayed). Replayed:
        Delta already holds this batch (a run after a crash redid it) and skipped it."""
        # An empty batch still records its transaction when the table exists (a replay is known).
        if rows == 0 and not delta_exists(path):
            return 0, False
        if not delta_exists(path):
            # Created as the embedded writer creates it: every column nullable (an append only
            # keeps the table's schema), partitioned the same way.
            empty = spark.createDataFrame([], schema).write.format("delta")
            (empty.partitionBy(*partition_by) if partition_by else empty).save(str(path))
        before = delta_version(path)
        (
            df.write.format("delta")
            .mode("append")
            .option("txnAppId", app_id)
            .option("txnVersion", batch_id)
            .save(str(path))
        )
        return rows, rows > 0 and delta_version(path) == before

    def on_batch(messages: DataFrame, batch_id: int) -> None:
        started = time.perf_counter()
        # Parsed once and kept (serialised, spilling to disk) for the passes below: the offsets,
        # the dead letters, the events and the identifies; otherwise each would fetch the batch
        # from Kafka and parse its JSON again.
        parsed = parse(messages).withColumn("skip", below_floor()).persist(StorageLevel.MEMORY_AND_DISK)
        checked = None
        try:
            stats = parsed.groupBy("partition").agg(
                F.count("*").alias("messages"),
                F.max("offset").alias("last"),
                F.sum(F.col("skip").cast("int")).alias("skipped"),
            )
            per_partition = {r["partition"]: r for r in stats.collect()}
            checked = check(parsed.where(~F.col("skip")))
            checked = Checked(
                unreadable=checked.unreadable,
                events=checked.events.persist(StorageLevel.MEMORY_AND_DISK),
                identifies=checked.identifies.persist(StorageLevel.MEMORY_AND_DISK),
            )
            parts = split_checked(checked)
            dead = parts.dead_letters
            dead_count = dead.count()
            if dead_count:
                (
                    dead.select(
                        "key",
                        "value",
                        F.array(
                            F.struct(F.lit("reason").alias("key"), F.col("reason").cast("binary").alias("value")),
                            F.struct(
                                F.lit("source_partition").alias("key"),
                                F.col("partition").cast("string").cast("binary").alias("value"),
                            ),
                            F.struct(
                                F.lit("source_offset").alias("key"),
                                F.col("offset").cast("string").cast("binary").alias("value"),
                            ),
                        ).alias("headers"),
                    )
                    .write.format("kafka")
                    .option("kafka.bootstrap.servers", args.brokers)
                    .option("kafka.acks", "all")
                    .option("topic", dead_topic)
                    .save()
                )
            # One file per day per batch rather than one per Kafka partition and day.
            written_events, replayed = write_delta(
                parts.events.repartition("event_date"),
                parts.events.count(),
                events_path, table_schema(EVENT_COLUMNS), EVENTS_PARTITION_BY, batch_id
            )
            written_identifies, _ = write_delta(
                parts.identifies,
                parts.identifies.count(),
                identifies_path, table_schema(IDENTIFY_COLUMNS), [], batch_id
            )
            version = delta_version(events_path)
            offsets = {p: int(r["last"]) + 1 for p, r in per_partition.items()}
            group.commit(offsets)
            seconds = time.perf_counter() - started
            n = sum(int(r["messages"]) for r in per_partition.values())
            progress.write(
                "batch",
                batch_id=batch_id,
                messages=n,
                skipped=sum(int(r["skipped"] or 0) for r in per_partition.values()),
                events=written_events,
                replayed=replayed,
                identifies=written_identifies,
                dead_letters=dead_count,
                offsets={str(p): o for p, o in sorted(offsets.items())},
                delta_version=version,
                events_files=[] if replayed or not written_events else added_files(events_path, version),
                duration_ms=round(seconds * 1000),
                events_per_s=round(written_events / seconds) if seconds > 0 else None,
            )
        finally:
            for cached in ([checked.events, checked.identifies] if checked else []) + [parsed]:
                cached.unpersist()

    reader = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.brokers)
        .option("subscribe", args.topic)
        .option("startingOffsets", starting_offsets(args.topic, partitions, floor))
        .option("maxOffsetsPerTrigger", args.max_offsets_per_trigger)
        .option("includeHeaders", "false")
        .load()
    )
    writer = reader.writeStream.queryName("tl_bronze_writer").foreachBatch(on_batch).option(
        "checkpointLocation", str(args.checkpoint / "spark")
    )
    writer = (
        writer.trigger(availableNow=True)
        if args.trigger == "availableNow"
        else writer.trigger(processingTime=processing_time(args.trigger))
    )

    stopping = {"requested": False}

    def request_stop(signum: int, _frame: Any) -> None:
        stopping["requested"] = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    query = writer.start()
    progress.write("state", state="running", pid=os.getpid(), query_id=str(query.id), app_id=app_id)
    while query.isActive and not stopping["requested"]:
        query.awaitTermination(1)
    if query.isActive:
        query.stop()
    error = query.exception()
    group.close()
    spark.stop()
    if error is not None:
        progress.write("state", state="failed", error=str(error.desc if hasattr(error, "desc") else error))
        return 1
    progress.write("state", state="stopped" if stopping["requested"] else "finished")
    return 0


def die_with_parent() -> None:
    """When the app that started this job dies (even by kill -9), the job gets SIGTERM and stops:
    an orphaned job would go on consuming the topic beside the restarted app's own writer.
    Linux only (prctl PR_SET_PDEATHSIG); the app sets TL_SPARK_DIE_WITH_PARENT."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(1, signal.SIGTERM, 0, 0, 0) != 0:  # 1 = PR_SET_PDEATHSIG
        print(f"prctl(PR_SET_PDEATHSIG) failed: errno {ctypes.get_errno()}", file=sys.stderr)
    elif os.getppid() == 1:  # the parent died before the call
        raise SystemExit("the app that started this job has exited")


def main(argv: list[str] | None = None) -> int:
    if os.environ.get("TL_SPARK_DIE_WITH_PARENT") == "1" and sys.platform.startswith("linux"):
        die_with_parent()
    args = parse_args(argv)
    progress = Progress(args.checkpoint / "tl-progress.jsonl")
    try:
        return run(args)
    except SystemExit:
        raise
    except Exception as exc:  # recorded for Admin → Pipelines, then the process fails
        progress.write("state", state="failed", error=f"{type(exc).__name__}: {exc}")
        raise


if __name__ == "__main__":
    sys.exit(main())
