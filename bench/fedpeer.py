#!/usr/bin/env python3
"""The remote side of the federation benchmark (bench/federation.sh): a loopback "fediverse"
of many remote actors spread over many hosts, and a load generator that signs as them.

  fedpeer.py sink  --port P --hosts H --keys FILE [--keycount K]
      Serves, on 127.0.0.2 … 127.0.0.(H+1) port P (one host per remote server), the actor
      documents /users/u<i> (actor i lives on host i mod H) with their public keys and
      collections, and accepts POSTs to each host's shared inbox /inbox and to the personal
      inboxes /users/u<i>/inbox: each delivery's draft-cavage signature and Digest are
      verified against the sender's key (fetched from Woolly, cached), then counted.
      127.0.0.1:P answers /_stats (JSON) and /_reset. The K private keys (shared round-robin
      by the actors; Woolly stores one key per actor either way) are written to FILE.
  fedpeer.py load  --base URL --sink-port P --hosts H --keys FILE --actors N --object USER
                   --tag T [--concurrency C] [--path /users/USER/inbox]
      Signs N Follow activities of USER, one from each actor u0 … u(N-1), then POSTs them
      with C keep-alive connections and prints one JSON line (count, statuses, seconds, rate,
      latency percentiles). The signing happens before the clock starts.
  fedpeer.py ceiling --base URL [--count N] [--concurrency C]
      The generator's own ceiling: GET /health N times the same way.
  fedpeer.py wait  --sink-port P --kind Accept --count N [--since EPOCH] [--timeout S]
      Waits until the sink has received N deliveries of that kind; prints the time of the
      last one since EPOCH.
  fedpeer.py fanout --base URL --token T --sink-port P --expect N [--timeout S]
      Resets the sink, PATCHes update_credentials, waits for N Update deliveries and prints
      the time from the PATCH to the last of them, the deliveries made, the distinct inboxes
      reached and how many were correctly signed.

Python's `cryptography` signs and verifies; no other dependency.
"""

import argparse
import asyncio
import base64
import email.utils
import hashlib
import json
import sys
import time
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

AS = "https://www.w3.org/ns/activitystreams"
ACTIVITY_JSON = "application/activity+json"


def host_of(args_hosts, i):
    return f"127.0.0.{2 + i % args_hosts}"


def actor_url(hosts, port, i):
    return f"http://{host_of(hosts, i)}:{port}/users/u{i}"


# ---------------------------------------------------------------- minimal HTTP/1.1 plumbing


