"""Fixtures of the Spark job's tests: a real local Spark session with the job's jars, and a real
Kafka broker of the tests' own (infra/local/kafka.sh on a free port, as the TypeScript suites do).

Spark, its jars and the broker are installed from the registries on first use
(infra/local/spark.sh, infra/local/kafka.sh). Without Java or Maven the tests are skipped with the
reason; with REQUIRE_SERVICES=1 (CI, .ci/run) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SPARK_SH = ROOT / "infra" / "local" / "spark.sh"
KAFKA_SH = ROOT / "infra" / "local" / "kafka.sh"
sys.path.insert(0, str(ROOT / "pipelines" / "spark"))
sys.path.insert(0, str(ROOT / "pipelines" / "lake"))


def unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"REQUIRE_SERVICES=1 but the Spark job's tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def ensure_spark() -> None:
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (.ci/run installs it)")
    if subprocess.run([str(SPARK_SH), "status"], capture_output=True).returncode != 0:
        done = subprocess.run([str(SPARK_SH), "install"], capture_output=True, text=True)
        if done.returncode != 0:
            unavailable(f"infra/local/spark.sh install failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")


@pytest.fixture(scope="session")
def spark():
    ensure_spark()
    from tl_spark.job import DEFAULT_JARS, spark_session

    session = spark_session("local[2]", DEFAULT_JARS, "1g", 2)
    yield session
    session.stop()


def free_port_pair() -> int:
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port >= 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port


class Broker:
    def __init__(self, data_dir: Path) -> None:
        self.port = free_port_pair()
        self.env = {**os.environ, "KAFKA_PORT": str(self.port), "KAFKA_DATA_DIR": str(data_dir)}

    @property
    def brokers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        done = subprocess.run([str(KAFKA_SH), "start"], env=self.env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            unavailable(f"infra/local/kafka.sh start failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")

    def stop(self) -> None:
        subprocess.run([str(KAFKA_SH), "stop"], env=self.env, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory):
    ensure_spark()
    if shutil.which("java") is None:
        unavailable("java is not installed")
    b = Broker(tmp_path_factory.mktemp("kafka"))
    b.start()
    yield b
    b.stop()


@pytest.fixture(scope="session")
def standalone(tmp_path_factory: pytest.TempPathFactory):
    """A Spark standalone cluster (a master and one worker, from PySpark's own spark-class) on
    loopback: what SPARK_MASTER=spark://… points the job at."""
    ensure_spark()
    import time

    import pyspark

    home = Path(pyspark.__file__).parent
    env = {**os.environ, "SPARK_HOME": str(home), "SPARK_LOCAL_IP": "127.0.0.1"}
    work = tmp_path_factory.mktemp("spark-standalone")
    port = free_port_pair()
    master_log = (work / "master.log").open("w")
    master = subprocess.Popen(
        [str(home / "bin" / "spark-class"), "org.apache.spark.deploy.master.Master",
         "--host", "127.0.0.1", "--port", str(port), "--webui-port", "0"],
        env=env, stdout=master_log, stderr=subprocess.STDOUT,
    )
    url = f"spark://127.0.0.1:{port}"
    worker = subprocess.Popen(
        [str(home / "bin" / "spark-class"), "org.apache.spark.deploy.worker.Worker",
         "--cores", "1", "--memory", "1g", "--webui-port", "0", "--work-dir", str(work / "work"), url],
        env=env, stdout=(work / "worker.log").open("w"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while "Registering worker" not in (work / "master.log").read_text():
            if time.monotonic() > deadline or master.poll() is not None or worker.poll() is not None:
                unavailable(f"the Spark standalone cluster did not start: {(work / 'master.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        for p in (worker, master):
            p.terminate()
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
