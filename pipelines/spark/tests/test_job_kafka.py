"""The job end to end: a real Kafka broker, real Spark (trigger availableNow), real Delta tables
first created by the embedded writer (delta-rs), read back with delta-rs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PARTITIONS = 3


def event(i: int, user: str, **overrides):
    row = {
        "event_id": f"ev-{i}",
        "workspace_id": "ws-demo",
        "event": "feature_used",
        "user_id": user,
        "anonymous_id": None,
        "session_id": f"s-{user}",
        "ts": f"2026-11-{1 + i % 5:02d}T10:{i % 60:02d}:00.000Z",
        "event_date": f"2026-11-{1 + i % 5:02d}",
        "received_at": "2026-11-06T00:00:00.000Z",
        "sent_at": None,
        "properties": json.dumps({"feature_name": "bulk_edit", "n": i}),
        "app_version": "3.2.0",
        "platform": "web",
        "os": "macOS",
        "browser": "Chrome",
        "device_type": "desktop",
        "country": "DE",
        "locale": "de-DE",
        "page_path": "/app",
        "source": "api",
        "ingest_batch_id": "req",
    }
    row.update(overrides)
    return row


class Topic:
    """A fresh topic (and its dead-letter topic) on the broker, with a producer."""

    def __init__(self, brokers: str) -> None:
        from confluent_kafka import Producer
        from confluent_kafka.admin import AdminClient, NewTopic

        self.brokers = brokers
        self.name = f"tl.events.{uuid.uuid4().hex[:8]}"
        self.group = f"lake-{uuid.uuid4().hex[:8]}"
        admin = AdminClient({"bootstrap.servers": brokers})
        futures = admin.create_topics(
            [NewTopic(self.name, PARTITIONS, 1), NewTopic(f"{self.name}.dead-letters", 1, 1)]
        )
        for f in futures.values():
            f.result(60)
        self.producer = Producer({"bootstrap.servers": brokers, "acks": "all", "enable.idempotence": True})
        self.next_id = 0

    def send(self, value: str | None, partition: int) -> None:
        self.producer.produce(self.name, value=None if value is None else value.encode(), partition=partition)

    def send_events(self, n: int, per_message: int = 10) -> list[str]:
        ids = []
        for start in range(0, n, per_message):
            rows = []
            for _ in range(min(per_message, n - start)):
                i = self.next_id
                self.next_id += 1
                rows.append(event(i, f"u-{i % 7}"))
                ids.append(f"ev-{i}")
            identifies = [{"workspace_id": "ws-demo", "user_id": rows[0]["user_id"], "ts": rows[0]["ts"], "traits": "{}"}]
            self.send(json.dumps({"id": f"req-{start}", "events": rows, "identifies": identifies}), start // per_message % PARTITIONS)
        self.producer.flush(30)
        return ids

    def end_offsets(self) -> dict[int, int]:
        from confluent_kafka import Consumer, TopicPartition

        c = Consumer({"bootstrap.servers": self.brokers, "group.id": "probe"})
        try:
            return {p: c.get_watermark_offsets(TopicPartition(self.name, p), timeout=30)[1] for p in range(PARTITIONS)}
        finally:
            c.close()

    def dead_letters(self) -> list[tuple[dict[str, bytes], bytes | None]]:
        from confluent_kafka import Consumer

        c = Consumer(
            {"bootstrap.servers": self.brokers, "group.id": f"dlq-{uuid.uuid4().hex}", "auto.offset.reset": "earliest"}
        )
        c.subscribe([f"{self.name}.dead-letters"])
        got = []
        try:
            for _ in range(20):
                for m in c.consume(100, timeout=1):
                    if m.error() is None:
                        got.append((dict(m.headers() or []), m.value()))
                if got and len(c.consume(10, timeout=1)) == 0:
                    break
        finally:
            c.close()
        return got


def run_job(topic: Topic, lake: Path, checkpoint: Path, master: str = "local[2]") -> list[dict]:
    progress = checkpoint / "tl-progress.jsonl"
    seen = len(progress.read_text().splitlines()) if progress.exists() else 0
    done = subprocess.run(
        [
            sys.executable, "-m", "tl_spark.job",
            "--brokers", topic.brokers, "--topic", topic.name, "--group", topic.group,
            "--lake", str(lake), "--checkpoint", str(checkpoint),
            "--trigger", "availableNow", "--master", master, "--shuffle-partitions", "2",
        ],
        cwd=ROOT / "pipelines" / "spark",
        env={**os.environ, "PYTHONPATH": str(ROOT / "pipelines" / "spark")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    lines = [json.loads(line) for line in progress.read_text().splitlines()[seen:]]
    assert lines[-1] == {**lines[-1], "type": "state", "state": "finished"}
    return [line for line in lines if line["type"] == "batch"]


def bronze(lake: Path):
    from deltalake import DeltaTable

    return DeltaTable(str(lake / "bronze" / "events"))


def event_ids(lake: Path) -> list[str]:
    return sorted(bronze(lake).to_pyarrow_table(columns=["event_id"]).column("event_id").to_pylist())


def committed(topic: Topic) -> dict[int, int]:
    from tl_spark.offsets import GroupOffsets

    g = GroupOffsets(topic.brokers, topic.group, topic.name)
    try:
        return g.committed()
    finally:
        g.close()


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    """A lake whose bronze.events the embedded writer created (two events), as in the app."""
    import delta_writer

    lake = tmp_path / "lake"
    segment = tmp_path / "0000000000000001.wal"
    rows = [event(10_000 + i, "u-embedded") for i in range(2)]
    segment.write_text(json.dumps({"id": "seg", "events": rows, "identifies": []}) + "\n")
    delta_writer.append_segment(
        {
            "segment": str(segment),
            "version": 1,
            "events_table": str(lake / "bronze" / "events"),
            "identifies_table": str(lake / "bronze" / "identifies"),
        }
    )
    return lake


def test_the_job_moves_the_topic_into_bronze_exactly_once(broker, lake: Path, tmp_path: Path):
    import delta_writer
    import pyarrow as pa

    topic = Topic(broker.brokers)
    first = topic.send_events(300)
    # A message that is not an intake record, and one whose second event is invalid.
    topic.send("this is not json", 0)
    topic.send(json.dumps({"id": "mixed", "events": [event(900, "u-1"), event(901, "u-1", ts="tomorrow")], "identifies": []}), 1)
    topic.producer.flush(30)

    ckpt_a = tmp_path / "ckpt-a"
    batches = run_job(topic, lake, ckpt_a)
    embedded = ["ev-10000", "ev-10001"]
    assert event_ids(lake) == sorted(embedded + first + ["ev-900"])
    assert sum(b["events"] for b in batches) == 301
    assert sum(b["dead_letters"] for b in batches) == 2
    # The files each commit added (the app's schema registry reads them), all in the table.
    files = {f for b in batches for f in b["events_files"]}
    table_root = (lake / "bronze" / "events").as_uri().replace("file://", "")
    in_table = {u.split(table_root, 1)[-1].lstrip("/") for u in bronze(lake).file_uris()}
    assert files and files <= in_table, (files, in_table)

    # Same table, same schema and partitioning as the embedded writer's (which made it).
    table = bronze(lake)
    assert table.metadata().partition_columns == ["event_date"]
    got = table.to_pyarrow_table()
    assert got.schema.equals(delta_writer.EVENTS_SCHEMA, check_metadata=False), got.schema
    row = got.filter(pa.compute.equal(got.column("event_id"), "ev-7")).to_pylist()[0]
    assert str(row["event_date"]) == "2026-11-03" and row["ts"].isoformat() == "2026-11-03T10:07:00+00:00"
    assert json.loads(row["properties"]) == {"feature_name": "bulk_edit", "n": 7}
    assert event_ids(lake).count("ev-7") == 1
    identifies = sum(1 for _ in range(0, 300, 10))
    assert delta_writer.DeltaTable(str(lake / "bronze" / "identifies")).to_pyarrow_table().num_rows == identifies

    # Dead letters: on the dead-letter topic with their reasons.
    dead = topic.dead_letters()
    reasons = sorted(h["reason"].decode() for h, _ in dead)
    assert reasons[0].startswith("not an intake record") and reasons[1].startswith("ts must be an ISO 8601")
    assert {h["source_partition"] for h, _ in dead} == {b"0", b"1"}

    # The lake writer's consumer group is where the topic ends: no lag in Admin → System.
    assert committed(topic) == topic.end_offsets()

    # Hand-over: a job with a new checkpoint starts where the group is, not at the beginning.
    second = topic.send_events(50)
    ckpt_b = tmp_path / "ckpt-b"
    run_job(topic, lake, ckpt_b)
    assert event_ids(lake) == sorted(embedded + first + ["ev-900"] + second)

    # A checkpoint behind the group (the app's writer went on meanwhile) re-reads messages that
    # are in the lake already: they are dropped, not written twice.
    batches = run_job(topic, lake, ckpt_a)
    assert sum(b["skipped"] for b in batches) == 5 and sum(b["events"] for b in batches) == 0
    assert len(event_ids(lake)) == len(set(event_ids(lake))) == 2 + 301 + 50

    # A crash after the Delta commit and before Spark's checkpoint and the group commit: the
    # batch is run again with the same id and Delta skips it.
    third = topic.send_events(40)
    before = committed(topic)
    saved = tmp_path / "ckpt-b-saved"
    shutil.copytree(ckpt_b, saved)
    run_job(topic, lake, ckpt_b)
    assert len(event_ids(lake)) == 2 + 301 + 50 + 40
    shutil.rmtree(ckpt_b / "spark")
    shutil.copytree(saved / "spark", ckpt_b / "spark")
    from tl_spark.offsets import GroupOffsets

    g = GroupOffsets(topic.brokers, topic.group, topic.name)
    g.commit(before)
    g.close()
    batches = run_job(topic, lake, ckpt_b)
    assert [b["replayed"] for b in batches] == [True]
    assert event_ids(lake) == sorted(embedded + first + ["ev-900"] + second + third)
    assert committed(topic) == topic.end_offsets()


def test_the_job_runs_on_a_spark_cluster(broker, standalone: str, lake: Path, tmp_path: Path):
    """SPARK_MASTER=spark://…: the driver stays in the job's process, the Kafka reads and the
    Delta writes run on the cluster's executor."""
    topic = Topic(broker.brokers)
    ids = topic.send_events(500)
    batches = run_job(topic, lake, tmp_path / "ckpt", master=standalone)
    assert sum(b["events"] for b in batches) == 500
    assert event_ids(lake) == sorted(["ev-10000", "ev-10001", *ids])
    # One file per day per batch (the batch is repartitioned by event_date before the write).
    assert len(batches[0]["events_files"]) == 5
    assert committed(topic) == topic.end_offsets()


