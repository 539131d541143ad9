"""A typed Python client for contacts-gateway (JSON-RPC 2.0, one JSON value per line, on stdio).

    from contacts_gateway import ContactsGateway

    with ContactsGateway(db="/tmp/contacts.sqlite") as gw:
        contact = gw.create({"name": {"first": "Ada"}})["contact"]
        gw.update(contact["id"], {"company": "Analytical Engines"}, revision=contact["revision"])

The binary is ``binary=`` or ``$CONTACTS_GATEWAY_BIN``. A reader thread matches responses to
requests by id, so any number of threads may call the same client at once. Standard library only.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import Future
from typing import Any, Mapping, Sequence

__all__ = ["ContactsGateway", "GatewayError", "GatewayClosed"]

JSON = dict[str, Any]


class GatewayError(Exception):
    """A JSON-RPC error response. ``application_code`` is the Wix code (e.g. ``CONTACT_NOT_FOUND``)."""

    def __init__(self, code: int, message: str, application_code: str | None = None, data: Any = None):
        super().__init__(f"{message} ({code} {application_code})" if application_code else f"{message} ({code})")
        self.code = code
        self.message = message
        self.application_code = application_code
        self.data = data

    @classmethod
    def from_error(cls, error: Mapping[str, Any]) -> "GatewayError":
        data = error.get("data")
        app = data.get("applicationCode") if isinstance(data, dict) else None
        return cls(int(error.get("code", -32603)), str(error.get("message", "")), app, data)


class GatewayClosed(ConnectionError):
    """The gateway process went away before answering."""


class ContactsGateway:
    """Spawns ``contacts-gateway`` and talks JSON-RPC to it. Use as a context manager."""

    def __init__(
        self,
        binary: str | None = None,
        *,
        db: str | None = None,
        args: Sequence[str] = (),
        timeout: float = 30.0,
        env: Mapping[str, str] | None = None,
    ):
        binary = binary or os.environ.get("CONTACTS_GATEWAY_BIN")
        if not binary:
            raise ValueError("pass binary= or set CONTACTS_GATEWAY_BIN to the contacts-gateway executable")
        self.timeout = timeout
        self._tmpdir = None
        if db is None:  # a private throwaway database, removed on close
            self._tmpdir = tempfile.mkdtemp(prefix="contacts-gateway-")
            db = os.path.join(self._tmpdir, "contacts.sqlite")
        self.db = db
        self._ids = itertools.count(1)
        self._pending: dict[int, Future] = {}
        self._lock = threading.Lock()  # guards _pending, _closed and writes to stdin
        self._closed = False
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=200)
        try:
            self._proc = subprocess.Popen(
                [binary, "--db", db, *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env={**os.environ, **(env or {})},
                text=True,
                encoding="utf-8",
                bufsize=1,  # line buffered: each request is flushed as it is written
            )
        except OSError:
            if self._tmpdir:
                shutil.rmtree(self._tmpdir, ignore_errors=True)
            raise
        self._reader = threading.Thread(target=self._read_stdout, name="contacts-gateway-reader", daemon=True)
        self._reader.start()
        self._stderr = threading.Thread(target=self._read_stderr, name="contacts-gateway-stderr", daemon=True)
        self._stderr.start()

    # -- protocol --------------------------------------------------------------------------

    def call_async(self, method: str, params: Mapping[str, Any] | None = None) -> Future:
        """Send a request; the future resolves to the result or raises ``GatewayError``."""
        future: Future = Future()
        message: JSON = {"jsonrpc": "2.0", "id": 0, "method": method}
        if params is not None:
            message["params"] = dict(params)
        with self._lock:
            if self._closed:
                raise GatewayClosed("the gateway is closed")
            request_id = next(self._ids)
            message["id"] = request_id
            self._pending[request_id] = future
            future.request_id = request_id  # type: ignore[attr-defined]
            try:
                self._proc.stdin.write(json.dumps(message, separators=(",", ":")) + "\n")
                self._proc.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                del self._pending[request_id]
                raise GatewayClosed(f"cannot write to the gateway: {exc}") from exc
        return future

    def call(self, method: str, params: Mapping[str, Any] | None = None, timeout: float | None = None) -> Any:
        """Send a request and wait for its result (``TimeoutError`` after ``timeout`` seconds)."""
        timeout = self.timeout if timeout is None else timeout
        future = self.call_async(method, params)
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            with self._lock:  # a late response is dropped
                self._pending.pop(future.request_id, None)
            raise TimeoutError(f"{method}: no response within {timeout} s") from None

    def notify(self, method: str, params: Mapping[str, Any] | None = None) -> None:
        """Send a notification (no response ever comes)."""
        message: JSON = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = dict(params)
        with self._lock:
            self._proc.stdin.write(json.dumps(message, separators=(",", ":")) + "\n")
            self._proc.stdin.flush()

    def _read_stdout(self) -> None:
        for line in self._proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # stdout carries protocol only; never expected
            for response in message if isinstance(message, list) else [message]:
                self._resolve(response)
        with self._lock:  # end of output: nobody will answer the rest
            self._closed = True
            pending, self._pending = self._pending, {}
        for future in pending.values():
            future.set_exception(GatewayClosed("the gateway exited before answering"))

    def _resolve(self, response: JSON) -> None:
        if "id" not in response and "method" in response:
            # A notification (`$/progress` of a bulk call): handed to on_notification, if set.
            handler = getattr(self, "on_notification", None)
            if handler is not None:
                handler(response["method"], response.get("params"))
            return
        with self._lock:
            future = self._pending.pop(response.get("id"), None)
        if future is None:
            return
        if "error" in response:
            future.set_exception(GatewayError.from_error(response["error"]))
        else:
            future.set_result(response.get("result"))

    def _read_stderr(self) -> None:
        for line in self._proc.stderr:
            self.stderr_tail.append(line.rstrip("\n"))

    # -- lifecycle -------------------------------------------------------------------------

    def close(self, timeout: float = 10.0) -> int:
        """Close stdin (the gateway finishes in-flight work and exits 0); kill after ``timeout``."""
        with self._lock:
            self._closed = True
            try:
                self._proc.stdin.close()
            except OSError:
                pass
        try:
            code = self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            code = self._proc.wait(timeout=timeout)
        self._reader.join(timeout)
        self._stderr.join(timeout)
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None
        return code

    @property
    def returncode(self) -> int | None:
        return self._proc.returncode

    def __enter__(self) -> "ContactsGateway":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # -- typed helpers ---------------------------------------------------------------------

    def get(self, contact_id: str) -> JSON:
        """The contact (``contacts.get``)."""
        return self.call("contacts.get", {"contactId": contact_id})["contact"]

    def create(self, info: JSON, *, allow_duplicates: bool = False, member: bool = False) -> JSON:
        """``{contact, auditId}``."""
        params: JSON = {"info": info}
        if allow_duplicates:
            params["allowDuplicates"] = True
        if member:
            params["member"] = True
        return self.call("contacts.create", params)

    def update(self, contact_id: str, info: JSON, revision: int, *, dry_run: bool = False) -> JSON:
        """``{contact, auditId}`` (dry run: ``{contact, changedFields}``)."""
        params: JSON = {"contactId": contact_id, "info": info, "revision": revision}
        if dry_run:
            params["dryRun"] = True
        return self.call("contacts.update", params)

    def force_update(self, contact_id: str, info: JSON, *, max_attempts: int | None = None) -> JSON:
        """``{contact, auditId, attempts}``: reads the latest revision, then updates."""
        params: JSON = {"contactId": contact_id, "info": info}
        if max_attempts is not None:
            params["maxAttempts"] = max_attempts
        return self.call("contacts.forceUpdate", params)

    def query(
        self,
        filter: JSON | None = None,
        sort: list[JSON] | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> JSON:
        """``{contacts, pagingMetadata}``."""
        params: JSON = {}
        if filter is not None:
            params["filter"] = filter
        if sort is not None:
            params["sort"] = sort
        paging = {k: v for k, v in (("limit", limit), ("offset", offset)) if v is not None}
        if paging:
            params["paging"] = paging
        return self.call("contacts.query", params)

    def history(self, contact_id: str | None = None, *, limit: int | None = None, cursor: str | None = None) -> JSON:
        """``{entries, nextCursor?}``, newest first."""
        params: JSON = {}
        if contact_id is not None:
            params["contactId"] = contact_id
        if limit is not None:
            params["limit"] = limit
        if cursor is not None:
            params["cursor"] = cursor
        return self.call("audit.history", params)

    def undo(
        self,
        *,
        audit_id: int | None = None,
        contact_id: str | None = None,
        group_id: str | None = None,
        run_id: str | None = None,
        force: bool = False,
        dry_run: bool = False,
    ) -> JSON:
        """``{contact, auditId, undid}``; by ``contact_id`` undoes its latest change not yet undone;
        by ``group_id`` every change of a merge or bulk call (``{groupId, reverted, ...}``)."""
        given = {k: v for k, v in (("auditId", audit_id), ("contactId", contact_id), ("groupId", group_id),
                                   ("runId", run_id)) if v is not None}
        if len(given) != 1:
            raise ValueError("pass exactly one of audit_id=, contact_id=, group_id= or run_id=")
        params: JSON = dict(given)
        if force:
            params["mode"] = "force"
        if dry_run:
            params["dryRun"] = True
        return self.call("contacts.undo", params)

    def delete(self, contact_id: str) -> JSON:
        """``{auditId}``; undo recreates the contact under a new id."""
        return self.call("contacts.delete", {"contactId": contact_id})

    def label(self, contact_id: str, label_keys: list[str]) -> JSON:
        """``{contact, auditId}``: adds the labels (they must exist: ``labels.findOrCreate``)."""
        return self.call("contacts.label", {"contactId": contact_id, "labelKeys": list(label_keys)})

    def unlabel(self, contact_id: str, label_keys: list[str]) -> JSON:
        """``{contact, auditId}``: removes the labels."""
        return self.call("contacts.unlabel", {"contactId": contact_id, "labelKeys": list(label_keys)})

    def preview_merge(self, target_id: str, source_ids: list[str]) -> JSON:
        """``{contact}``: the target as a merge would leave it; writes nothing."""
        return self.call("contacts.previewMerge", {"targetContactId": target_id, "sourceContactIds": list(source_ids)})

    def merge(self, target_id: str, source_ids: list[str], *, target_revision: int | None = None) -> JSON:
        """``{contact, auditId, groupId}``; ``undo(group_id=...)`` reverts it."""
        params: JSON = {"targetContactId": target_id, "sourceContactIds": list(source_ids)}
        if target_revision is not None:
            params["targetContactRevision"] = target_revision
        return self.call("contacts.merge", params)

    def bulk(self, method: str, filter: JSON, *, dry_run: bool = False, timeout: float | None = None, **params: Any) -> JSON:
        """``contacts.bulkUpdate`` (``info=``), ``bulkDelete``, ``bulkLabel`` / ``bulkUnlabel``
        (``labelKeys=``): ``{groupId, count, matched, failed}``. Progress arrives as ``$/progress``
        notifications through ``on_notification``."""
        body: JSON = {"filter": filter, **params}
        if dry_run:
            body["dryRun"] = True
        return self.call(f"contacts.{method}", body, timeout=timeout)

    def delete_label(self, key: str) -> JSON:
        """``{groupId, count}``: the label is gone, and every contact that had it lost it."""
        return self.call("labels.delete", {"key": key})

    def runs(self, *, limit: int | None = None) -> JSON:
        """``{runs: [{runId, startedAt, actor, pid, host, version, changes}], nextCursor?}``."""
        return self.call("audit.runs", {} if limit is None else {"limit": limit})

    def sync(self, *, timeout: float | None = None) -> JSON:
        """``{scanned, external, deleted}``: records changes made outside the gateway."""
        return self.call("audit.sync", timeout=timeout)

    def verify(self) -> JSON:
        """``{ok, entries, headHash}`` or ``{ok: False, firstBadAuditId, reason}``."""
        return self.call("audit.verify")

    def status(self) -> JSON:
        """``{version, backend, database, auditEntries, uptimeSeconds, runId, writer}``."""
        return self.call("gateway.status")
