-- :ContactsHistory [id]  the audit history (of one contact, or of all) in a scratch buffer
-- :ContactsUndo {id}     undo the latest change to that contact and echo the result
if vim.g.loaded_contacts_gateway then
  return
end
vim.g.loaded_contacts_gateway = true

vim.api.nvim_create_user_command("ContactsHistory", function(opts)
  require("contacts_gateway").history(opts.args)
end, { nargs = "?", desc = "contacts-gateway: show a contact's change history" })

vim.api.nvim_create_user_command("ContactsUndo", function(opts)
  require("contacts_gateway").undo(opts.args)
end, { nargs = 1, desc = "contacts-gateway: undo the latest change to a contact" })

vim.api.nvim_create_autocmd("VimLeavePre", {
  group = vim.api.nvim_create_augroup("contacts_gateway", { clear = true }),
  callback = function()
    require("contacts_gateway").stop()
  end,
})
