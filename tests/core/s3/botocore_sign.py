#!/usr/bin/python3
"""Signs one S3 request with botocore, as an independent reference for Ferry's signer.

Reads a JSON object (or a list of them) on stdin:
  method, endpoint ("https://host[:port]"), path (decoded, "/bucket/key"), query ([[name, value]]),
  headers ([[name, value]]), body (text), signPayload (bool), time ("YYYYMMDDTHHMMSSZ"), region,
  accessKey, secretKey, token (may be empty), presign (bool), expires (seconds)
and prints JSON: {"url": wire URL, "headers": {lowercase name: value}} -- for presign, "url" is the
presigned URL and "headers" is empty. A list in gives a list out, in the same order.
"""
import datetime
import json
import sys
import types

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode, percent_encode_sequence


def fixed_clock(stamp):
    fixed = datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")

    class FixedDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

        @classmethod
        def now(cls, tz=None):
            return fixed if tz is None else fixed.replace(tzinfo=tz)

    # botocore.auth reads the clock through its module-level `datetime` import.
    botocore.auth.datetime = types.SimpleNamespace(datetime=FixedDateTime, timezone=datetime.timezone,
                                                   timedelta=datetime.timedelta)


def sign(req):
    fixed_clock(req["time"])
    credentials = Credentials(req["accessKey"], req["secretKey"], req.get("token") or None)
    # S3 encodes each key segment once and keeps '/', exactly as botocore's own S3 serializer does.
    path = percent_encode(req["path"], safe="/~")
    query = [(k, v) for k, v in req.get("query", [])]
    url = req["endpoint"] + path
    if query:
        url += "?" + percent_encode_sequence(query)
    body = req.get("body", "").encode("utf-8")
    request = AWSRequest(method=req["method"], url=url, headers=dict(req.get("headers", [])), data=body)
    request.context["client_config"] = types.SimpleNamespace(
        s3={"payload_signing_enabled": bool(req.get("signPayload", False))})

    if req.get("presign"):
        botocore.auth.S3SigV4QueryAuth(credentials, "s3", req["region"], expires=int(req["expires"])).add_auth(request)
        return {"url": request.url, "headers": {}}

    if query:
        # Signed from the decoded parameters, independent of how the URL above was encoded.
        request.url = req["endpoint"] + path
        request.params = dict(query)
    botocore.auth.S3SigV4Auth(credentials, "s3", req["region"]).add_auth(request)
    wanted = ("x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization")
    headers = {k.lower(): v for k, v in request.headers.items() if k.lower() in wanted}
    return {"url": url, "headers": headers}


def main():
    req = json.load(sys.stdin)
    # One request, or a list of them (one interpreter start for many signatures).
    result = [sign(r) for r in req] if isinstance(req, list) else sign(req)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
