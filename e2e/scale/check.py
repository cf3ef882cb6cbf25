"""Issue 14's "Done means", shown through the balancer in front of three woolly processes
(e2e/scale/run.sh starts them and passes addresses and tokens in the environment):

1. the 301st request of one token in a window gets 429 whichever process serves it;
2. a token revoked through one process is refused by the others at once;
3. an avatar uploaded through one process is served through the others (S3 storage);
4. update_credentials through one is seen by GET /api/v1/accounts/:id through the others on
   the next request (caches warm in every process beforehand);
5. ids from all three never collide under concurrent writes, and
6. killing one process mid-load loses no acknowledged write while the balancer keeps serving;
7. each process's metrics show its own counts;
8. a client streaming from one process hears a notification caused through another
   (streaming events travel through Redis).

Standard library only. Exits non-zero at the first failed point.
"""

import hashlib
import json
import os
import re
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

LB = os.environ["LB"]
PROCESSES = [f"http://127.0.0.1:{p}" for p in os.environ["PROCESSES"].split(",")]
METRICS = [f"http://127.0.0.1:{p}/metrics" for p in os.environ["METRICS"].split(",")]
PIDS = [int(p) for p in os.environ["SERVER_PIDS"].split(",")]
S3_URL = os.environ["S3_URL"]
TOKEN_LIMIT = os.environ["TOKEN_LIMIT"]
TOKEN_PROFILE = os.environ["TOKEN_PROFILE"]
WRITER_TOKENS = os.environ["WRITER_TOKENS"].split(",")
PSQL_URL = os.environ["PSQL_URL"]


def request(method, url, token=None, form=None, body=None, headers=None):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = body
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status, res.headers, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def fail(point, message):
    print(f"FAIL {point}: {message}")
    sys.exit(1)


def ok(point, message):
    print(f"ok   {point}: {message}")


def upstream(headers):
    return headers.get("X-Upstream", "?")


