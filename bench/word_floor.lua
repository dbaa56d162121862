-- The floor of the Word benchmark: pandoc's own docx -> Markdown conversion of
-- the same files, in one pandoc process.
-- Usage: pandoc lua word_floor.lua LIST_FILE OUT_DIR
-- LIST_FILE names one .docx file per line.
local list_file, out_dir = arg[1], arg[2]
for path in io.lines(list_file) do
  local handle = assert(io.open(path, "rb"))
  local doc = pandoc.read(handle:read("a"), "docx")
  handle:close()
  local stem = path:match("([^/]+)%.docx$")
  local out = assert(io.open(out_dir .. "/" .. stem .. ".md", "wb"))
  out:write(pandoc.write(doc, "commonmark+pipe_tables+footnotes+strikeout+task_lists",
                         { wrap_text = "wrap-none" }))
  out:close()
end
