"""Packages on the scale-out setup: two API instances sharing one PostgreSQL and one S3
bucket. A version is published once, whichever instance gets it; archives live in the
bucket; both instances read the same catalogue."""
import threading

import pytest

from packages_support import DEMO_MODULE, EXAMPLES, deploy, directory_files, manifest, sandbox_args, zip_of
from test_multi_instance import S3_ENV, fresh_database, new_bucket, sql


@pytest.mark.deadline(240)
def test_two_instances_publish_each_version_once(servers, postgres, s3_peer):
    url = fresh_database(postgres, "packages_two_instances")
    bucket = "packages-two-instances"
    s3, location = new_bucket(s3_peer, bucket)
    args = ("--database-url", url, "--blob-store", location, "--db-pool-size", "4")
    a = servers.start(*args, *sandbox_args(), env=S3_ENV)
    b = servers.start(*args, *sandbox_args(), env=S3_ENV)

    r = deploy(a, zip_of(directory_files(EXAMPLES / "fixtures")))
    assert r.status_code == 201, r.text
    package_id = r.json()["package"]["id"]
    assert r.json()["tests"]["failed"] == 0
    seen_by_b = b.get(f"/api/v1/packages/{package_id}/functions/scale").json()
    assert seen_by_b["input_schema"]["properties"]["force"]["x-unit"] == "N"

    # The same new version sent to both instances at once: published exactly once.
    archive = zip_of({"mecapy.yml": manifest(name="race-demo", version="2.0.0"), "demo.py": DEMO_MODULE})
    first = deploy(a, zip_of({"mecapy.yml": manifest(name="race-demo"), "demo.py": DEMO_MODULE}))
    assert first.status_code == 201, first.text
    results = {}

    def send(name, server):
        results[name] = deploy(server, archive)

    threads = [threading.Thread(target=send, args=(n, s)) for n, s in (("a", a), ("b", b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    codes = sorted(r.status_code for r in results.values())
    assert codes == [201, 409], [r.text for r in results.values()]
    race_id = first.json()["package"]["id"]
    assert sql(url, f"SELECT version FROM package_versions WHERE package_id = '{race_id}' ORDER BY version") == \
        [["1.0.0"], ["2.0.0"]]

    # Every published archive is in the bucket, referenced once per version.
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    stored = sql(url, "SELECT source_blob_key FROM package_versions")
    assert len(stored) == 3
    assert all(any(k.endswith(key[0]) or k == key[0] for k in keys) for key in stored), (keys, stored)
