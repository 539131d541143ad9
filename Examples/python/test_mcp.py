"""`contacts-gateway mcp`, driven by the official MCP Python SDK (`mcp` 2.3.0) over stdio.

The same client Claude Desktop-like hosts use: it spawns the built binary in $CONTACTS_GATEWAY_BIN,
negotiates, lists tools and resource templates, and calls tools; every wait has a deadline.
Run with the SDK's venv: `$(bash scripts/mcp-python.sh) -m pytest Examples/python/test_mcp.py`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters
from mcp.types import Implementation

BIN = os.environ.get("CONTACTS_GATEWAY_BIN")
if not BIN:
    raise RuntimeError("set CONTACTS_GATEWAY_BIN to the built contacts-gateway binary")

DEADLINE = 60.0  # seconds for a whole test
CALL_TIMEOUT = 20.0  # seconds for one request


@asynccontextmanager
async def gateway(
    db: Path, *, mode: str = "auto", extra_args: tuple[str, ...] = (), logging_callback=None, log_level=None
):
    """A connected client to a fresh `contacts-gateway mcp` on `db`."""
    params = StdioServerParameters(
        command=BIN, args=["mcp", "--db", str(db), "--busy-timeout", "30", *extra_args]
    )
    async with Client(
        params,
        mode=mode,
        client_info=Implementation(name="pytest-agent", version="1.0"),
        read_timeout_seconds=CALL_TIMEOUT,
        logging_callback=logging_callback,
        log_level=log_level,
        cache=None,
    ) as client:
        yield client


def run(test):
    """Runs an async test body under the deadline."""

    async def bounded():
        with anyio.fail_after(DEADLINE):
            await test()

    anyio.run(bounded)


async def create(client: Client, first: str) -> dict:
    result = await client.call_tool("contacts_create", {"info": {"name": {"first": first}}})
    assert not result.is_error, result.content
    return result.structured_content["contact"]


# "auto", the SDK's default, probes server/discover and speaks the stateless 2026-07-28 revision;
# "legacy" is the initialize handshake at 2025-11-25. Every flow runs both ways.
MODES = pytest.mark.parametrize("mode,version", [("auto", "2026-07-28"), ("legacy", "2025-11-25")])


@MODES
def test_connect_lists_tools_and_templates(tmp_path, mode, version):
    async def body():
        async with gateway(tmp_path / "c.sqlite", mode=mode) as client:
            assert client.protocol_version == version
            assert client.server_info.name == "contacts-gateway"
            assert client.server_capabilities.tools is not None
            assert "revision" in (client.instructions or "")

            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            for name in ("contacts_get", "contacts_query", "contacts_create", "contacts_update",
                         "contacts_forceUpdate", "contacts_undo", "audit_history", "labels_list"):
                assert name in tools, name
            assert "rpc_discover" not in tools and "gateway_status" not in tools
            update = tools["contacts_update"]
            assert update.input_schema["required"] == ["contactId", "info", "revision"]
            assert "actor" not in update.input_schema["properties"]
            assert "$ref" not in json.dumps(update.input_schema) + json.dumps(update.output_schema)
            assert update.output_schema["type"] == "object"
            assert update.annotations.read_only_hint is False
            assert tools["contacts_get"].annotations.read_only_hint is True

            templates = (await client.list_resource_templates()).resource_templates
            assert sorted(t.uri_template for t in templates) == ["audit://{contactId}", "contact://{contactId}"]
            if mode == "legacy":  # both are gone from the stateless revision
                await client.set_logging_level("warning")
                await client.send_ping()

    run(body)


@MODES
def test_create_update_stale_force_history_undo(tmp_path, mode, version):
    async def body():
        async with gateway(tmp_path / "c.sqlite", mode=mode) as client:
            assert client.protocol_version == version
            contact = await create(client, "Ada")
            cid = contact["id"]

            updated = await client.call_tool(
                "contacts_update", {"contactId": cid, "revision": 1, "info": {"company": "Analytical Engines"}})
            assert not updated.is_error
            assert updated.structured_content["contact"]["revision"] == 2
            assert updated.content[0].text.startswith("contacts.update: contact ")

            # A stale revision is a tool error the agent can act on, not a protocol error.
            stale = await client.call_tool(
                "contacts_update", {"contactId": cid, "revision": 1, "info": {"company": "Babbage & Co"}})
            assert stale.is_error
            error = stale.structured_content["error"]
            assert error["applicationCode"] == "CONTACT_ALREADY_CHANGED"
            assert error["currentRevision"] == 2
            assert "contacts_forceUpdate" in error["nextStep"]
            assert stale.content[0].text.startswith("CONTACT_ALREADY_CHANGED:")

            forced = await client.call_tool("contacts_forceUpdate", {"contactId": cid, "info": {"jobTitle": "Analyst"}})
            assert not forced.is_error
            assert forced.structured_content["contact"]["revision"] == 3
            forced_audit = forced.structured_content["auditId"]

            history = await client.read_resource(f"audit://{cid}")
            text, as_json = history.contents
            assert text.mime_type == "text/plain" and as_json.mime_type == "application/json"
            assert f"audit {forced_audit}  forceUpdate  revision 2 -> 3" in text.text
            assert "Actor:  mcp:pytest-agent" in text.text
            entries = json.loads(as_json.text)["entries"]
            assert [e["operation"] for e in entries] == ["forceUpdate", "update", "create"]
            assert {e["actor"] for e in entries} == {"mcp:pytest-agent"}

            undone = await client.call_tool("contacts_undo", {"contactId": cid})
            assert not undone.is_error
            assert undone.structured_content["undid"] == forced_audit
            assert "jobTitle" not in undone.structured_content["contact"]["info"]

            read = await client.read_resource(f"contact://{cid}")
            assert json.loads(read.contents[0].text)["revision"] == 4

    run(body)


@MODES
def test_a_cancelled_call_is_never_applied(tmp_path, mode, version):
    db = tmp_path / "c.sqlite"

    async def body():
        async with gateway(db, mode=mode) as client:
            cid = (await create(client, "Ada"))["id"]
            # Another program holds the database's write lock, so the next write to this contact
            # waits for it, and the call after it waits its turn on the same contact.
            lock = sqlite3.connect(db, timeout=10, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")
            try:
                async with anyio.create_task_group() as group:
                    first: dict = {}

                    async def first_write():
                        first["result"] = await client.call_tool(
                            "contacts_forceUpdate", {"contactId": cid, "info": {"company": "First"}})

                    group.start_soon(first_write)
                    # Every client task idle: the first write is on the wire, before the second.
                    await anyio.wait_all_tasks_blocked()
                    # The caller gives up on the second write: the SDK sends notifications/cancelled.
                    with anyio.move_on_after(1.0) as scope:
                        await client.call_tool("contacts_forceUpdate", {"contactId": cid, "info": {"company": "Second"}})
                    assert scope.cancelled_caught
                    lock.execute("ROLLBACK")
            finally:
                lock.close()
            assert not first["result"].is_error
            # Cancelled while it waited, so never run.
            contact = json.loads((await client.read_resource(f"contact://{cid}")).contents[0].text)
            assert contact["info"]["company"] == "First"
            assert contact["revision"] == 2
            history = await client.call_tool("audit_history", {"contactId": cid})
            assert [e["operation"] for e in history.structured_content["entries"]] == ["forceUpdate", "create"]

    run(body)


@MODES
def test_protocol_errors(tmp_path, mode, version):
    async def body():
        async with gateway(tmp_path / "c.sqlite", mode=mode) as client:
            assert client.protocol_version == version
            with pytest.raises(MCPError) as unknown_tool:
                await client.call_tool("contacts_explode", {})
            assert unknown_tool.value.error.code == -32602

            with pytest.raises(MCPError) as missing:
                await client.read_resource("contact://no-such-contact")
            assert missing.value.error.code == -32002

            # Arguments that do not fit are a tool error naming the field, so the agent can fix them.
            bad = await client.call_tool("contacts_get", {"contactId": 42})
            assert bad.is_error and bad.structured_content["error"]["field"] == "contactId"
            # The session keeps serving.
            assert (await client.list_tools()).tools

    run(body)


def test_the_actor_option_names_the_writer(tmp_path):
    async def body():
        async with gateway(tmp_path / "c.sqlite", extra_args=("--actor", "alice")) as client:
            cid = (await create(client, "Ada"))["id"]
            history = await client.call_tool("audit_history", {"contactId": cid})
            assert [e["actor"] for e in history.structured_content["entries"]] == ["alice"]

    run(body)


@MODES
def test_changes_are_logged_to_the_client(tmp_path, mode, version):
    messages = []
    two_arrived = None

    async def on_log(params):
        messages.append(params)
        if len(messages) >= 2:
            two_arrived.set()

    async def body():
        nonlocal two_arrived
        two_arrived = anyio.Event()
        # Stateless requests opt in per request (log_level); the handshake sets a level once.
        async with gateway(tmp_path / "c.sqlite", mode=mode, logging_callback=on_log, log_level="debug") as client:
            if mode == "legacy":
                await client.set_logging_level("debug")
            await create(client, "Ada")
            await client.call_tool("contacts_query", {})
            with anyio.fail_after(10):
                await two_arrived.wait()
            assert [m.level for m in messages] == ["notice", "debug"]
            assert messages[0].data.startswith("contacts.create: contact ")

    run(body)


@MODES
def test_a_long_call_reports_progress(tmp_path, mode, version):
    updates = []
    done = None

    async def on_progress(progress, total, message):
        updates.append((progress, total, message))
        if progress == total:
            done.set()

    async def body():
        nonlocal done
        done = anyio.Event()
        async with gateway(tmp_path / "c.sqlite", mode=mode) as client:
            for i in range(30):
                await create(client, f"Contact {i}")
            # The SDK sends a progressToken in _meta; the bulk method reports every 25 contacts.
            result = await client.call_tool(
                "contacts_bulkUpdate", {"filter": {}, "info": {"company": "Wix"}}, progress_callback=on_progress)
            assert not result.is_error, result.content
            assert result.structured_content["count"] == 30
            with anyio.fail_after(10):
                await done.wait()
            assert [(p, t) for p, t, _ in updates] == [(25, 30), (30, 30)]
            assert updates[-1][2] == "30 of 30 contacts (0 failed)"

    run(body)
