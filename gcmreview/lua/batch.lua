-- gcmreview batch converter, run as `pandoc lua batch.lua`.
--
-- One pandoc process converts many documents: Python writes one JSON job per
-- line on stdin and reads one JSON answer per line on stdout. A fresh pandoc
-- process per output costs about four times as much (docs/toolchain notes §2).
--
-- Each job carries the report skeleton (Markdown rendered by Jinja from trusted
-- templates, every data value escaped) and the narratives (untrusted Markdown
-- from country files). Narratives are parsed on their own with a restricted
-- reader, sanitised, and spliced into their placeholder divs, so a narrative
-- can neither break out of its place (an unclosed code fence, a heading) nor
-- inject markup. Nothing here reads files named by the data: pandoc.write does
-- not fetch images (the CLI's media-bag filling does, and we never call it),
-- and the sanitiser drops images anyway.

local SKELETON_FORMAT = table.concat({
  "markdown",
  "-raw_html", "-raw_attribute", "-raw_tex", "-tex_math_dollars", "-citations",
  "-yaml_metadata_block", "-pandoc_title_block", "-implicit_figures",
}, "")

local NARRATIVE_FORMAT = table.concat({
  "markdown",
  "-raw_html", "-raw_attribute", "-raw_tex", "-latex_macros", "-tex_math_dollars",
  "-tex_math_single_backslash", "-citations", "-yaml_metadata_block",
  "-pandoc_title_block", "-native_divs", "-native_spans", "-fenced_divs",
  "-bracketed_spans", "-link_attributes", "-header_attributes", "-inline_code_attributes",
  "-fenced_code_attributes", "-implicit_figures", "-auto_identifiers",
}, "")

local SAFE_URL = { "^https?://", "^mailto:", "^#" }

local function safe_url(target)
  local lowered = target:lower():gsub("%s", "")
  for _, pattern in ipairs(SAFE_URL) do
    if lowered:match(pattern) then return true end
  end
  return false
end

local function strip_attributes(el)
  if el.attr then
    -- A list of pairs, not a Lua table: attribute order must stay stable.
    local kept = pandoc.List()
    for k, v in pairs(el.attr.attributes) do
      local key = k:lower()
      if not (key:match("^on") or key == "style" or key == "srcdoc" or key == "src"
              or key == "href") then
        kept:insert({ k, v })
      end
    end
    el.attr.attributes = kept
  end
  return el
end

-- Applied to the narratives and, as defence in depth, to the whole document.
local sanitize = {
  RawBlock = function(el) return pandoc.CodeBlock(el.text) end,
  RawInline = function(el) return pandoc.Code(el.text) end,
  Image = function(el)
    local alt = pandoc.utils.stringify(el.caption)
    if alt == "" then alt = "image" end
    return pandoc.Emph({ pandoc.Str("[" .. alt .. "]") })
  end,
  Link = function(el)
    if not safe_url(el.target) then return el.content end
    return strip_attributes(el)
  end,
  Div = strip_attributes,
  Span = strip_attributes,
  Header = strip_attributes,
  Code = strip_attributes,
  CodeBlock = strip_attributes,
  Table = strip_attributes,
}

-- Narrative headings would leak into the table of contents: make them bold lines.
local flatten_headings = {
  Header = function(el) return pandoc.Para({ pandoc.Strong(el.content) }) end,
}

local function read_narrative(text)
  local doc = pandoc.read(text, NARRATIVE_FORMAT, {}, {})
  doc = doc:walk(sanitize):walk(flatten_headings)
  return doc.blocks
end

local function splice(doc, narratives)
  return doc:walk({
    Div = function(div)
      if not div.classes:includes("narrative") then return nil end
      local ref = div.attributes["ref"]
      local item = narratives[ref]
      if item == nil then error("unknown narrative reference " .. tostring(ref)) end
      div.attributes["ref"] = nil
      div.attributes["lang"] = item.lang
      div.attributes["dir"] = item.dir
      div.content = read_narrative(item.text)
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
  local doc = pandoc.read(job.markdown, SKELETON_FORMAT)
  doc = splice(doc, job.narratives)
  doc = doc:walk(sanitize)
  for k, v in pairs(job.meta) do doc.meta[k] = to_meta(v) end
  local outputs = job.outputs
  if outputs.html then
    write_file(outputs.html, pandoc.write(doc, "html5", {
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
    cover:extend(doc.blocks)
    local md_doc = pandoc.Pandoc(cover, doc.meta)
    write_file(outputs.md, pandoc.write(md_doc, "markdown-simple_tables-multiline_tables-grid_tables",
                                        { wrap_text = "wrap-none" }))
  end
  if outputs.typst then
    write_file(outputs.typst, pandoc.write(doc, "typst", {
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
    blocks:extend(doc.blocks)
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
