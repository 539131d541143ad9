"""pytest suite for the Python client, against the real binary in $CONTACTS_GATEWAY_BIN."""

from __future__ import annotations

import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

import demo
from contacts_gateway import ContactsGateway, GatewayError

BIN = os.environ.get("CONTACTS_GATEWAY_BIN")
if not BIN:
    raise RuntimeError("set CONTACTS_GATEWAY_BIN to the built contacts-gateway binary")

TIMEOUT = 20.0


@pytest.fixture
def gw(tmp_path):
    with ContactsGateway(BIN, db=str(tmp_path / "contacts.sqlite"), timeout=TIMEOUT) as client:
        yield client


def test_demo_flow():
    out = io.StringIO()
    seen = demo.run(out)
    contact_id = seen["created"]["contact"]["id"]
    assert seen["updated"]["contact"]["revision"] == 2
    assert seen["forced"]["contact"]["revision"] == 3
    assert seen["forced"]["attempts"] >= 1
    assert [e["operation"] for e in seen["history"]] == ["forceUpdate", "update", "create"]
    assert all(e["contactId"] == contact_id for e in seen["history"])
    undone = seen["undone"]
    assert undone["undid"] == seen["forced"]["auditId"]
    assert undone["contact"]["revision"] == 4
    assert "jobTitle" not in undone["contact"]["info"]  # the force-update was undone
    assert undone["contact"]["info"]["company"] == "Analytical Engines"  # the update was kept
    text = out.getvalue()
    for word in ("created", "updated", "forced", "history", "undid"):
        assert word in text


def test_concurrent_calls_from_8_threads(gw):
    contact = gw.create({"name": {"first": "Grace"}})["contact"]
    barrier = threading.Barrier(8, timeout=TIMEOUT)

    def work(n: int) -> list[int]:
        barrier.wait()
        revisions = []
        for i in range(5):
            forced = gw.force_update(contact["id"], {"jobTitle": f"t{n}-{i}"}, max_attempts=10)
            revisions.append(forced["contact"]["revision"])
            assert gw.get(contact["id"])["id"] == contact["id"]
            gw.create({"name": {"first": f"P{n}-{i}"}})
        return revisions

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8), timeout=TIMEOUT * 3))

    revisions = sorted(r for rs in results for r in rs)
    assert revisions == list(range(2, 2 + 40))  # 40 updates, each its own revision, none lost
    assert gw.get(contact["id"])["revision"] == 41
    assert gw.query(limit=1)["pagingMetadata"]["total"] == 1 + 40
    assert gw.status()["auditEntries"] == 1 + 40 + 40


def test_error_mapping_contact_not_found(gw):
    with pytest.raises(GatewayError) as info:
        gw.get("no-such-contact")
    err = info.value
    assert err.code == -32004
    assert err.application_code == "CONTACT_NOT_FOUND"
    assert err.data["httpStatus"] == 404 and err.data["status"] == "NOT_FOUND"
    assert "CONTACT_NOT_FOUND" in str(err)


def test_error_mapping_conflict_and_params(gw):
    contact = gw.create({"name": {"first": "Linus"}})["contact"]
    gw.update(contact["id"], {"company": "A"}, revision=1)
    with pytest.raises(GatewayError) as conflict:
        gw.update(contact["id"], {"company": "B"}, revision=1)
    assert conflict.value.code == -32009
    assert conflict.value.application_code == "CONTACT_ALREADY_CHANGED"
    assert conflict.value.data["currentRevision"] == 2
    with pytest.raises(GatewayError) as bad_params:
        gw.call("contacts.get", {})
    assert bad_params.value.code == -32602
    with pytest.raises(GatewayError) as no_method:
        gw.call("contacts.nope")
    assert no_method.value.code == -32601 and no_method.value.application_code is None


def test_undo_by_audit_id_and_dry_run(gw):
    contact = gw.create({"name": {"first": "Alan"}})["contact"]
    updated = gw.update(contact["id"], {"company": "Bletchley"}, revision=1)
    preview = gw.undo(audit_id=updated["auditId"], dry_run=True)
    assert "info.company" in preview["changedFields"]
    assert gw.get(contact["id"])["revision"] == 2  # nothing written
    done = gw.undo(audit_id=updated["auditId"])
    assert done["undid"] == updated["auditId"] and "company" not in done["contact"]["info"]
    with pytest.raises(GatewayError) as again:
        gw.undo(audit_id=updated["auditId"])
    assert again.value.application_code == "UNDO_CONFLICT"


def test_clean_exit_code_0(tmp_path):
    gw = ContactsGateway(BIN, db=str(tmp_path / "exit.sqlite"), timeout=TIMEOUT)
    pending = [gw.call_async("gateway.status") for _ in range(20)]
    assert gw.close(timeout=TIMEOUT) == 0
    assert all(f.result(timeout=TIMEOUT)["backend"] == "local" for f in pending)  # in-flight work answered


def test_a_silent_gateway_times_out(tmp_path):
    silent = tmp_path / "silent-gateway"
    silent.write_text("#!/bin/sh\ncat >/dev/null\n")  # keeps stdout open, never answers
    silent.chmod(0o700)
    with ContactsGateway(str(silent), db=str(tmp_path / "unused.sqlite"), timeout=0.3) as gw:
        with pytest.raises(TimeoutError, match="gateway.status: no response within 0.3 s"):
            gw.status()
        assert gw._pending == {}
    assert gw.returncode == 0  # cat exits when stdin closes


def test_temp_db_is_removed_and_calls_after_close_fail():
    gw = ContactsGateway(BIN, timeout=TIMEOUT)
    db_dir = os.path.dirname(gw.db)
    try:
        assert gw.status()["database"] == gw.db
    finally:
        assert gw.close() == 0
    assert not os.path.exists(db_dir)
    with pytest.raises(ConnectionError):
        gw.status()


def test_merge_bulk_and_group_undo(gw):
    progress = []
    gw.on_notification = lambda method, params: progress.append((method, params))
    key = gw.call("labels.findOrCreate", {"displayName": "Py"})["label"]["key"]
    target = gw.create({"name": {"first": "T"}, "emails": {"items": [{"email": "t@py.test"}]}})["contact"]["id"]
    source = gw.create({"name": {"first": "S"}, "emails": {"items": [{"email": "s@py.test"}]}})["contact"]["id"]
    assert gw.label(source, [key])["contact"]["revision"] == 2
    merged = gw.merge(target, [source])
    assert [e["email"] for e in merged["contact"]["info"]["emails"]["items"]] == ["t@py.test", "s@py.test"]
    assert gw.get(source)["id"] == target
    undone = gw.undo(group_id=merged["groupId"])
    assert len(undone["reverted"]) == 2
    for i in range(30):
        gw.create({"name": {"first": f"B{i}"}, "company": "Batch"})
    result = gw.bulk("bulkUpdate", {"info.company": "Batch"}, info={"company": "Done"})
    assert result["count"] == 30 and result["failed"] == []
    assert progress[-1][0] == "$/progress" and progress[-1][1]["completed"] == 30
    assert len(gw.undo(group_id=result["groupId"])["reverted"]) == 30


def test_runs_verify_and_undo_by_run(gw):
    run_id = gw.status()["runId"]
    contact = gw.create({"name": {"first": "Run"}})["contact"]
    gw.force_update(contact["id"], {"company": "X"})
    assert gw.runs()["runs"][0]["runId"] == run_id
    assert gw.verify()["ok"] is True
    assert gw.sync() == {"scanned": 1, "external": 0, "deleted": 0}
    assert len(gw.undo(run_id=run_id, force=True)["reverted"]) == 2
