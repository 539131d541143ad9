"""A program written against Wix's Contacts v4 REST reference only (urllib, no knowledge of this
project), run against `wix-emulator`: list, label, unlabel, merge and delete contacts.

The emulator binary sits next to $CONTACTS_GATEWAY_BIN (or set $WIX_EMULATOR_BIN)."""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

GATEWAY = os.environ.get("CONTACTS_GATEWAY_BIN", "")
EMULATOR = os.environ.get("WIX_EMULATOR_BIN") or os.path.join(os.path.dirname(GATEWAY), "wix-emulator")
TIMEOUT = 20.0


class Wix:
    """The few lines any script needs to call the Wix REST API."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")

    def call(self, method: str, path: str, body=None, query=None):
        url = f"{self.base}/contacts/v4/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", "an-api-key")
        request.add_header("wix-site-id", "a-site")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return json.loads(response.read() or b"{}")

    def error(self, method: str, path: str, body=None, query=None):
        with pytest.raises(urllib.error.HTTPError) as caught:
            self.call(method, path, body, query)
        return caught.value.code, json.loads(caught.value.read())


@pytest.fixture
def wix(tmp_path):
    process = subprocess.Popen(
        [EMULATOR, "--port", "0", "--db", str(tmp_path / "site.sqlite"), "--log-level", "error"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base = process.stdout.readline().strip()
        assert base.startswith("http://127.0.0.1:"), base
        yield Wix(base)
    finally:
        process.terminate()
        process.wait(timeout=TIMEOUT)


def create(wix: Wix, first: str, email: str) -> dict:
    info = {"name": {"first": first}, "emails": {"items": [{"email": email}]}}
    return wix.call("POST", "contacts", {"info": info})["contact"]


def test_list_pages_with_wix_paging_metadata(wix):
    ids = [create(wix, f"P{i}", f"p{i}@py.test")["id"] for i in range(5)]
    page = wix.call("GET", "contacts", query={"paging.limit": 2, "paging.offset": 1,
                                              "sort.fieldName": "createdDate", "sort.order": "ASC",
                                              "fieldsets": "FULL"})
    assert [c["id"] for c in page["contacts"]] == ids[1:3]
    assert page["pagingMetadata"] == {"count": 2, "offset": 1, "total": 5}
    newest_first = wix.call("GET", "contacts")["contacts"]
    assert newest_first[0]["id"] == ids[-1]


def test_label_unlabel_merge_and_delete(wix):
    vip = wix.call("POST", "labels", {"displayName": "VIP"})["label"]["key"]
    target = create(wix, "Target", "target@py.test")
    source = create(wix, "Source", "source@py.test")

    labeled = wix.call("POST", f"contacts/{source['id']}/labels", {"labelKeys": [vip]})["contact"]
    assert labeled["info"]["labelKeys"]["items"] == [vip]
    assert labeled["revision"] == 2
    status, body = wix.error("POST", f"contacts/{source['id']}/labels", {"labelKeys": ["custom.none"]})
    assert status == 404 and body["details"]["applicationError"]["code"] == "LABEL_NOT_FOUND"

    preview = wix.call("POST", f"contacts/{target['id']}/preview-merge", {"sourceContactIds": [source["id"]]})
    assert [e["email"] for e in preview["contact"]["info"]["emails"]["items"]] == ["target@py.test", "source@py.test"]

    merged = wix.call("POST", f"contacts/{target['id']}/merge",
                      {"sourceContactIds": [source["id"]], "targetContactRevision": 1})["contact"]
    assert merged["revision"] == 2
    assert merged["info"]["labelKeys"]["items"] == [vip]
    # Get Contact with a merged-away id answers the target.
    assert wix.call("GET", f"contacts/{source['id']}")["contact"]["id"] == target["id"]

    unlabeled = wix.call("DELETE", f"contacts/{target['id']}/labels", query={"labelKeys": [vip]})["contact"]
    assert "labelKeys" not in unlabeled["info"]

    assert wix.call("DELETE", f"contacts/{target['id']}") == {}
    status, body = wix.error("GET", f"contacts/{target['id']}")
    assert status == 404 and body["details"]["applicationError"]["code"] == "CONTACT_NOT_FOUND"
    assert wix.call("GET", "contacts")["pagingMetadata"]["total"] == 0


def test_label_deletion_removes_it_from_contacts(wix):
    key = wix.call("POST", "labels", {"displayName": "Old"})["label"]["key"]
    contact = create(wix, "Tagged", "tagged@py.test")
    wix.call("POST", f"contacts/{contact['id']}/labels", {"labelKeys": [key]})
    assert wix.call("DELETE", f"labels/{key}") == {}
    assert key not in [label["key"] for label in wix.call("GET", "labels")["labels"]]
    assert "labelKeys" not in wix.call("GET", f"contacts/{contact['id']}")["contact"]["info"]
