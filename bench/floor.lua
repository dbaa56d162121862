-- The floor of the build benchmark: convert Markdown files to HTML and DOCX in
-- one pandoc process, with the same templates and options gcmreview uses.
-- Usage: pandoc lua floor.lua HTML_TEMPLATE REFERENCE_DOCX OUT_DIR LIST_FILE
-- (LIST_FILE names one Markdown file per line: pandoc 3.9 `pandoc lua` crashes
-- with a segmentation fault when given about a hundred arguments.)
local html_template, reference_doc, out_dir = arg[1], arg[2], arg[3]
local f = assert(io.open(html_template, "rb"))
local template = pandoc.template.compile(f:read("a"), html_template)
f:close()
for path in io.lines(arg[4]) do
  local handle = assert(io.open(path, "rb"))
  local doc = pandoc.read(handle:read("a"), "markdown")
  handle:close()
  local stem = path:match("([^/]+)%.md$")
  local html = pandoc.write(doc, "html5", { template = template, table_of_contents = true,
                                             toc_depth = 2, section_divs = true })
  local out = assert(io.open(out_dir .. "/" .. stem .. ".html", "wb"))
  out:write(html)
  out:close()
  out = assert(io.open(out_dir .. "/" .. stem .. ".docx", "wb"))
  out:write(pandoc.write(doc, "docx", { reference_doc = reference_doc }))
  out:close()
end