async def read_message(reader):
    """(start line, headers lowercased, body) of one HTTP/1.1 message; None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip().lower(), value.strip()))
    h = dict(headers)
    if "content-length" in h:
        body = await reader.readexactly(int(h["content-length"]))
    elif h.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = b""
    return lines[0], headers, body


def response(status, body=b"", ctype="application/json"):
    reason = {200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}
    return (
        f"HTTP/1.1 {status} {reason.get(status, 'X')}\r\nContent-Type: {ctype}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


# ---------------------------------------------------------------- signatures


def digest(body):
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def sign_headers(key, key_id, method, path, host, body):
    date = email.utils.formatdate(usegmt=True)
    dig = digest(body)
    text = f"(request-target): {method.lower()} {path}\nhost: {host}\ndate: {date}\ndigest: {dig}"
    sig = base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
    return [
        ("Host", host),
        ("Date", date),
        ("Digest", dig),
        (
            "Signature",
            f'keyId="{key_id}",algorithm="rsa-sha256",'
            f'headers="(request-target) host date digest",signature="{sig}"',
        ),
    ]


def parse_signature(value):
    out = {}
    for part in value.split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip().strip('"')
    return out


def load_keys(path):
    with open(path, "rb") as f:
        blobs = f.read().split(b"\n\n")
    return [serialization.load_pem_private_key(b.strip() + b"\n", None) for b in blobs if b.strip()]


# ---------------------------------------------------------------- the sink


class Sink:
    def __init__(self, port, hosts, keys):
        self.port, self.hosts = port, hosts
        self.pems = [
            k.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
            for k in keys
        ]
        self.woolly_keys = {}  # keyId -> future of a public key
        self.reset()

    def reset(self):
        self.counts = {}  # activity type -> deliveries
        self.last = {}  # activity type -> time of the last one
        self.first = {}
        self.sig_ok = {}
        self.sig_bad = {}
        self.bad_samples = []
        self.inboxes = {}  # "Update" -> {inbox url: deliveries}
        self.fetches = 0
        self.collection_fetches = 0

    def stats(self):
        return {
            "counts": self.counts,
            "first": self.first,
            "last": self.last,
            "sig_ok": self.sig_ok,
            "sig_bad": self.sig_bad,
            "bad_samples": self.bad_samples[:5],
            "inboxes": self.inboxes,
            "fetches": self.fetches,
            "collection_fetches": self.collection_fetches,
        }

    def actor(self, i):
        uri = actor_url(self.hosts, self.port, i)
        base = f"http://{host_of(self.hosts, i)}:{self.port}"
        return {
            "@context": [AS, "https://w3id.org/security/v1"],
            "id": uri,
            "type": "Person",
            "preferredUsername": f"u{i}",
            "name": f"Remote user {i}",
            "summary": "<p>a remote account of the federation benchmark</p>",
            "url": f"{base}/@u{i}",
            "inbox": f"{uri}/inbox",
            "outbox": f"{uri}/outbox",
            "followers": f"{uri}/followers",
            "following": f"{uri}/following",
            "endpoints": {"sharedInbox": f"{base}/inbox"},
            "manuallyApprovesFollowers": False,
            "discoverable": True,
            "publicKey": {"id": f"{uri}#main-key", "owner": uri, "publicKeyPem": self.pems[i % len(self.pems)]},
        }

    async def woolly_key(self, key_id):
        fut = self.woolly_keys.get(key_id)
        if fut is None:
            fut = asyncio.get_running_loop().run_in_executor(None, fetch_public_key, key_id)
            self.woolly_keys[key_id] = fut
        return await fut

    async def verify(self, path, headers, body):
        h = {}
        for n, v in headers:
            h[n] = f"{h[n]}, {v}" if n in h else v
        sig = parse_signature(h.get("signature", ""))
        names = sig.get("headers", "date").split()
        if "digest" not in names or h.get("digest") != digest(body):
            return "digest"
        lines = []
        for n in names:
            if n == "(request-target)":
                lines.append(f"(request-target): post {path}")
            elif n in h:
                lines.append(f"{n}: {h[n]}")
            else:
                return f"missing {n}"
        try:
            key = await self.woolly_key(sig.get("keyId", ""))
            key.verify(base64.b64decode(sig.get("signature", "")), "\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return "bad signature"
        except Exception as e:  # noqa: BLE001 — any failure is a bad delivery
            return f"key: {e}"
        return None

    async def handle(self, reader, writer):
        try:
            while True:
                msg = await read_message(reader)
                if msg is None:
                    break
                start, headers, body = msg
                method, target = start.split(" ")[:2]
                path = urllib.parse.urlsplit(target).path
                host = dict(headers).get("host", "")
                writer.write(await self.route(method, path, host, headers, body))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def route(self, method, path, host, headers, body):
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/_stats":
            return response(200, json.dumps(self.stats()).encode())
        if method == "POST" and path == "/_reset":
            self.reset()
            return response(200, b"{}")
        if method == "GET" and path == "/_ready":
            return response(200, b"{}")
        if len(parts) >= 2 and parts[0] == "users" and parts[1].startswith("u") and parts[1][1:].isdigit():
            i = int(parts[1][1:])
            if not host.startswith(host_of(self.hosts, i) + ":"):
                return response(404, b"{}")
            if method == "GET" and len(parts) == 2:
                self.fetches += 1
                return response(200, json.dumps(self.actor(i)).encode(), ACTIVITY_JSON)
            if method == "GET" and len(parts) == 3:
                self.collection_fetches += 1
                uri = actor_url(self.hosts, self.port, i) + "/" + parts[2]
                doc = {"@context": AS, "id": uri, "type": "OrderedCollection", "totalItems": 0}
                return response(200, json.dumps(doc).encode(), ACTIVITY_JSON)
            if method == "POST" and len(parts) == 3 and parts[2] == "inbox":
                return await self.delivery(path, host, headers, body)
        if method == "POST" and path == "/inbox":
            return await self.delivery(path, host, headers, body)
        return response(404, b"{}")

    async def delivery(self, path, host, headers, body):
        try:
            kind = json.loads(body).get("type", "?")
        except ValueError:
            kind = "?"
        now = time.time()
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.first.setdefault(kind, now)
        self.last[kind] = now
        inbox = f"http://{host}{path}"
        per = self.inboxes.setdefault(kind, {}) if kind in ("Update", "Delete") else None
        if per is not None:
            per[inbox] = per.get(inbox, 0) + 1
        why = await self.verify(path, headers, body)
        if why is None:
            self.sig_ok[kind] = self.sig_ok.get(kind, 0) + 1
            return response(202)
        self.sig_bad[kind] = self.sig_bad.get(kind, 0) + 1
        if len(self.bad_samples) < 5:
            self.bad_samples.append(f"{kind} to {inbox}: {why}")
        return response(401, b"{}")


def fetch_public_key(key_id):
    actor = key_id.split("#")[0]
    req = urllib.request.Request(actor, headers={"Accept": ACTIVITY_JSON})
    doc = json.load(urllib.request.urlopen(req, timeout=10))
    key = doc["publicKey"]
    if key["id"] != key_id:
        raise ValueError(f"key id {key['id']} is not {key_id}")
    return serialization.load_pem_public_key(key["publicKeyPem"].encode())


async def run_sink(args):
    keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(args.keycount)]
    with open(args.keys, "wb") as f:
        for k in keys:
            f.write(
                k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            )
            f.write(b"\n")
    sink = Sink(args.port, args.hosts, keys)
    addresses = ["127.0.0.1"] + [f"127.0.0.{2 + h}" for h in range(args.hosts)]
    server = await asyncio.start_server(sink.handle, host=addresses, port=args.port, backlog=1024)
    print(f"sink: {args.hosts} hosts on port {args.port}", file=sys.stderr, flush=True)
    async with server:
        await server.serve_forever()


# ---------------------------------------------------------------- the load generator


async def send_all(host, port, requests, concurrency):
    """Sends each request once over `concurrency` keep-alive connections; returns the
    status counts, per-request latencies and the wall time."""
    statuses, latencies = {}, []
    it = iter(requests)

    async def worker():
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for req in it:
                t = time.perf_counter()
                writer.write(req)
                msg = await read_message(reader)
                if msg is None:  # the server closed the connection: reopen and resend
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    writer.write(req)
                    msg = await read_message(reader)
                latencies.append(time.perf_counter() - t)
                status = int(msg[0].split(" ")[1]) if msg else 0
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return statuses, latencies, time.perf_counter() - t0


def summary(statuses, latencies, seconds, started):
    latencies.sort()
    pct = lambda p: round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1) if latencies else 0  # noqa: E731
    n = len(latencies)
    return {
        "count": n,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": round(seconds, 3),
        "rate": round(n / seconds, 1) if seconds else 0,
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
        "started": started,
    }


def run_load(args):
    base = urllib.parse.urlsplit(args.base)
    domain = base.netloc
    keys = load_keys(args.keys)
    path = args.path or f"/users/{args.object}/inbox"
    obj = f"{args.base}/users/{args.object}"
    requests = []
    for i in range(args.first, args.first + args.actors):
        actor = actor_url(args.hosts, args.sink_port, i)
        body = json.dumps(
            {"@context": AS, "id": f"{actor}#follows/{args.tag}", "type": "Follow", "actor": actor, "object": obj},
            separators=(",", ":"),
        ).encode()
        headers = sign_headers(keys[i % len(keys)], f"{actor}#main-key", "POST", path, domain, body)
        headers += [("Content-Type", ACTIVITY_JSON), ("Content-Length", str(len(body)))]
        head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers) + "\r\n"
        requests.append(head.encode() + body)
    started = time.time()
    statuses, latencies, seconds = asyncio.run(send_all(base.hostname, base.port, requests, args.concurrency))
    print(json.dumps(summary(statuses, latencies, seconds, started)))


def run_ceiling(args):
    base = urllib.parse.urlsplit(args.base)
    req = f"GET /health HTTP/1.1\r\nHost: {base.netloc}\r\n\r\n".encode()
    started = time.time()
    statuses, latencies, seconds = asyncio.run(send_all(base.hostname, base.port, [req] * args.count, args.concurrency))
    print(json.dumps(summary(statuses, latencies, seconds, started)))


def sink_stats(port):
    return json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=10))


def run_wait(args):
    deadline = time.time() + args.timeout
    while True:
        s = sink_stats(args.sink_port)
        n = s["counts"].get(args.kind, 0)
        if n >= args.count or time.time() > deadline:
            last = s["last"].get(args.kind)
            secs = round(last - args.since, 3) if (last and args.since) else None
            print(json.dumps({"kind": args.kind, "received": n, "seconds": secs,
                              "sig_ok": s["sig_ok"].get(args.kind, 0), "sig_bad": s["sig_bad"].get(args.kind, 0),
                              "bad_samples": s["bad_samples"], "fetches": s["fetches"],
                              "collection_fetches": s["collection_fetches"]}))
            return
        time.sleep(0.1)


def run_fanout(args):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{args.sink_port}/_reset", method="POST"), timeout=10)
    form = urllib.parse.urlencode({"display_name": f"fan-out {time.time():.3f}"}).encode()
    req = urllib.request.Request(
        f"{args.base}/api/v1/accounts/update_credentials",
        data=form,
        method="PATCH",
        headers={"Authorization": f"Bearer {args.token}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    t0 = time.time()
    urllib.request.urlopen(req, timeout=30).read()
    answered = time.time() - t0
    deadline = t0 + args.timeout
    while True:
        s = sink_stats(args.sink_port)
        n = s["counts"].get("Update", 0)
        if n >= args.expect or time.time() > deadline:
            break
        time.sleep(0.01)
    time.sleep(args.settle)  # late duplicates would show here
    s = sink_stats(args.sink_port)
    inboxes = s["inboxes"].get("Update", {})
    last = s["last"].get("Update")
    print(json.dumps({
        "deliveries": s["counts"].get("Update", 0),
        "distinct_inboxes": len(inboxes),
        "max_per_inbox": max(inboxes.values()) if inboxes else 0,
        "signed_ok": s["sig_ok"].get("Update", 0),
        "signed_bad": s["sig_bad"].get("Update", 0),
        "bad_samples": s["bad_samples"],
        "patch_ms": round(answered * 1000, 1),
        "first_s": round(s["first"]["Update"] - t0, 3) if last else None,
        "seconds": round(last - t0, 3) if last else None,
    }))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sink")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--hosts", type=int, required=True)
    s.add_argument("--keys", required=True)
    s.add_argument("--keycount", type=int, default=16)
    l = sub.add_parser("load")  # noqa: E741
    l.add_argument("--base", required=True)
    l.add_argument("--sink-port", type=int, required=True)
    l.add_argument("--hosts", type=int, required=True)
    l.add_argument("--keys", required=True)
    l.add_argument("--actors", type=int, required=True)
    l.add_argument("--first", type=int, default=0)
    l.add_argument("--object", required=True)
    l.add_argument("--tag", required=True)
    l.add_argument("--path")
    l.add_argument("--concurrency", type=int, default=32)
    c = sub.add_parser("ceiling")
    c.add_argument("--base", required=True)
    c.add_argument("--count", type=int, default=20000)
    c.add_argument("--concurrency", type=int, default=32)
    w = sub.add_parser("wait")
    w.add_argument("--sink-port", type=int, required=True)
    w.add_argument("--kind", required=True)
    w.add_argument("--count", type=int, required=True)
    w.add_argument("--since", type=float, default=0)
    w.add_argument("--timeout", type=float, default=600)
    f = sub.add_parser("fanout")
    f.add_argument("--base", required=True)
    f.add_argument("--token", required=True)
    f.add_argument("--sink-port", type=int, required=True)
    f.add_argument("--expect", type=int, required=True)
    f.add_argument("--timeout", type=float, default=300)
    f.add_argument("--settle", type=float, default=1.0)
    args = p.parse_args()
    if args.cmd == "sink":
        asyncio.run(run_sink(args))
    elif args.cmd == "load":
        run_load(args)
    elif args.cmd == "ceiling":
        run_ceiling(args)
    elif args.cmd == "wait":
        run_wait(args)
    else:
        run_fanout(args)


if __name__ == "__main__":
    main()