def psql(sql):
    out = subprocess.run(["psql", PSQL_URL, "-tAc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def metrics_text(url):
    status, _, body = request("GET", url)
    if status != 200:
        raise RuntimeError(f"{url}: {status}")
    return body.decode()


def metric_sum(text, name):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total


def png(size=32):
    """A small RGB PNG, made here so the test needs no image library."""
    rows = b"".join(b"\x00" + b"".join(bytes([(x * 8) % 256, (y * 8) % 256, 160]) for x in range(size)) for y in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def multipart(field, filename, content_type, data):
    boundary = "woollyscaleboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def rate_limit():
    point = "1 rate limit"
    left = 300 - time.time() % 300
    if left < 30:  # the 300 requests must fall in one window
        time.sleep(left + 1)
    served_by = set()
    for i in range(300):
        status, headers, _ = request("GET", f"{LB}/api/v1/accounts/verify_credentials", TOKEN_LIMIT)
        if status != 200:
            fail(point, f"request {i + 1} got {status}")
        served_by.add(upstream(headers))
    if len(served_by) != 3:
        fail(point, f"the 300 requests reached {served_by}, not all three processes")
    refused_by = set()
    for _ in range(6):
        status, headers, body = request("GET", f"{LB}/api/v1/accounts/verify_credentials", TOKEN_LIMIT)
        if status != 429 or json.loads(body).get("error") != "Too many requests":
            fail(point, f"request past the limit got {status} from {upstream(headers)}")
        if headers.get("X-RateLimit-Remaining") != "0":
            fail(point, f"remaining {headers.get('X-RateLimit-Remaining')}")
        refused_by.add(upstream(headers))
    if len(refused_by) != 3:
        fail(point, f"429s came from {refused_by} only")
    ok(point, f"300 requests served by {len(served_by)} processes; the 301st-306th got 429 from all three ({sorted(refused_by)})")


def revoked_token():
    point = "2 revocation"
    status, _, body = request("POST", f"{LB}/api/v1/apps", form={
        "client_name": "scale e2e", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"})
    if status != 200:
        fail(point, f"creating an app: {status} {body[:200]}")
    app = json.loads(body)
    status, _, body = request("POST", f"{LB}/oauth/token", form={
        "grant_type": "client_credentials", "client_id": app["client_id"],
        "client_secret": app["client_secret"], "scope": "read"})
    if status != 200:
        fail(point, f"client_credentials token: {status} {body[:200]}")
    token = json.loads(body)["access_token"]
    for base in PROCESSES:
        status, _, _ = request("GET", f"{base}/api/v1/apps/verify_credentials", token)
        if status != 200:
            fail(point, f"{base} refused the fresh token: {status}")
    status, headers, body = request("POST", f"{LB}/oauth/revoke", form={
        "client_id": app["client_id"], "client_secret": app["client_secret"], "token": token})
    if status != 200:
        fail(point, f"revoking: {status} {body[:200]}")
    revoked_by = upstream(headers)
    for base in PROCESSES:
        status, _, _ = request("GET", f"{base}/api/v1/apps/verify_credentials", token)
        if status != 401:
            fail(point, f"{base} still accepts the revoked token: {status}")
    ok(point, f"revoked through {revoked_by}; refused at once by every process (401)")


def avatar():
    point = "3 avatar on S3"
    image = png()
    body, headers = multipart("avatar", "a.png", "image/png", image)
    status, h, answer = request("PATCH", f"{LB}/api/v1/accounts/update_credentials", TOKEN_PROFILE, body=body, headers=headers)
    if status != 200:
        fail(point, f"upload: {status} {answer[:300]}")
    url = json.loads(answer)["avatar"]
    m = re.match(r"^http://[^/]+/system/(.+)$", url)
    if not m:
        fail(point, f"avatar URL {url}")
    key = m.group(1)
    stored = None
    for base in PROCESSES:
        status, headers, got = request("GET", f"{base}/system/{key}")
        if status != 200 or headers.get("Content-Type") != "image/png":
            fail(point, f"{base} answered {status} {headers.get('Content-Type')}")
        stored = stored or got
        if got != stored:
            fail(point, f"{base} served other bytes")
    # The bucket holds it (read from the S3 server's own state: its objects are private).
    moto_root, bucket = S3_URL.rsplit("/", 1)
    _, _, state = request("GET", f"{moto_root}/moto-api/data.json")
    digest = '"' + hashlib.md5(stored).hexdigest() + '"'
    objects = [k for k in json.loads(state)["s3"].get("FakeKey", [])
               if k.get("bucket_name") == bucket and k.get("name") == key]
    if not any(k.get("etag") == digest and k.get("contentsize") == len(stored) for k in objects):
        fail(point, f"the bucket has no {key} with the served bytes: {objects}")
    ok(point, f"uploaded through {upstream(h)}; the same {len(stored)} bytes served by all three and stored in the bucket")


def account_updates():
    point = "4 update_credentials"
    status, _, body = request("GET", f"{LB}/api/v1/accounts/verify_credentials", TOKEN_PROFILE)
    account_id = json.loads(body)["id"]
    for round_ in range(12):
        for base in PROCESSES:  # warm every process's cache
            for _ in range(2):
                request("GET", f"{base}/api/v1/accounts/{account_id}")
        writer = PROCESSES[round_ % 3]
        name = f"Alice {round_}"
        status, _, _ = request("PATCH", f"{writer}/api/v1/accounts/update_credentials", TOKEN_PROFILE, form={"display_name": name})
        if status != 200:
            fail(point, f"update through {writer}: {status}")
        for base in PROCESSES:
            if base == writer:
                continue
            _, _, body = request("GET", f"{base}/api/v1/accounts/{account_id}")
            seen = json.loads(body)["display_name"]
            if seen != name:
                fail(point, f"round {round_}: {base} answered {seen!r} after {writer} saved {name!r}")
            _, _, body = request("GET", f"{base}/api/v1/accounts/verify_credentials", TOKEN_PROFILE)
            if json.loads(body)["display_name"] != name:
                fail(point, f"round {round_}: verify_credentials on {base} is stale")
    hits = sum(metric_sum(metrics_text(m), "woolly_cache_hits_total") for m in METRICS)
    if hits <= 0:
        fail(point, "no cache hits anywhere: the caches were not exercised")
    ok(point, f"12 rounds: every write seen by the two other processes on their next request ({hits:.0f} cache hits meanwhile)")


def streaming():
    point = "8 streaming"
    _, _, body = request("GET", f"{LB}/api/v1/accounts/verify_credentials", TOKEN_PROFILE)
    me = json.loads(body)["id"]
    req = urllib.request.Request(f"{PROCESSES[0]}/api/v1/streaming/user/notification",
                                 headers={"Authorization": f"Bearer {TOKEN_PROFILE}"})
    res = urllib.request.urlopen(req, timeout=15)
    heard = []

    def listen():
        event = None
        try:
            for raw in res:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[len("event: "):]
                elif line.startswith("data: ") and event == "notification":
                    heard.append(json.loads(line[len("data: "):]))
                    return
        except (OSError, ValueError):
            pass

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    time.sleep(1)  # the subscription reaches Redis and is announced to the other processes
    status, _, body = request("POST", f"{PROCESSES[1]}/api/v1/accounts/{me}/follow", WRITER_TOKENS[0])
    if status != 200:
        fail(point, f"follow through {PROCESSES[1]}: {status} {body[:200]}")
    listener.join(10)
    res.close()
    if not heard:
        fail(point, f"the stream on {PROCESSES[0]} heard nothing of a follow made through {PROCESSES[1]}")
    if heard[0].get("type") != "follow":
        fail(point, f"unexpected notification {heard[0]}")
    ok(point, f"streaming from {PROCESSES[0]}, heard the follow made through {PROCESSES[1]} (via Redis)")


def metrics_before_kill():
    point = "7 metrics"
    rows = []
    for i, url in enumerate(METRICS):
        text = metrics_text(url)
        requests_ = metric_sum(text, "woolly_http_requests_total")
        limited = metric_sum(text, "woolly_rate_limited_total")
        hits = metric_sum(text, "woolly_cache_hits_total")
        pool = metric_sum(text, "woolly_db_pool_connections")
        if requests_ <= 0:
            fail(point, f"process {i + 1} reports no requests")
        if limited <= 0:
            fail(point, f"process {i + 1} reports no 429 though it served some")
        rows.append((i + 1, requests_, limited, hits, pool))
    for r in rows:
        print(f"       process {r[0]}: {r[1]:.0f} requests, {r[2]:.0f} rate-limited, {r[3]:.0f} cache hits, {r[4]:.0f} pool connections")
    ok(point, "each process reports its own counts")


def writes_with_a_kill():
    point = "5+6 ids and a kill"
    leases = psql("SELECT count(DISTINCT node_id) FROM node_leases")
    if leases != "3":
        fail(point, f"{leases} leased node ids, not 3")
    per_writer = 150
    jobs = [(t, n) for n in range(per_writer) for t in WRITER_TOKENS]
    total = len(jobs)
    lock = threading.Lock()
    acked, failed, order = [], [], []
    killed_at = [None]

    def worker():
        while True:
            with lock:
                if not jobs:
                    return
                token, n = jobs.pop()
            status, headers, body = request("POST", f"{LB}/api/v1/statuses", token,
                                            form={"status": f"scale {n}", "visibility": "public"})
            with lock:
                order.append(status)
                if status == 200:
                    acked.append(json.loads(body)["id"])
                else:
                    failed.append(status)
                if killed_at[0] is None and len(acked) >= total // 3:
                    os.kill(PIDS[2], signal.SIGKILL)
                    killed_at[0] = len(order)

    threads = [threading.Thread(target=worker) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if killed_at[0] is None:
        fail(point, "the process was never killed")
    if len(set(acked)) != len(acked):
        fail(point, f"{len(acked) - len(set(acked))} duplicate ids")
    node_ids = {(int(i) >> 10) & 63 for i in acked}
    if len(node_ids) < 3:
        fail(point, f"ids carry node ids {node_ids}: not from three processes")
    bad = [s for s in failed if s not in (502, 504)]
    if bad:
        fail(point, f"unexpected failures {bad[:10]}")
    after = order[killed_at[0] + 48:]
    if not after or any(s != 200 for s in after):
        fail(point, f"the balancer did not keep serving after the kill: {[s for s in after if s != 200][:10]}")
    ids = ",".join(acked)
    stored = psql(f"SELECT count(*) FROM statuses WHERE id IN ({ids})")
    if int(stored) != len(acked):
        fail(point, f"{len(acked)} writes acknowledged, {stored} stored")
    ok(point, f"{len(acked)}/{total} writes acknowledged ({len(failed)} refused as the process died), ids unique across node ids {sorted(node_ids)}, every acknowledged write stored, balancer serving after the kill")


def survivors():
    point = "6 survivors"
    for url in METRICS[:2]:
        metrics_text(url)
    status, _, _ = request("GET", f"{LB}/health")
    if status != 200:
        fail(point, f"/health through the balancer: {status}")
    ok(point, "the two remaining processes answer /health and /metrics through and beside the balancer")


rate_limit()
revoked_token()
avatar()
account_updates()
streaming()
metrics_before_kill()
writes_with_a_kill()
survivors()
print("scale-out e2e: all points shown")
