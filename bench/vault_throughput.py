"""Encrypt-and-upload throughput vs a plain upload of the same bytes to the same server.

Not a test: it prints figures. Each measurement runs in its own child process, so the
reported peak RSS (``ru_maxrss``) is that of one upload alone.

    .venv/bin/python bench/vault_throughput.py              # 1 GiB, own SeaweedFS
    .venv/bin/python bench/vault_throughput.py --size-mb 256 --rounds 3

Targets (issue 4): ratio (vault / plain) >= 0.8; peak RSS for a 1 GiB object < 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _child(args: argparse.Namespace) -> None:
    from storage.objectstore import ObjectStore
    from storage.settings import S3Settings

    settings = S3Settings(
        endpoint_url=args.endpoint,
        access_key=args.access_key,
        secret_key=args.secret_key,
        verify_tls=False,
    )
    store = ObjectStore(settings)
    src = Path(args.file)
    t0 = time.perf_counter()
    if args.child == "plain":
        store.put(args.bucket, f"plain/{args.round}", src)
        stored = src.stat().st_size
    else:
        from storage.db import make_engine, migrate
        from storage.keyring import LocalKeyring
        from storage.keystore import KeyStore
        from storage.vault import Vault

        engine = make_engine(f"sqlite:///{args.workdir}/catalog.sqlite")
        migrate(engine, "0001_keystore")
        keyring = LocalKeyring(Path(args.workdir) / "keys")
        if not keyring.versions():
            keyring.generate()
        vault = Vault(store, keyring, KeyStore(engine), args.bucket)
        if args.child == "vault":
            obj = vault.put("bench", "audio", src)
            stored = obj.stored_size
        else:  # vault-get: decrypt + download the object put by the last vault round
            ref = json.loads(Path(args.workdir, "last.json").read_text())
            from storage.vault import ObjectRef

            with open(os.devnull, "wb") as sink:
                stored = vault.get_to(ObjectRef(ref["bucket"], ref["key"]), sink)
            obj = None
        if args.child == "vault":
            Path(args.workdir, "last.json").write_text(
                json.dumps({"bucket": obj.bucket, "key": obj.key})
            )
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "bytes": stored, "rss_mb": rss_mb}))


def _run(mode: str, base: list[str], rnd: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--round", str(rnd), *base],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", choices=("plain", "vault", "vault-get"))
    parser.add_argument("--round", type=int, default=0)
    for name in ("endpoint", "access-key", "secret-key", "bucket", "file", "workdir"):
        parser.add_argument(f"--{name}")
    args = parser.parse_args()
    if args.child:
        _child(args)
        return 0

    from storage.objectstore import ObjectStore
    from storage.seaweed import SeaweedServer

    with tempfile.TemporaryDirectory(prefix="vault-bench-") as tmp, SeaweedServer() as server:
        src = Path(tmp) / "input.bin"
        with open(src, "wb") as fh:
            for _ in range(args.size_mb):
                fh.write(os.urandom(1024 * 1024))
        ObjectStore(server.settings()).create_bucket("bench", object_lock=True)
        base = [
            "--endpoint", server.endpoint_url,
            "--access-key", server.access_key,
            "--secret-key", server.secret_key,
            "--bucket", "bench",
            "--file", str(src),
            "--workdir", tmp,
        ]  # fmt: skip
        results: dict[str, list[dict]] = {"plain": [], "vault": [], "vault-get": []}
        for rnd in range(args.rounds):
            order = ("plain", "vault") if rnd % 2 == 0 else ("vault", "plain")
            for mode in order:
                results[mode].append(_run(mode, base, rnd))
            results["vault-get"].append(_run("vault-get", base, rnd))

    mb = args.size_mb
    print(f"object size: {mb} MiB, rounds: {args.rounds}, server: SeaweedFS 4.48 (weed mini)")
    best = {}
    for mode, runs in results.items():
        rates = [mb / r["seconds"] for r in runs]
        best[mode] = max(rates)
        peak = max(r["rss_mb"] for r in runs)
        label = {
            "plain": "plain upload",
            "vault": "encrypt+upload",
            "vault-get": "download+decrypt",
        }[mode]
        print(
            f"{label:>17}: best {max(rates):7.1f} MiB/s  "
            f"(runs: {', '.join(f'{x:.1f}' for x in rates)})  peak RSS {peak:.0f} MB"
        )
    ratio = best["vault"] / best["plain"]
    print(f"ratio encrypt+upload / plain upload: {ratio:.2f} (target >= 0.80)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
