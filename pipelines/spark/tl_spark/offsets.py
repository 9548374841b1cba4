"""The lake writer's consumer group, kept by the Spark job as the app's own writer keeps it.

Spark tracks its Kafka offsets in its checkpoint, not in a consumer group. The job also commits
them to the group of the app's lake writer (KAFKA_GROUP_ID) after each Delta commit, so that
  * the consumer-group lag in Admin → System stays true whichever writer runs, and
  * the two writers hand over without a gap or a duplicate: the job starts at the group's offsets,
    and drops the rows of any message below them (a checkpoint older than the app's progress);
    the app's writer, started again after the job, resumes at the offsets the job committed.
Only one writer may run at a time. The broker refuses a commit from outside a group that has
members (the app's writer still running), and the job then stops with that message.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

T = TypeVar("T")

# Right after a broker (re)start the group coordinator is still loading: the broker answers
# NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS for a few seconds. Those are retried.
TRANSIENT = {
    KafkaError.NOT_COORDINATOR,
    KafkaError.COORDINATOR_LOAD_IN_PROGRESS,
    KafkaError.COORDINATOR_NOT_AVAILABLE,
    KafkaError.REQUEST_TIMED_OUT,
    KafkaError._TRANSPORT,
    KafkaError._TIMED_OUT,
}


def retrying(call: Callable[[], T], seconds: float = 60.0) -> T:
    deadline = time.monotonic() + seconds
    delay = 0.2
    while True:
        try:
            return call()
        except KafkaException as exc:
            err = exc.args[0] if exc.args and isinstance(exc.args[0], KafkaError) else None
            if err is None or err.code() not in TRANSIENT or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


class GroupOffsets:
    def __init__(self, brokers: str, group: str, topic: str) -> None:
        self.topic = topic
        self.group = group
        self._consumer = Consumer(
            {
                "bootstrap.servers": brokers,
                "group.id": group,
                "enable.auto.commit": False,
                # Never joins the group (no subscribe): it only reads and commits its offsets.
                "session.timeout.ms": 30000,
            }
        )

    def partitions(self, timeout: float = 30.0) -> list[int]:
        meta = self._consumer.list_topics(self.topic, timeout=timeout)
        topic = meta.topics.get(self.topic)
        if topic is None or topic.error is not None:
            raise RuntimeError(f"Kafka topic {self.topic} does not exist (the app creates it at start)")
        return sorted(topic.partitions)

    def committed(self, timeout: float = 30.0) -> dict[int, int]:
        """Per partition: the group's committed offset (the first message not yet in the lake);
        partitions the group never committed are left out."""
        wanted = [TopicPartition(self.topic, p) for p in self.partitions(timeout)]
        got = retrying(lambda: self._consumer.committed(wanted, timeout=timeout))
        return {tp.partition: tp.offset for tp in got if tp.offset >= 0}

    def commit(self, offsets: dict[int, int]) -> None:
        if not offsets:
            return
        try:
            retrying(
                lambda: self._consumer.commit(
                    offsets=[TopicPartition(self.topic, p, o) for p, o in sorted(offsets.items())],
                    asynchronous=False,
                )
            )
        except KafkaException as exc:
            raise RuntimeError(
                f"could not commit offsets to consumer group {self.group} ({exc}); "
                "is the app's own Kafka lake writer still running? Only one lake writer may run."
            ) from exc

    def close(self) -> None:
        self._consumer.close()


def starting_offsets(topic: str, partitions: list[int], committed: dict[int, int]) -> str:
    """Spark's startingOffsets JSON: the group's offset, else the earliest (-2)."""
    import json

    return json.dumps({topic: {str(p): committed.get(p, -2) for p in partitions}})
