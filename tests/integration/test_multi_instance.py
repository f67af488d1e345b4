"""Two API instances on one PostgreSQL and one S3 bucket, as a scaled-out deployment
runs them: concurrent uploads and deletes on both, a start-up of one (which collects
orphaned blobs) while the other is in the middle of a multipart upload, a quota
shared by both, and an object of another application in the same bucket. Nothing a
client was told is stored may be lost, nothing may exceed the quota, and nothing
outside the installation's key prefix may be touched."""
import hashlib
import subprocess
import threading

import boto3
import pytest

from support import multipart_body, read_response, sha256_hex

KiB = 1024
MiB = 1024 * KiB
S3_ENV = {"AWS_ACCESS_KEY_ID": "mecapy-test", "AWS_SECRET_ACCESS_KEY": "mecapy-test-secret"}
QUOTA = 3 * MiB
FILE_SIZE = 200 * KiB


def fresh_database(postgres, name):
    """A new, empty database on the shared test cluster; returns its URL."""
    base, _, _ = postgres.url.rpartition("/")
    subprocess.run(["psql", postgres.url, "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], check=True,
                   capture_output=True, timeout=30)
    subprocess.run(["psql", postgres.url, "-q", "-c", f"CREATE DATABASE {name}"], check=True,
                   capture_output=True, timeout=30)
    return f"{base}/{name}"


def sql(url, query):
    done = subprocess.run(["psql", url, "-At", "-c", query], check=True, capture_output=True, text=True, timeout=30)
    return [line.split("|") for line in done.stdout.splitlines() if line]


def new_bucket(s3_peer, bucket):
    """A new bucket on the S3 peer: a boto3 client for it, and its blob_store location."""
    s3 = boto3.client("s3", endpoint_url=s3_peer.endpoint, region_name="us-east-1",
                      aws_access_key_id=S3_ENV["AWS_ACCESS_KEY_ID"],
                      aws_secret_access_key=S3_ENV["AWS_SECRET_ACCESS_KEY"])
    s3.create_bucket(Bucket=bucket)
    return s3, f"s3://{bucket}?endpoint={s3_peer.endpoint}&region=us-east-1&path_style=true"


def content(tag, i, size=FILE_SIZE):
    seed = hashlib.sha256(f"{tag}-{i}".encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


@pytest.mark.deadline(180)
def test_two_instances_lose_nothing_and_share_one_quota(servers, postgres, s3_peer):
    url = fresh_database(postgres, "two_instances")
    bucket = "two-instances"
    s3, location = new_bucket(s3_peer, bucket)
    s3.put_object(Bucket=bucket, Key="other-app/keep.bin", Body=b"another application's data")
    args = ("--database-url", url, "--blob-store", location, "--user-quota", f"{QUOTA}B", "--db-pool-size", "4")
    a = servers.start(*args, env=S3_ENV)
    b = servers.start(*args, env=S3_ENV)

    # 1. A multipart request on A: its first file is staged (blob committed, no row
    # yet) while B starts up and collects orphans. It must survive.
    # (The server reads a body in 256 KiB steps: the parts are larger than that.)
    first, second = content("form", 1, 512 * KiB), content("form", 2, 512 * KiB)
    ctype, body = multipart_body([("file", "first.bin", None, first), ("file", "second.bin", None, second)])
    cut = body.index(second[:64]) + 300 * KiB  # well into the second part
    form = a.connect(timeout=60)
    form.sendall((f"POST /api/v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {ctype}\r\n"
                  f"Authorization: Bearer {a.token}\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n").encode() + body[:cut])

    def staged_objects():
        listed = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        return len([o for o in listed if not o["Key"].startswith("other-app/")])

    for _ in range(200):  # the first part is committed to the bucket
        if staged_objects() >= 1:
            break
        threading.Event().wait(0.05)
    assert staged_objects() >= 1, "the first part was never staged"
    b.kill()
    b = servers.start(*args, env=S3_ENV)
    b.wait_log(lambda l: "orphaned blob" in (l["message"] or ""), timeout=30,
               what="B's start-up collection of orphaned blobs")
    assert b.get("/ready", timeout=30).status_code == 200
    form.sendall(body[cut:])
    answer = read_response(form)
    form.close()
    assert answer.status == 201, answer.body
    form_files = answer.json()["files"]

    # 2. Concurrent uploads and deletes on both instances, beyond the shared quota.
    results, lock = [], threading.Lock()

    def worker(server, tag):
        for i in range(9):
            data = content(tag, i)
            r = server.request("POST", "/api/v1/files", params={"filename": f"{tag}-{i}.bin"}, data=data,
                               headers={"Content-Type": "application/octet-stream"}, timeout=60)
            with lock:
                results.append((tag, i, r.status_code, r.json() if r.status_code in (201, 413) else r.text))
            if r.status_code == 201 and i % 3 == 2:
                assert server.request("DELETE", f"/api/v1/files/{r.json()['id']}", timeout=30).status_code == 204
                with lock:
                    results.append((tag, i, "deleted", r.json()["id"]))

    threads = [threading.Thread(target=worker, args=(s, f"{name}{k}")) for k in range(2) for name, s in
               (("a", a), ("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    stored = {doc["id"]: doc for _, _, status, doc in results if status == 201}
    deleted = {doc for _, _, status, doc in results if status == "deleted"}
    refused = [doc for _, _, status, doc in results if status == 413]
    assert all(status in (201, 413, "deleted") for _, _, status, _ in results), results
    assert refused and all(doc["type"].endswith("#quota-exceeded") for doc in refused)
    assert all(doc != "deleted" for doc in stored)

    # 3. Every file a client was told is stored is listed and whole, on both instances.
    expected = {f["id"]: f for f in form_files}
    expected.update({i: d for i, d in stored.items() if i not in deleted})
    for server in (a, b):
        listed = server.get("/api/v1/files", params={"per_page": 100}).json()
        assert {f["id"] for f in listed["items"]} == set(expected)
        for file_id, doc in expected.items():
            got = server.get(f"/api/v1/files/{file_id}/content", timeout=60)
            assert got.status_code == 200 and sha256_hex(got.content) == doc["sha256"], file_id

    # 4. One quota for both, exactly: what is stored never exceeds it, and the usage
    # row says what the files add up to.
    total = sum(doc["size"] for doc in expected.values())
    assert total <= QUOTA
    assert sql(url, "SELECT used_bytes FROM storage_usage WHERE owner_id = 'admin'") == [[str(total)]]

    # 5. The bucket holds exactly the referenced blobs under the prefix, and the other
    # application's object.
    blob_keys = {row[0] for row in sql(url, "SELECT blob_key FROM blobs")}
    assert len(blob_keys) == len(expected)
    objects = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    leftover = {k for k in objects if k.startswith("mecapy/")} - {"mecapy/" + k for k in blob_keys}
    assert leftover == set(), leftover  # deletes removed their objects
    assert {"mecapy/" + k for k in blob_keys} <= objects
    assert "other-app/keep.bin" in objects
    assert s3.get_object(Bucket=bucket, Key="other-app/keep.bin")["Body"].read() == b"another application's data"
