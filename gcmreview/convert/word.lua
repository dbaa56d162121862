-- gcmreview Word reader, run as `pandoc lua word.lua` (gcmreview import).
--
-- Python writes a configuration line, then one JSON request per line on
-- stdin, and reads one JSON answer per line on stdout:
--   {"id": …, "read": "/tmp/…/form.docx"}
--     -> {"id": …, "ok": true, "blocks": [block…]}
--        the document's top-level blocks as plain data (gcmreview.model.document)
--   {"id": …, "canonical": ["Markdown", …]}
--     -> {"id": …, "ok": true, "canonical": ["Markdown", …]}
--        narratives of the review on file as an import would write them, to
--        tell an answer the focal point left alone from one they changed
--
-- The .docx was checked and rebuilt by gcmreview.load.docx before it gets
-- here; pandoc's docx reader reads only the file (no linked image, template or
-- object is fetched). Text comes back as the narrative Markdown the review
-- format allows: what that Markdown cannot hold (underline, small capitals,
-- superscript, colours) keeps its text; images are left out and counted, so
-- the import can say where.

local SCRIPT_DIR = arg[0]:match("^(.*[/\\])") or "./"
local config = pandoc.json.decode(io.read("l"), false)
local POLICY = config.policy
local READER = POLICY.reader
local WRITER = "commonmark+pipe_tables+footnotes+strikeout+task_lists"
local sanitize = dofile(SCRIPT_DIR .. "sanitize.lua")(POLICY)
local FORM_NOTE = "Form Note"

local function style(el)
  return el.t == "Div" and el.attributes["custom-style"] or nil
end

