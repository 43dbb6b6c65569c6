#!/usr/bin/env python3
"""Helpers of scripts/schemathesis/run (standard library only).

  st_helper.py preflight BASE_URL [SECONDS]
      Waits up to SECONDS (default 30) for BASE_URL/openapi.json, then checks that the keys in
      CARTBRIDGE_ST_API_KEY / CARTBRIDGE_ST_STORE_KEY are accepted (cart.methods answers return_code 0).
      Every API error is HTTP 200 with a valid envelope, so a run with wrong keys would "pass" while testing
      nothing but the key check: refuse to start instead.

  st_helper.py summary JUNIT_XML JSON_REPORT
      Prints one line per tested operation, the number of generated test cases and, last, exactly
      `schemathesis: N passed, N failed` (operations). Exit status 0 only when every selected operation
      passed and the run reported no errors.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET


def fetch(url, headers=None, timeout=30):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def preflight(base, seconds=30.0):
    base = base.rstrip("/")
    deadline = time.monotonic() + seconds
    while True:
        try:
            status, _, body = fetch(base + "/openapi.json", timeout=10)
            document = json.loads(body)
            if status == 200 and isinstance(document.get("paths"), dict) and document["paths"]:
                break
            problem = "it has no paths"
        except (OSError, ValueError) as error:  # URLError is an OSError
            problem = str(error)
        if time.monotonic() >= deadline:
            print(f"preflight: {base}/openapi.json is not usable: {problem}", file=sys.stderr)
            return 2
        time.sleep(1)

    headers = {
        "x-api-key": os.environ.get("CARTBRIDGE_ST_API_KEY", ""),
        "x-store-key": os.environ.get("CARTBRIDGE_ST_STORE_KEY", ""),
    }
    try:
        status, content_type, body = fetch(base + "/v1.1/cart.methods.json", headers)
        envelope = json.loads(body)
    except (OSError, ValueError) as error:
        print(f"preflight: cart.methods failed: {error}", file=sys.stderr)
        return 2
    if envelope.get("return_code") != 0:
        print(
            "preflight: the server refused the test keys (cart.methods answered return_code "
            f"{envelope.get('return_code')}: {envelope.get('return_message')!r}); every operation would only "
            "exercise the key check. Set CARTBRIDGE_ST_API_KEY / CARTBRIDGE_ST_STORE_KEY to an account and one "
            "of its stores.",
            file=sys.stderr,
        )
        return 2
    count = len(envelope.get("result", {}).get("method", []))
    print(f"preflight: server up, keys accepted (store offers {count} methods)")
    return 0


def summary(junit_path, json_path):
    problems = []
    passed, failed, skipped = [], [], []
    try:
        root = ET.parse(junit_path).getroot()
        for case in root.iter("testcase"):
            name = case.get("name", "?")
            if case.find("failure") is not None or case.find("error") is not None:
                failed.append(name)
            elif case.find("skipped") is not None:
                skipped.append(name)
            else:
                passed.append(name)
    except (OSError, ET.ParseError) as error:
        problems.append(f"no usable JUnit report ({error})")

    generated = None
    try:
        with open(json_path, encoding="utf-8") as handle:
            report = json.load(handle)
        generated = report.get("test_cases", {}).get("generated")
        operations = report.get("operations", {})
        if report.get("errors"):
            problems.append(f"{len(report['errors'])} error(s) reported by schemathesis (see the JSON report)")
        if report.get("stop_reason") not in (None, "completed"):
            problems.append(f"run stopped early: {report.get('stop_reason')}")
        if operations.get("errored"):
            problems.append(f"{operations['errored']} operation(s) errored")
        selected = operations.get("selected")
        tested = len(passed) + len(failed) + len(skipped)
        if selected is not None and tested and selected != tested:
            problems.append(f"{selected} operations selected but {tested} reported")
    except (OSError, ValueError) as error:
        problems.append(f"no usable JSON report ({error})")

    for name in sorted(passed):
        print(f"  passed   {name}")
    for name in sorted(failed):
        print(f"  FAILED   {name}")
    for name in sorted(skipped):
        print(f"  SKIPPED  {name}")
    if skipped:
        problems.append(f"{len(skipped)} operation(s) skipped, i.e. not tested")
    for problem in problems:
        print(f"problem: {problem}")
    print(f"generated test cases: {generated if generated is not None else 'unknown'}")
    print(f"schemathesis: {len(passed)} passed, {len(failed)} failed")
    return 0 if not failed and not problems and passed else 1


def main(argv):
    if len(argv) >= 2 and argv[1] == "preflight":
        return preflight(argv[2], float(argv[3]) if len(argv) > 3 else 30.0)
    if len(argv) == 4 and argv[1] == "summary":
        return summary(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
