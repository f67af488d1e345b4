"""Signs requests with botocore's S3 SigV4 signer, for sigv4_test.cpp.

Reads a JSON document on stdin:
  {"timestamp": "YYYYMMDDTHHMMSSZ",
   "requests": [{"access_key", "secret_key", "token" (may be empty), "region",
                 "method", "url", "headers": [[name, value]...], "body", "unsigned": bool}],
   "keys": [key...]}
and writes {"signed": [{"authorization", "canonical_request"}...], "encoded_keys": [...]}:
each request signed as botocore's S3 client would at that instant, and each object key
percent-encoded the way botocore puts it in a URL path.
"""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode

spec = json.load(sys.stdin)
now = datetime.datetime.strptime(spec["timestamp"], "%Y%m%dT%H%M%SZ")
botocore.auth.get_current_datetime = lambda: now
signed = []
for r in spec["requests"]:
    request = AWSRequest(method=r["method"], url=r["url"], headers=dict(r["headers"]),
                         data=r["body"].encode("utf-8"))
    if r["unsigned"]:
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    credentials = Credentials(r["access_key"], r["secret_key"], r["token"] or None)
    signer = botocore.auth.S3SigV4Auth(credentials, "s3", r["region"])
    seen = []
    compute = signer.canonical_request
    signer.canonical_request = lambda req: seen.append(compute(req)) or seen[-1]
    signer.add_auth(request)
    signed.append({"authorization": request.headers["Authorization"], "canonical_request": seen[0]})

json.dump({"signed": signed, "encoded_keys": [percent_encode(k, safe="/~") for k in spec["keys"]]}, sys.stdout)
