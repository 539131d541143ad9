-- contacts-gateway from Neovim: :ContactsHistory {id} and :ContactsUndo {id}.
--
--   require("contacts_gateway").setup({ cmd = "/path/to/contacts-gateway", db = "/path/to/contacts.sqlite" })
--
-- The gateway runs as a job (vim.fn.jobstart) speaking line-delimited JSON-RPC 2.0 on its
-- stdin/stdout. The protocol logic (request encoding, line framing, response matching, history
-- rendering, undo messages) is plain Lua with injected send/encode/decode, so it is testable
-- without a process; only start/stop/request_sync touch Neovim's job API.
local M = {}

M.config = {
  cmd = nil, -- default: $CONTACTS_GATEWAY_BIN, else "contacts-gateway" on $PATH
  db = nil, -- default: the gateway's own ($CONTACTS_GATEWAY_DB, else the user's data dir)
  args = {}, -- extra command-line arguments
  timeout = 10000, -- ms to wait for each response
  limit = 50, -- history entries shown
}

---------------------------------------------------------------------------------------------
-- Pure protocol logic
---------------------------------------------------------------------------------------------

--- A JSON-RPC client over any transport. `opts.send(line)` writes one line (with "\n");
--- `opts.encode` / `opts.decode` convert JSON; `opts.null` is the decoder's null value.
local Client = {}
Client.__index = Client
M.Client = Client

function Client.new(opts)
  return setmetatable({
    send = opts.send,
    encode = opts.encode,
    decode = opts.decode,
    null = opts.null,
    next_id = 1,
    pending = {}, -- id -> callback(err, result)
    partial = "", -- an incomplete line of output
  }, Client)
end

--- Encodes one request line; `params` nil is left out.
function Client:encode_request(id, method, params)
  local message = { jsonrpc = "2.0", id = id, method = method, params = params }
  return self.encode(message) .. "\n"
end

--- Sends a request; `callback(err, result)` runs when its response arrives. `err` is
--- `{ code, message, application_code, data }`. Returns the id.
function Client:request(method, params, callback)
  local id = self.next_id
  self.next_id = id + 1
  self.pending[id] = callback
  self.send(self:encode_request(id, method, params))
  return id
end

--- Feeds raw output. `chunks` is a list in jobstart's on_stdout shape: the first item
--- continues the previous partial line, each further item starts a new line, and the last
--- item is incomplete ("" when the output ended with a newline).
function Client:feed(chunks)
  for i, chunk in ipairs(chunks) do
    if i > 1 then
      self:on_line(self.partial)
      self.partial = ""
    end
    self.partial = self.partial .. chunk
  end
end

--- Handles one complete output line (a response, or a batch of them).
function Client:on_line(line)
  line = line:gsub("\r$", "")
  if line == "" then
    return
  end
  local ok, message = pcall(self.decode, line)
  if not ok or type(message) ~= "table" then
    return -- stdout carries protocol only; never expected
  end
  local responses = message[1] ~= nil and message or { message }
  for _, response in ipairs(responses) do
    local callback = self.pending[response.id]
    if callback then
      self.pending[response.id] = nil
      if response.error ~= nil and response.error ~= self.null then
        callback(M.to_error(response.error, self.null), nil)
      else
        callback(nil, response.result)
      end
    end
  end
end

--- Fails every pending request (the process went away).
function Client:fail_all(message)
  local pending = self.pending
  self.pending = {}
  for _, callback in pairs(pending) do
    callback({ code = -32603, message = message }, nil)
  end
end

--- A JSON-RPC error object as `{ code, message, application_code, data }`.
function M.to_error(error, null)
  local data = error.data ~= null and error.data or nil
  return {
    code = error.code,
    message = error.message,
    application_code = type(data) == "table" and data.applicationCode or nil,
    data = data,
  }
end

local function present(value, null)
  return value ~= nil and value ~= null
end

-- The value at a dotted path ("info.company") inside a contact snapshot, or nil.
local function at_path(object, path, null)
  for key in path:gmatch("[^.]+") do
    if type(object) ~= "table" then
      return nil
    end
    object = object[key]
    if object == null then
      return nil
    end
  end
  return object
end

local function show(value, encode, null)
  if not present(value, null) then
    return "(none)"
  end
  local text = type(value) == "string" and ('"' .. value .. '"') or encode(value)
  if #text > 72 then
    text = text:sub(1, 69) .. "..."
  end
  return text
end