def test_the_job_stops_when_the_app_that_started_it_dies(broker, tmp_path: Path):
    """The app starts the job with TL_SPARK_DIE_WITH_PARENT=1: killed with kill -9, it must not
    leave the job running (an orphan would consume the topic beside the restarted app's writer)."""
    import signal
    import time

    topic = Topic(broker.brokers)
    topic.send_events(20)
    checkpoint = tmp_path / "ckpt"
    progress = checkpoint / "tl-progress.jsonl"
    job = (
        f"{sys.executable} -m tl_spark.job --brokers {topic.brokers} --topic {topic.name} "
        f"--group {topic.group} --lake {tmp_path / 'lake'} --checkpoint {checkpoint} --trigger 1s"
    )
    # `; true`: the shell stays the job's parent instead of exec-ing it.
    app = subprocess.Popen(
        ["sh", "-c", f"{job}; true"],
        cwd=ROOT / "pipelines" / "spark",
        env={**os.environ, "PYTHONPATH": str(ROOT / "pipelines" / "spark"), "TL_SPARK_DIE_WITH_PARENT": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def states() -> list[dict]:
        if not progress.exists():
            return []
        return [json.loads(line) for line in progress.read_text().splitlines() if '"type": "state"' in line]

    def batches() -> int:
        return progress.read_text().count('"type": "batch"') if progress.exists() else 0

    deadline = time.monotonic() + 300
    while batches() == 0:
        assert time.monotonic() < deadline and app.poll() is None, states()
        time.sleep(0.5)
    pid = next(s["pid"] for s in states() if s["state"] == "running")
    app.send_signal(signal.SIGKILL)
    app.wait(30)
    deadline = time.monotonic() + 120
    while states()[-1]["state"] not in ("stopped", "failed"):
        assert time.monotonic() < deadline, f"the job {pid} goes on after its parent died"
        time.sleep(0.5)
    assert states()[-1]["state"] == "stopped"
    for _ in range(60):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"the job's process {pid} is still alive")
