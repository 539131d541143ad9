-- Run by tests/run.sh in headless Neovim:
--   nvim --headless -u NONE -i NONE -n -c "set rtp+=Examples/nvim" -c "runtime plugin/contacts_gateway.lua" \
--        -c "luafile Examples/nvim/tests/test_contacts_gateway.lua"
-- Prints TAP-style lines and "N passed, N failed"; exits non-zero on a failure.
local cg = require("contacts_gateway")
local json = { encode = vim.json.encode, decode = vim.json.decode, null = vim.NIL }

local passed, failed = 0, 0
local function out(line)
  io.stdout:write(line .. "\n")
end
local function test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out("ok - " .. name)
  else
    failed = failed + 1
    out("not ok - " .. name)
    for line in tostring(err):gmatch("[^\n]+") do
      out("#   " .. line)
    end
  end
end
local function eq(actual, expected, what)
  if not vim.deep_equal(actual, expected) then
    error(string.format("%s: expected %s, got %s", what or "value", vim.inspect(expected), vim.inspect(actual)), 2)
  end
end
local function contains(haystack, needle, what)
  if not haystack:find(needle, 1, true) then
    error(string.format("%s: %q not found in %q", what or "text", needle, haystack), 2)
  end
end

local function fake_client()
  local sent = {}
  local client = cg.Client.new({
    send = function(line)
      sent[#sent + 1] = line
    end,
    encode = json.encode,
    decode = json.decode,
    null = json.null,
  })
  return client, sent
end

-- Pure protocol logic --------------------------------------------------------------------

test("requests are one JSON-RPC 2.0 line each, with increasing ids", function()
  local client, sent = fake_client()
  client:request("contacts.get", { contactId = "c1" }, function() end)
  client:request("gateway.status", nil, function() end)
  eq(#sent, 2, "lines sent")
  eq(sent[1]:sub(-1), "\n", "newline terminated")
  eq(select(2, sent[1]:gsub("\n", "")), 1, "one newline")
  eq(json.decode(sent[1]), { jsonrpc = "2.0", id = 1, method = "contacts.get", params = { contactId = "c1" } })
  eq(json.decode(sent[2]), { jsonrpc = "2.0", id = 2, method = "gateway.status" })
end)

test("responses are matched by id, out of order, across split chunks", function()
  local client = fake_client()
  local got = {}
  for i = 1, 3 do
    client:request("m" .. i, nil, function(err, result)
      got[#got + 1] = { i = i, err = err, result = result }
    end)
  end
  -- jobstart's shape: the first item continues the previous partial line.
  client:feed({ '{"jsonrpc":"2.0","id":3,"res' })
  client:feed({ 'ult":{"n":3}}', '{"jsonrpc":"2.0","id":99,"result":{}}', '{"jsonrpc":"2.0","id":1,"result":{"n":1}}\r', "" })
  eq(#got, 2, "answered so far")
  eq(got[1].i, 3)
  eq(got[1].result, { n = 3 })
  eq(got[2].i, 1)
  client:feed({ '[{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Method not found."}}]', "" })
  eq(got[3].i, 2)
  eq(got[3].err.code, -32601)
  eq(got[3].err.application_code, nil)
  eq(next(client.pending), nil, "nothing pending")
end)

test("application errors map to code, message and application_code", function()
  local client = fake_client()
  local err
  client:request("contacts.get", { contactId = "x" }, function(e)
    err = e
  end)
  client:on_line(
    '{"jsonrpc":"2.0","id":1,"error":{"code":-32004,"message":"Contact not found.","data":{"applicationCode":"CONTACT_NOT_FOUND","status":"NOT_FOUND","httpStatus":404}}}'
  )
  eq(err.code, -32004)
  eq(err.message, "Contact not found.")
  eq(err.application_code, "CONTACT_NOT_FOUND")
  eq(err.data.httpStatus, 404)
  eq(cg.to_error({ code = -32700, message = "Parse error.", data = json.null }, json.null).data, nil, "null data")
end)

test("fail_all fails every pending request", function()
  local client = fake_client()
  local errs = {}
  for _ = 1, 2 do
    client:request("x", nil, function(e)
      errs[#errs + 1] = e
    end)
  end
  client:fail_all("gone")
  eq(#errs, 2)
  eq(errs[1].message, "gone")
end)

test("history renders one block per entry with a per-field diff", function()
  local entries = json.decode([[ [
    {"auditId":3,"contactId":"c1","operation":"undo","revisionBefore":2,"revisionAfter":3,
     "before":{"info":{"company":"Bletchley"}},"after":{"info":{}},"changedFields":["info.company"],
     "timestamp":"2026-11-29T10:00:02.000Z","undoOf":2},
    {"auditId":2,"contactId":"c1","operation":"update","revisionBefore":1,"revisionAfter":2,
     "before":{"info":{"name":{"first":"Alan"}}},"after":{"info":{"name":{"first":"Alan"},"company":"Bletchley"}},
     "changedFields":["info.company"],"timestamp":"2026-11-29T10:00:01.000Z","actor":"me","undoneBy":3},
    {"auditId":1,"contactId":"c1","operation":"create","revisionBefore":null,"revisionAfter":1,"before":null,
     "after":{"info":{"name":{"first":"Alan"}}},"changedFields":["info.name"],"timestamp":"2026-11-29T10:00:00.000Z"}
  ] ]])
  eq(cg.render_history("c1", entries, json.encode, json.null), {
    "Contact c1: 3 changes, newest first",
    "",
    "#3  2026-11-29T10:00:02.000Z  undo        r2 -> r3  (undo of #2)",
    '    info.company: "Bletchley" -> (none)',
    "",
    "#2  2026-11-29T10:00:01.000Z  update      r1 -> r2  by me  (undone by #3)",
    '    info.company: (none) -> "Bletchley"',
    "",
    "#1  2026-11-29T10:00:00.000Z  create      r1",
    '    info.name: (none) -> {"first":"Alan"}',
    "",
  })
  eq(cg.render_history("c9", {}, json.encode, json.null), { "Contact c9: 0 changes, newest first", "", "  (no changes)" })
end)

test("undo messages: success, and errors with their conflicts", function()
  local text, is_error = cg.undo_message("c1", nil, { undid = 2, auditId = 3, contact = { revision = 3 } })
  eq(text, "ContactsUndo c1: undid change #2; now revision 3 (audit #3)")
  eq(is_error, false)
  text, is_error = cg.undo_message("c1", {
    code = -32009,
    message = "The change conflicts with later changes.",
    application_code = "UNDO_CONFLICT",
    data = { conflicts = { { field = "info.company" }, { field = "info.emails" } } },
  })
  eq(text, "ContactsUndo c1: The change conflicts with later changes. (UNDO_CONFLICT); changed since: info.company, info.emails")
  eq(is_error, true)
end)

-- Against the real binary ---------------------------------------------------------------

local bin = os.getenv("CONTACTS_GATEWAY_BIN")
local dir = vim.fn.tempname()
vim.fn.mkdir(dir, "p")

local function call(method, params)
  local err, result = cg.request_sync(method, params)
  if err then
    error(method .. " failed: " .. vim.inspect(err), 2)
  end
  return result
end
local function last_message()
  local lines = vim.split(vim.fn.execute("messages"), "\n", { trimempty = true })
  return lines[#lines] or ""
end

local contact_id
test("the binary is set and the commands are defined", function()
  assert(bin and bin ~= "", "set CONTACTS_GATEWAY_BIN to the built contacts-gateway binary")
  eq(vim.fn.exists(":ContactsHistory"), 2, ":ContactsHistory")
  eq(vim.fn.exists(":ContactsUndo"), 2, ":ContactsUndo")
  cg.setup({ cmd = bin, db = dir .. "/contacts.sqlite", timeout = 10000 })
  local created = call("contacts.create", { info = { name = { first = "Alan", last = "Turing" } } })
  contact_id = created.contact.id
  call("contacts.update", { contactId = contact_id, revision = 1, info = { company = "Bletchley Park" } })
end)

test(":ContactsHistory {id} opens a scratch buffer with the history", function()
  vim.cmd("ContactsHistory " .. contact_id)
  local buf = vim.api.nvim_get_current_buf()
  eq(vim.bo[buf].buftype, "nofile", "buftype")
  eq(vim.bo[buf].modifiable, false, "modifiable")
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
  contains(text, "Contact " .. contact_id .. ": 2 changes, newest first")
  contains(text, "#2  ")
  -- Every entry names who made it: with no actor configured, the OS login name.
  contains(text, "update      r1 -> r2  by ")
  contains(text, '\n    info.company: (none) -> "Bletchley Park"')
  contains(text, "create      r1")
  vim.cmd("bwipeout")
end)

test(":ContactsUndo {id} undoes the latest change and echoes the result", function()
  vim.cmd("ContactsUndo " .. contact_id)
  eq(last_message(), "ContactsUndo " .. contact_id .. ": undid change #2; now revision 3 (audit #3)")
  local contact = call("contacts.get", { contactId = contact_id }).contact
  eq(contact.revision, 3)
  eq(contact.info.company, nil, "company after undo")
end)

test(":ContactsUndo walks back to the create, which cannot be undone", function()
  vim.cmd("ContactsUndo " .. contact_id)
  contains(last_message(), "(UNDO_NOT_SUPPORTED)")
  local text, is_error = cg.undo("no-such-contact")
  eq(is_error, true)
  contains(text, "ContactsUndo no-such-contact: ")
end)

test(":ContactsHistory with no id shows every contact's changes", function()
  vim.cmd("ContactsHistory")
  local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  eq(lines[1], "All contacts: 3 changes, newest first")
  contains(lines[3], "(undo of #2)")
  contains(lines[3], contact_id)
  vim.cmd("bwipeout")
end)

test("stop closes stdin and the gateway exits 0", function()
  eq(cg.stop(), 0, "exit code")
  eq(cg.stop(), 0, "stop twice")
end)

test("a gateway that never answers: the call times out, stop still ends it", function()
  local fake = dir .. "/silent-gateway"
  vim.fn.writefile({ "#!/bin/sh", "exec sleep 600" }, fake)
  vim.fn.setfperm(fake, "rwx------")
  cg.setup({ cmd = fake, db = dir .. "/unused.sqlite", timeout = 300 })
  local started = vim.loop.hrtime()
  local err = cg.request_sync("gateway.status")
  eq(err.message, "gateway.status timed out after 300 ms")
  assert(cg.stop() ~= nil, "stop returns an exit status")
  assert((vim.loop.hrtime() - started) / 1e6 < 5000, "gave up in time")
end)

vim.fn.delete(dir, "rf")
out(string.format("%d passed, %d failed", passed, failed))
if failed == 0 then
  vim.cmd("qall!")
else
  vim.cmd("cquit 1")
end
