#!/usr/bin/env python3
"""Fails when a test was skipped that .ci/expected-skips does not list: a skip is not a pass.

Reads every Surefire and Failsafe XML report under */target/. Each line of .ci/expected-skips names one test as
ClassName#method (blank lines and # comments ignored); the file says why next to each."""
import glob
import pathlib
import sys
import xml.etree.ElementTree as ET

root = pathlib.Path(__file__).resolve().parent.parent
expected = set()
allow = root / ".ci" / "expected-skips"
if allow.exists():
    for line in allow.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            expected.add(line)

reports = glob.glob(str(root / "*" / "target" / "surefire-reports" / "TEST-*.xml")) + \
    glob.glob(str(root / "*" / "target" / "failsafe-reports" / "TEST-*.xml"))
if not reports:
    sys.exit("check-skips: no test reports found: did the tests run?")
unexpected, skipped = [], 0
for report in reports:
    for case in ET.parse(report).getroot().iter("testcase"):
        if case.find("skipped") is not None:
            skipped += 1
            name = case.get("classname", "").rsplit(".", 1)[-1] + "#" + case.get("name", "").split("(")[0]
            if name not in expected:
                message = case.find("skipped").get("message", "")
                unexpected.append(f"{case.get('classname')}#{case.get('name')}: {message}")
print(f"check-skips: {len(reports)} reports, {skipped} skipped test(s), {len(unexpected)} not expected")
for line in unexpected:
    print("  skipped without being expected: " + line)
sys.exit(1 if unexpected else 0)