--- Renders `audit.history` entries (newest first) as buffer lines.
function M.render_history(contact_id, entries, encode, null)
  local title = contact_id and ("Contact " .. contact_id) or "All contacts"
  local lines = { string.format("%s: %d change%s, newest first", title, #entries, #entries == 1 and "" or "s"), "" }
  if #entries == 0 then
    lines[#lines + 1] = "  (no changes)"
    return lines
  end
  for _, e in ipairs(entries) do
    local notes = {}
    if present(e.undoOf, null) then
      notes[#notes + 1] = "undo of #" .. e.undoOf
    end
    if present(e.undoneBy, null) then
      notes[#notes + 1] = "undone by #" .. e.undoneBy
    end
    local before = present(e.revisionBefore, null) and ("r" .. e.revisionBefore .. " -> ") or ""
    local header = string.format("#%d  %s  %-11s %sr%d", e.auditId, e.timestamp, e.operation, before, e.revisionAfter)
    if present(e.actor, null) then
      header = header .. "  by " .. e.actor
    end
    if not contact_id then
      header = header .. "  " .. e.contactId
    end
    if #notes > 0 then
      header = header .. "  (" .. table.concat(notes, ", ") .. ")"
    end
    lines[#lines + 1] = header
    for _, field in ipairs(present(e.changedFields, null) and e.changedFields or {}) do
      local old = show(at_path(e.before, field, null), encode, null)
      local new = show(at_path(e.after, field, null), encode, null)
      lines[#lines + 1] = string.format("    %s: %s -> %s", field, old, new)
    end
    lines[#lines + 1] = ""
  end
  return lines
end

--- The message echoed after :ContactsUndo, and whether it is an error.
function M.undo_message(contact_id, err, result)
  if err then
    local text = string.format("ContactsUndo %s: %s", contact_id, err.message or "failed")
    if err.application_code then
      text = text .. " (" .. err.application_code .. ")"
    end
    local conflicts = type(err.data) == "table" and err.data.conflicts
    if type(conflicts) == "table" and #conflicts > 0 then
      local fields = {}
      for _, c in ipairs(conflicts) do
        fields[#fields + 1] = c.field or "?"
      end
      text = text .. "; changed since: " .. table.concat(fields, ", ")
    end
    return text, true
  end
  return string.format(
    "ContactsUndo %s: undid change #%d; now revision %d (audit #%d)",
    contact_id,
    result.undid,
    result.contact.revision,
    result.auditId
  ),
    false
end

---------------------------------------------------------------------------------------------
-- Neovim side: the job, synchronous calls, the commands
---------------------------------------------------------------------------------------------

local state = { job = nil, client = nil, exit_code = nil, stderr = {} }

function M.setup(opts)
  M.config = vim.tbl_extend("force", M.config, opts or {})
end

--- Starts the gateway job if it is not running; returns the client.
function M.start()
  if state.job then
    return state.client
  end
  local cmd = M.config.cmd or os.getenv("CONTACTS_GATEWAY_BIN") or "contacts-gateway"
  local argv = { cmd }
  if M.config.db then
    vim.list_extend(argv, { "--db", M.config.db })
  end
  vim.list_extend(argv, M.config.args)
  local client = Client.new({
    send = function(line)
      vim.fn.chansend(state.job, line)
    end,
    encode = vim.json.encode,
    decode = vim.json.decode,
    null = vim.NIL,
  })
  state.stderr, state.exit_code = {}, nil
  local job = vim.fn.jobstart(argv, {
    on_stdout = function(_, data)
      client:feed(data)
    end,
    on_stderr = function(_, data)
      vim.list_extend(state.stderr, data)
    end,
    on_exit = function(_, code)
      state.exit_code = code
      if state.client == client then
        state.job, state.client = nil, nil
      end
      client:fail_all("contacts-gateway exited with code " .. code)
    end,
  })
  if job <= 0 then
    error("contacts-gateway: cannot run " .. cmd)
  end
  state.job, state.client = job, client
  return client
end

--- Calls a method and waits (at most config.timeout ms) for its response.
--- Returns `err, result`; a timeout is an error with code -32603.
function M.request_sync(method, params)
  local client = M.start()
  local done, err, result = false, nil, nil
  client:request(method, params, function(e, r)
    done, err, result = true, e, r
  end)
  if not vim.wait(M.config.timeout, function()
    return done
  end, 10) then
    return { code = -32603, message = method .. " timed out after " .. M.config.timeout .. " ms" }, nil
  end
  return err, result
end

--- Closes the gateway's stdin so it finishes and exits 0; stops it after config.timeout ms.
--- Returns the exit code.
function M.stop()
  local job = state.job
  if not job then
    return state.exit_code
  end
  vim.fn.chanclose(job, "stdin")
  local codes = vim.fn.jobwait({ job }, M.config.timeout)
  if codes[1] == -1 then
    vim.fn.jobstop(job)
    codes = vim.fn.jobwait({ job }, M.config.timeout)
  end
  -- let on_exit run before we report
  vim.wait(1000, function()
    return state.exit_code ~= nil
  end, 10)
  state.job, state.client = nil, nil
  return codes[1]
end

local function echo(text, is_error)
  vim.api.nvim_echo({ { text, is_error and "ErrorMsg" or "None" } }, true, {})
end

--- :ContactsHistory [id] — the history in a scratch buffer. Returns the buffer number.
function M.history(contact_id)
  if contact_id == "" then
    contact_id = nil
  end
  local err, result = M.request_sync("audit.history", { contactId = contact_id, limit = M.config.limit })
  if err then
    local app = err.application_code and (" (" .. err.application_code .. ")") or ""
    echo("ContactsHistory: " .. err.message .. app, true)
    return nil
  end
  local lines = M.render_history(contact_id, result.entries, vim.json.encode, vim.NIL)
  vim.cmd("new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
  vim.bo[buf].modifiable = false
  vim.bo[buf].filetype = "contactshistory"
  pcall(vim.api.nvim_buf_set_name, buf, "contacts-history://" .. (contact_id or "all"))
  return buf
end

--- :ContactsUndo {id} — undoes the latest change to the contact that is not yet undone.
--- Echoes and returns the message, and whether it is an error.
function M.undo(contact_id)
  local err, result = M.request_sync("contacts.undo", { contactId = contact_id })
  local text, is_error = M.undo_message(contact_id, err, result)
  echo(text, is_error)
  return text, is_error
end

return M
