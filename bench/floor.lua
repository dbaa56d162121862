-- The floor of the build benchmarks: convert Markdown files with the same
-- templates and options gcmreview uses, in one pandoc process.
-- Usage: pandoc lua floor.lua HTML_TEMPLATE REFERENCE_DOCX OUT_DIR LIST_FILE READER FORMATS
-- LIST_FILE names one Markdown file per line (pandoc 3.9 `pandoc lua` crashes
-- with a segmentation fault when given about a hundred arguments); READER is a
-- pandoc reader (commonmark_x, markdown); FORMATS is "html", "docx" or "html,docx".
local html_template, reference_doc, out_dir, list_file, reader, formats =
  arg[1], arg[2], arg[3], arg[4], arg[5], arg[6]
local f = assert(io.open(html_template, "rb"))
local template = pandoc.template.compile(f:read("a"), html_template)
f:close()
for path in io.lines(list_file) do
  local handle = assert(io.open(path, "rb"))
  local doc = pandoc.read(handle:read("a"), reader)
  handle:close()
  local stem = path:match("([^/]+)%.md$")
  if formats:find("html") then
    local out = assert(io.open(out_dir .. "/" .. stem .. ".html", "wb"))
    out:write(pandoc.write(doc, "html5", { template = template, table_of_contents = true,
                                           toc_depth = 2, section_divs = true }))
    out:close()
  end
  if formats:find("docx") then
    local out = assert(io.open(out_dir .. "/" .. stem .. ".docx", "wb"))
    out:write(pandoc.write(doc, "docx", { reference_doc = reference_doc }))
    out:close()
  end
end
