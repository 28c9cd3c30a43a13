#!/usr/bin/env python3
"""A gridpush HTTP API client in Python's standard library only, as a backend would write one.

Usage: api_client.py BASE_URL TOKEN KEY
Runs a fixed scenario against the gateway and prints one JSON object of what it observed
(statuses, values, versions, events), which HttpClientsTest checks.
"""
import json
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

base, token, key = sys.argv[1].rstrip("/") + "/api/v1", sys.argv[2], sys.argv[3]
entry = base + "/caches/default/keys/" + urllib.parse.quote(key, safe="")
auth = {"Authorization": "Bearer " + token}


def call(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers={**auth, **(headers or {})})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            text = response.read().decode("utf-8")
            return response.status, dict(response.headers), json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8")
        return error.code, dict(error.headers), json.loads(text) if text else None


def read_events(url, count, out, ready):
    """Reads `count` events of a Server-Sent Events stream into `out`."""
    request = urllib.request.Request(url, headers={**auth, "Accept": "text/event-stream"})
    with urllib.request.urlopen(request, timeout=20) as stream:
        ready.set()
        event = {}
        for raw in stream:
            line = raw.decode("utf-8").rstrip("\n")
            if line == "":
                if "event" in event:
                    out.append(event)
                    if len(out) == count:
                        return
                event = {}
            elif line.startswith("id: "):
                event["id"] = line[4:]
            elif line.startswith("event: "):
                event["event"] = line[7:]
            elif line.startswith("data: "):
                event["data"] = json.loads(line[6:])


report = {}
status, headers, body = call("PUT", entry, {"from": "python", "n": 1})
report["created"] = {"status": status, "etag": headers.get("ETag"), "version": body["version"]}
status, headers, body = call("GET", entry)
report["read"] = {"status": status, "etag": headers.get("ETag"), "value": body["value"]}
status, headers, body = call("PUT", entry, {"from": "python", "n": 2}, {"If-Match": '"1"'})
report["stale"] = {"status": status, "error": body["error"]}
status, headers, body = call("PUT", entry, {"from": "python", "n": 2}, {"If-Match": report["created"]["etag"]})
report["replaced"] = {"status": status, "etag": headers.get("ETag")}

events, ready = [], threading.Event()
reader = threading.Thread(target=read_events, args=(entry + "/events", 2, events, ready), daemon=True)
reader.start()
ready.wait(20)
call("PUT", entry, {"from": "python", "n": 3})
reader.join(20)
report["events"] = events

status, headers, body = call("POST", base + "/caches/default/batch",
                             {"operations": [{"op": "put", "key": key + "-b1", "value": 1},
                                             {"op": "putIfAbsent", "key": key + "-b1", "value": 2},
                                             {"op": "remove", "key": key + "-b2"}]})
report["batch"] = {"status": status, "results": body["results"]}

keys, after = [], None
for _ in range(1000):
    url = base + "/caches/default/keys?limit=2" + ("" if after is None else "&after=" + urllib.parse.quote(after, safe=""))
    status, headers, body = call("GET", url)
    keys += [item["key"] for item in body["entries"] if item["key"].startswith(key)]
    after = body.get("next")
    if after is None:
        break
report["paged"] = sorted(keys)
status, headers, body = call("DELETE", entry)
report["deleted"] = status
status, headers, body = call("GET", entry)
report["gone"] = {"status": status, "error": body["error"]}
print(json.dumps(report))
