-- gcmreview batch converter, run as `pandoc lua batch.lua`.
--
-- One pandoc process converts many documents: Python writes one JSON job per
-- line on stdin and reads one JSON answer per line on stdout. A fresh pandoc
-- process per output costs about four times as much (docs/toolchain notes §2).
--
-- Each job carries the report skeleton (Markdown rendered by Jinja from trusted
-- templates, every data value escaped) and the narratives (untrusted Markdown
-- from country files). Each narrative is parsed on its own, sanitised, and
-- spliced into its placeholder div, so a narrative can neither break out of its
-- place (an unclosed code fence, a heading) nor inject markup. Nothing here reads files named by the data: pandoc.write does
-- not fetch images (the CLI's media-bag filling does, and we never call it),
-- and the sanitiser drops images anyway.

-- Readers: the CommonMark family reads these documents 1.5-2.5x faster than
-- pandoc's own markdown reader (measured on 50 KB reviews).
-- The skeleton needs divs (narrative placeholders), attributes (heading ids,
-- language spans) and pipe tables; it holds only escaped data.
local SKELETON_FORMAT = "commonmark+pipe_tables+fenced_divs+bracketed_spans+attributes"

-- Narratives: CommonMark with GitHub's tables, footnotes, strikeout, task lists
-- and bare links. CommonMark always recognises raw HTML; the sanitiser below
-- turns it back into the text that was typed, as it does for everything else a
-- narrative may not contain.
local NARRATIVE_FORMAT =
  "commonmark+pipe_tables+footnotes+strikeout+task_lists+autolink_bare_uris"

local SAFE_URL = { "^https?://", "^mailto:" }

local function safe_url(target)
  local lowered = target:lower():gsub("%s", "")
  for _, pattern in ipairs(SAFE_URL) do
    if lowered:match(pattern) then return true end
  end
  return false
end

local NO_ATTR = pandoc.Attr()

local function plain_code_attr(el)
  -- Keep a simple language class for code blocks, drop ids and attributes.
  local class = el.attr.classes[1]
  el.attr = (class and class:match("^[%w_+-]+$")) and pandoc.Attr("", { class }) or NO_ATTR
  return el
end

-- What a narrative may contain: text, emphasis, lists, tables, quotes, code,
-- footnotes and web or mail links. Everything else becomes visible, inert text.
local sanitize = {
  RawBlock = function(el) return pandoc.CodeBlock(el.text) end,
  RawInline = function(el) return pandoc.Str(el.text) end,
  Math = function(el)
    local fence = el.mathtype == "DisplayMath" and "$$" or "$"
    return pandoc.Str(fence .. el.text .. fence)
  end,
  Cite = function(el) return el.content end,
  Image = function(el)
    local alt = pandoc.utils.stringify(el.caption)
    if alt == "" then alt = "image" end
    return pandoc.Emph({ pandoc.Str("[" .. alt .. "]") })
  end,
  Figure = function(el) return el.content end,
  Link = function(el)
    if not safe_url(el.target) then return el.content end
    el.attr = NO_ATTR
    return el
  end,
  Div = function(el) return el.content end,
  Span = function(el) return el.content end,
  Header = function(el) return pandoc.Para({ pandoc.Strong(el.content) }) end,
  Code = plain_code_attr,
  CodeBlock = plain_code_attr,
  Table = function(el) el.attr = NO_ATTR return el end,
}

local function read_narrative(text)
  -- No sandbox argument: the markdown reader reads no file, and a sandboxed
  -- read costs 40 % more (measured).
  return pandoc.read(text, NARRATIVE_FORMAT):walk(sanitize).blocks
end

-- Reading a document's narratives in one pandoc.read is about 3x faster than a
-- read each. They are joined with marker paragraphs; the split is accepted only
-- if every marker comes back as a top-level paragraph, in order. A narrative
-- that could swallow its neighbours (an unclosed code fence, say) breaks that,
-- and the document's narratives are then read one by one.
local MARK = "GCMREVIEWNARRATIVEEND"

local function split_at_marks(blocks, count)
  local out, current, expect = {}, pandoc.Blocks({}), 1
  for _, block in ipairs(blocks) do
    local content = block.t == "Para" and block.content
    if content and #content == 1 and content[1].t == "Str"
        and content[1].text == MARK .. expect then
      out[expect] = current
      current, expect = pandoc.Blocks({}), expect + 1
    else
      current:insert(block)
    end
  end
  if expect ~= count + 1 or #current > 0 then return nil end
  return out
end

-- Definitions are shared by a whole read: a footnote or link reference defined
-- in one narrative would serve another. Narratives that define any are read
-- on their own.
local function defines_labels(text)
  return text:find("[^", 1, true) or text:find("^ ? ? ?%[[^%]]+%]:")
    or text:find("\n ? ? ?%[[^%]]+%]:")
end

local function count_marks(doc)
  -- stringify runs in pandoc itself: much cheaper than a Lua walk over every Str.
  local _, count = pandoc.utils.stringify(doc):gsub(MARK, "")
  return count
end

local function read_joined(refs, narratives)
  local parts = {}
  for i, ref in ipairs(refs) do
    local text = narratives[ref].text
    if text:find(MARK, 1, true) or defines_labels(text) then return nil end
    parts[#parts + 1] = text
    parts[#parts + 1] = "\n\n\n" .. MARK .. i .. "\n\n\n"
  end
  local doc = pandoc.read(table.concat(parts), NARRATIVE_FORMAT)
  -- Check the structure before sanitising: unwrapping a div could otherwise
  -- lift a swallowed marker back to the top level. Counting every marker also
  -- catches one spelt with an entity (&#69;) that the reader decoded.
  if count_marks(doc) ~= #refs or split_at_marks(doc.blocks, #refs) == nil then
    return nil
  end
  local chunks = split_at_marks(doc:walk(sanitize).blocks, #refs)
  local out = {}
  for i, ref in ipairs(refs) do out[ref] = chunks[i] end
  return out
end

local function read_narratives(narratives)
  local refs = {}
  for ref in pairs(narratives) do refs[#refs + 1] = ref end
  table.sort(refs)
  local blocks = read_joined(refs, narratives)
  if blocks == nil then
    blocks = {}
    for _, ref in ipairs(refs) do blocks[ref] = read_narrative(narratives[ref].text) end
  end
  return blocks
end

local function splice(doc, narratives)
  local blocks = read_narratives(narratives)
  return doc:walk({
    Div = function(div)
      if not div.classes:includes("narrative") then return nil end
      local ref = div.attributes["ref"]
      local item = narratives[ref]
      if item == nil then error("unknown narrative reference " .. tostring(ref)) end
      div.attributes["ref"] = nil
      div.attributes["lang"] = item.lang
      div.attributes["dir"] = item.dir
      div.content = blocks[ref]
      return div
    end,
  })
end

local function tagged_inlines(value)
  -- {text, lang, dir}: text in another language than the report's.
  if type(value) == "table" then
    local attr = pandoc.Attr("", {}, { { "lang", value.lang }, { "dir", value.dir } })
    return { pandoc.Span(pandoc.Inlines(value.text), attr) }
  end
  return pandoc.Inlines(value)
end

local function to_meta(value)
  if type(value) == "table" and value.text ~= nil and value.lang ~= nil then
    return pandoc.MetaInlines(tagged_inlines(value))
  end
  if type(value) == "table" then
    if #value > 0 then
      local list = {}
      for i, v in ipairs(value) do list[i] = to_meta(v) end
      return list
    end
    local map = {}
    for k, v in pairs(value) do map[k] = to_meta(v) end
    return map
  end
  if type(value) == "boolean" then return value end
  return pandoc.MetaString(tostring(value))
end

local templates = {}
local function template(path, format)
  local key = format .. ":" .. path
  if templates[key] == nil then
    local f = assert(io.open(path, "rb"))
    local text = f:read("a")
    f:close()
    templates[key] = pandoc.template.compile(text, path)
  end
  return templates[key]
end

-- Figure placeholders become the image each format can carry: for HTML a
-- marker that Python replaces with the SVG as a data URI after writing (a
-- megabyte-long URI costs pandoc's HTML writer hundreds of megabytes), a PNG in
-- the DOCX, the SVG for typst (copied into its compile root), the text
-- alternative alone in Markdown.
local function with_figures(doc, format, figures)
  return doc:walk({
    Div = function(div)
      if not div.classes:includes("figure") then return nil end
      local name = div.attributes["name"]
      local figure = figures[name]
      local alt = pandoc.utils.stringify(div.content)
      if figure == nil or format == "md" then return div.content end
      local src
      if format == "html" then
        src = "gcmreview-figure:" .. name
      elseif format == "docx" then
        local f = assert(io.open(figure.png, "rb"))
        pandoc.mediabag.insert(name .. ".png", "image/png", f:read("a"))
        f:close()
        src = name .. ".png"
      else
        src = name .. ".svg"
      end
      local attr = pandoc.Attr("", {}, { { "width", figure.width } })
      return pandoc.Para({ pandoc.Image(pandoc.Inlines(alt), src, "", attr) })
    end,
  })
end

-- Word gives every column of a table without widths the same share, which
-- squeezes the names column of a wide matrix to a letter per line: give wide
-- tables (coverage matrices) a first column of a fifth of the page.
local docx_widths = {
  Table = function(tbl)
    local n = #tbl.colspecs
    if n < 8 then return nil end
    for i, spec in ipairs(tbl.colspecs) do
      tbl.colspecs[i] = { spec[1], i == 1 and 0.2 or 0.8 / (n - 1) }
    end
    return tbl
  end,
}

local function write_file(path, content)
  local f = assert(io.open(path, "wb"))
  f:write(content)
  f:close()
end

local PAGE_BREAK = pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

-- The cover facts (status, date, institution...) as paragraphs, for the formats
-- whose template cannot lay them out (DOCX, Markdown). Built as inlines, never
-- parsed, so data cannot turn into markup here either.
local function fact_blocks(meta)
  local blocks = pandoc.Blocks({})
  for _, fact in ipairs(meta.facts or {}) do
    local inlines = pandoc.Inlines({ pandoc.Strong(pandoc.Inlines(fact.label)), pandoc.Str(":"),
                                     pandoc.Space() })
    inlines:extend(tagged_inlines(fact.value))
    blocks:insert(pandoc.Para(inlines))
  end
  return blocks
end

local function convert(job)
  pandoc.mediabag.empty() -- nothing from an earlier document may end up in this one
  local doc = pandoc.read(job.markdown, SKELETON_FORMAT)
  doc = splice(doc, job.narratives)
  local figures = job.figures or {}
  for k, v in pairs(job.meta) do doc.meta[k] = to_meta(v) end
  local outputs = job.outputs
  if outputs.html then
    write_file(outputs.html, pandoc.write(with_figures(doc, "html", figures), "html5", {
      template = template(job.templates.html, "html"),
      table_of_contents = true,
      toc_depth = 2,
      section_divs = true,
    }))
  end
  if outputs.md then
    local cover = pandoc.Blocks({ pandoc.Header(1, pandoc.Inlines(job.meta.title)),
                                  pandoc.Para({ pandoc.Emph(pandoc.Inlines(job.meta.subtitle)) }) })
    cover:extend(fact_blocks(job.meta))
    cover:extend(with_figures(doc, "md", figures).blocks)
    local md_doc = pandoc.Pandoc(cover, doc.meta)
    local md_format = "markdown-smart-simple_tables-multiline_tables-grid_tables"
    write_file(outputs.md, pandoc.write(md_doc, md_format, { wrap_text = "wrap-none" }))
  end
  if outputs.typst then
    write_file(outputs.typst, pandoc.write(with_figures(doc, "typst", figures), "typst", {
      template = template(job.templates.typst, "typst"),
      wrap_text = "wrap-none", -- a wrapped font name is a different font name
      table_of_contents = true,
      toc_depth = 2,
    }))
  end
  if outputs.docx then
    -- Trusted page break after the cover, added after sanitising.
    local blocks = fact_blocks(job.meta)
    blocks:insert(PAGE_BREAK)
    blocks:extend(with_figures(doc, "docx", figures):walk(docx_widths).blocks)
    local docx_doc = pandoc.Pandoc(blocks, doc.meta)
    write_file(outputs.docx, pandoc.write(docx_doc, "docx", {
      reference_doc = job.reference_doc,
    }))
  end
end

for line in io.lines() do
  if line ~= "" then
    local job = pandoc.json.decode(line, false)
    local ok, err = pcall(convert, job)
    local answer = { id = job.id, ok = ok }
    if not ok then answer.error = tostring(err) end
    io.stdout:write(pandoc.json.encode(answer), "\n")
    io.stdout:flush()
  end
end