-- Formatting the narrative format has no Markdown for: its text stays. An
-- image becomes a marker, counted and removed once the Markdown is written.
local IMAGE = "GCMREVIEWIMAGE"
local keep_text = {
  Underline = function(el) return el.content end,
  SmallCaps = function(el) return el.content end,
  Superscript = function(el) return el.content end,
  Subscript = function(el) return el.content end,
  Span = function(el) return el.content end,
  Image = function(_) return pandoc.Str(IMAGE) end,
  Math = function(el) return pandoc.Str(el.text) end,
  RawInline = function(el) return pandoc.Str(el.text) end,
  RawBlock = function(el) return pandoc.CodeBlock(el.text) end,
  Div = function(el) return el.content end,
  -- Word puts a space between the note's number and its text (the number is an
  -- empty "Footnote Reference" span by then, and the paragraph in a styled div).
  Note = function(el)
    local first = el.content[1]
    while first and first.t == "Div" and #first.content > 0 do first = first.content[1] end
    if first and (first.t == "Para" or first.t == "Plain") then
      while first.content[1] and (first.content[1].t == "Space"
          or (first.content[1].t == "Span" and #first.content[1].content == 0)) do
        first.content:remove(1)
      end
    end
    return el
  end,
}

-- A table inside an answer becomes a Markdown (pipe) table, whose cells hold
-- one line: paragraphs and lists in a cell are joined into it.
local function one_line(cell)
  local inlines = pandoc.Inlines({})
  for _, block in ipairs(cell.contents) do
    local text = pandoc.utils.stringify(block)
    if text ~= "" then
      if #inlines > 0 then inlines:insert(pandoc.Space()) end
      if block.t == "Para" or block.t == "Plain" then
        inlines:extend(block.content)
      else
        inlines:insert(pandoc.Str(text))
      end
    end
  end
  cell.contents = { pandoc.Plain(inlines) }
  return cell
end

-- A header cell is bold by itself: LibreOffice writes that boldness into the text.
local function unbold(cell)
  local first = cell.contents[1]
  if #cell.contents == 1 and first.t == "Plain" and #first.content == 1
      and first.content[1].t == "Strong" then
    first.content = first.content[1].content
  end
  return cell
end

-- LibreOffice numbers the first item of a list apart from the others (another
-- w:numId): Word shows one list, pandoc reads two. Adjacent lists of the same
-- kind are one list.
local function same_kind(a, b)
  if a.t ~= b.t then return false end
  if a.t == "BulletList" then return true end
  return a.listAttributes.style == b.listAttributes.style
    and a.listAttributes.delimiter == b.listAttributes.delimiter
end

local function join_lists(blocks)
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    local last = out[#out]
    if last and (block.t == "BulletList" or block.t == "OrderedList") and same_kind(last, block) then
      last.content:extend(block.content)
    else
      out:insert(block)
    end
  end
  return out
end

-- A list whose items are one paragraph each is a tight list: Word has no such
-- distinction, and items typed in Word come back as paragraphs.
local function tight(list)
  for _, item in ipairs(list.content) do
    if #item ~= 1 or item[1].t ~= "Para" then return nil end
  end
  for _, item in ipairs(list.content) do item[1] = pandoc.Plain(item[1].content) end
  return list
end

-- One walk does it all (each walk marshals the whole document: a second one
-- cost a fifth of the import's time).
local normalise = {
  Blocks = join_lists,
  BulletList = tight,
  OrderedList = tight,
  Table = function(tbl)
    tbl.attr = pandoc.Attr()
    -- Alignment and widths are the word processor's (LibreOffice sets both on
    -- every cell); a Markdown table leaves them to the report.
    for i, _ in ipairs(tbl.colspecs) do tbl.colspecs[i] = { "AlignDefault", "ColWidthDefault" } end
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        for i, cell in ipairs(row.cells) do row.cells[i] = one_line(cell) end
      end
    end
    for _, row in ipairs(tbl.head.rows) do
      for i, cell in ipairs(row.cells) do row.cells[i] = unbold(one_line(cell)) end
    end
    return tbl
  end,
}
for element, action in pairs(keep_text) do normalise[element] = action end

-- Footnotes are written after the block that calls them ("end-of-block"), so
-- a piece of a joined write keeps its own; their labels are then renumbered
-- from 1 in each piece, as a piece written alone would have them.
local WRITE_OPTIONS = { wrap_text = "wrap-none", reference_location = "end-of-block" }

local function renumber(text)
  local labels, next_label = {}, 0
  return (text:gsub("%[%^(%d+)%]", function(label)
    if labels[label] == nil then
      next_label = next_label + 1
      labels[label] = tostring(next_label)
    end
    return "[^" .. labels[label] .. "]"
  end))
end

-- Many pieces of Markdown in one write (a write each costs more than the
-- reading of the document): joined with marker paragraphs, cut apart after.
local MARK = "GCMREVIEWPIECE"

local function markdown_pieces(units)
  local blocks = pandoc.Blocks({})
  for i, unit in ipairs(units) do
    blocks:extend(unit)
    blocks:insert(pandoc.Para({ pandoc.Str(MARK .. i) }))
  end
  local doc = pandoc.Pandoc(blocks):walk(normalise)
  local text = pandoc.write(doc, WRITER, WRITE_OPTIONS)
  local pieces, images, from = {}, {}, 1
  for i = 1, #units do
    local mark = "\n" .. MARK .. i .. "\n"
    local at = text:find(mark, from - 1, true)
    if at == nil then error("lost the end of piece " .. i) end
    local piece = text:sub(from, at)
    local count
    piece, count = piece:gsub(IMAGE, "")
    images[i] = count
    pieces[i] = renumber((piece:gsub("^%s+", ""):gsub("%s+$", "")))
    from = at + #mark
  end
  return pieces, images
end

-- Plain text of each paragraph or list item, the form's own notes left out.
local function lines_of(blocks, out)
  for _, block in ipairs(blocks) do
    if block.t == "Div" then
      if style(block) ~= FORM_NOTE then lines_of(block.content, out) end
    elseif block.t == "BulletList" or block.t == "OrderedList" then
      for _, item in ipairs(block.content) do lines_of(item, out) end
    elseif block.t == "Table" then
      out[#out + 1] = pandoc.utils.stringify(block)
    else
      local text = pandoc.utils.stringify(block)
      if text:match("%S") then out[#out + 1] = text end
    end
  end
  return out
end

local function without_notes(blocks)
  local kept = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    if style(block) ~= FORM_NOTE then kept:insert(block) end
  end
  return kept
end

local function is_bold(para)
  local strong = false
  for _, el in ipairs(para.content) do
    if el.t == "Strong" then
      strong = true
    elseif el.t ~= "Space" and el.t ~= "SoftBreak" and el.t ~= "LineBreak" then
      return false
    end
  end
  return strong
end

-- Top-level blocks, with the divs that carry a paragraph style ("Body Text",
-- "Compact"…) opened: only the form's own notes keep theirs.
local function flatten(blocks, custom, out)
  for _, block in ipairs(blocks) do
    local name = style(block)
    if block.t == "Div" and name ~= FORM_NOTE then
      flatten(block.content, name, out)
    elseif block.t == "Div" then
      for _, inner in ipairs(block.content) do out[#out + 1] = { inner, FORM_NOTE } end
    else
      out[#out + 1] = { block, custom }
    end
  end
  return out
end

-- The document as plain data; `units` collects the pieces to write as Markdown
-- and `fill` puts each piece back where it belongs.
local function describe(block, index, custom, units, fill)
  local out = { index = index, level = 0, bold = false, rows = {}, header_rows = 0,
                style = custom == FORM_NOTE and FORM_NOTE or "", images = 0,
                text = "", markdown = "" }
  local function later(target, blocks)
    units[#units + 1] = blocks
    fill[#fill + 1] = target
  end
  if block.t == "Header" then
    out.kind, out.level = "heading", block.level
    out.text = pandoc.utils.stringify(block)
    return out
  end
  if block.t == "Table" then
    out.kind = "table"
    local function add_row(row)
      local cells = {}
      for _, cell in ipairs(row.cells) do
        local blocks = without_notes(cell.contents)
        local lines = lines_of(blocks, {})
        local data = { text = table.concat(lines, "\n"), lines = lines, markdown = "",
                       images = 0 }
        later(data, blocks)
        cells[#cells + 1] = data
      end
      out.rows[#out.rows + 1] = cells
    end
    for _, row in ipairs(block.head.rows) do
      add_row(row)
      out.header_rows = out.header_rows + 1
    end
    for _, body in ipairs(block.bodies) do
      for _, row in ipairs(body.body) do add_row(row) end
    end
    later(out, { block }) -- a table in a free-form review is text too
    return out
  end
  if block.t == "Para" or block.t == "Plain" then
    out.kind, out.bold = "paragraph", is_bold(block)
  elseif block.t == "BulletList" or block.t == "OrderedList" then
    out.kind = "list"
  else
    out.kind = "other"
  end
  out.text = table.concat(lines_of({ block }, {}), "\n")
  later(out, { block })
  return out
end

local function read(path)
  local f = assert(io.open(path, "rb"))
  local bytes = f:read("a")
  f:close()
  local doc = pandoc.read(bytes, "docx+styles")
  local blocks, units, fill = {}, {}, {}
  for i, item in ipairs(flatten(doc.blocks, nil, {})) do
    blocks[i] = describe(item[1], i, item[2], units, fill)
  end
  local pieces, images = markdown_pieces(units)
  for i, target in ipairs(fill) do
    target.markdown = pieces[i]
    target.images = images[i]
  end
  return blocks
end

local function canonical(texts)
  local units = {}
  for i, text in ipairs(texts) do
    units[i] = pandoc.read(text, READER):walk(sanitize).blocks
  end
  return (markdown_pieces(units))
end

for line in io.lines() do
  if line ~= "" then
    local request = pandoc.json.decode(line, false)
    local answer = { id = request.id }
    local ok, result = pcall(function()
      if request.read then return { blocks = read(request.read) } end
      return { canonical = canonical(request.canonical) }
    end)
    answer.ok = ok
    if ok then
      for k, v in pairs(result) do answer[k] = v end
    else
      answer.error = tostring(result)
    end
    io.stdout:write(pandoc.json.encode(answer), "\n")
    io.stdout:flush()
  end
end
