-- gcmreview batch converter, run as `pandoc lua batch.lua`.
--
-- One pandoc process converts many documents: Python writes a configuration
-- line, then one JSON job per line on stdin, and reads one JSON answer per line
-- on stdout. A fresh pandoc process per output costs about four times as much.
--
-- Each job carries the report skeleton (Markdown rendered by Jinja from trusted
-- templates, every data value escaped) and the narratives it quotes (untrusted
-- Markdown from country files), each keyed by the hash of its text. A narrative
-- is parsed on its own, sanitised, and spliced into its placeholder div, so it
-- can neither break out of its place (an unclosed code fence, a heading) nor
-- inject markup. Nothing here reads files named by the data: pandoc.write does
-- not fetch images (the CLI's media-bag filling does, and we never call it),
-- and the sanitiser drops images anyway.
--
-- Narratives are parsed once per build: the blocks of each are written to the
-- cache folder as pandoc JSON, and every later document that quotes the
-- narrative (the regional report quotes every State's) reads them back, three
-- times faster than parsing. Python says where each cached narrative is, and
-- whether this build wrote it; one found from an earlier build is sanitised
-- again when read ("verify"), as anything on disk may have been changed.

-- Readers: the CommonMark family reads these documents 1.5-2.5x faster than
-- pandoc's own markdown reader (measured on 50 KB reviews).
-- The skeleton needs divs (narrative placeholders), attributes (heading ids,
-- language spans) and pipe tables; it holds only escaped data.
local SKELETON_FORMAT = "commonmark+pipe_tables+fenced_divs+bracketed_spans+attributes"

local config = pandoc.json.decode(io.read("l"), false)
-- What a narrative may contain is defined in gcmreview/core/narrative.py and
-- arrives here as {actions = {element type = action}, safe_schemes, reader,
-- plain_reader, plain_unless}.
local POLICY = config.policy
local NARRATIVE_FORMAT = POLICY.reader
-- The same reader without the extensions a text can use only through a few characters
-- (gcmreview/core/narrative.py PLAIN_READER): the same document from such a text, faster.
local PLAIN_FORMAT = POLICY.plain_reader

local function reads_plain(text)
  for _, needed in ipairs(POLICY.plain_unless) do
    if text:find(needed, 1, true) then return false end
  end
  return true
end

local CACHE_DIR = config.cache_dir

local SCRIPT_DIR = arg[0]:match("^(.*[/\\])") or "./"
local sanitize = dofile(SCRIPT_DIR .. "sanitize.lua")(POLICY)
-- Paragraph numbers and source notes: set on each document (apparatus.lua).
local apparatus = dofile(SCRIPT_DIR .. "apparatus.lua")

-- Reading many narratives in one pandoc.read is about 3x faster than a read
-- each. They are joined with markers, HTML comments that the reader keeps as
-- raw blocks, verbatim; the split is accepted only if every marker comes back
-- as a top-level block, in order. A narrative that could swallow its
-- neighbours (an unclosed code fence or comment, say) breaks that; the group is
-- then halved until the culprit is read on its own. A narrative can make a
-- marker only by holding its text, and such a narrative is read alone.
--
-- Only the type of each top-level block, and the text of raw and code blocks,
-- are looked at: reading a paragraph's content from Lua would copy it into Lua
-- objects, and pandoc then copies them back when the blocks are spliced into
-- the report (measured: a third of a second per 1,000 narratives).
local MARK = "GCMREVIEWNARRATIVEEND"

local function marker(i) return "<!--" .. MARK .. i .. "-->" end

-- `kind`: "RawBlock" before sanitising, "CodeBlock" after (the sanitiser shows
-- raw markup as the text that was typed). The reader keeps the line's newline.
local function split_at_marks(blocks, count, kind)
  local out, current, expect = {}, pandoc.Blocks({}), 1
  for _, block in ipairs(blocks) do
    if block.t == kind and block.text == marker(expect) .. "\n" then
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
-- in one narrative would serve another. Narratives that may define any are read
-- on their own.
local function reads_alone(text)
  -- Any `]:`, not only at a line's start: a definition may sit in a quote or a list item.
  return text:find(MARK, 1, true) or text:find("[^", 1, true) or text:find("]:", 1, true)
end

-- Footnotes are matched by their labels, and nearly every text numbers its own from
-- [^1]: read together, one text's references would find another's definitions. Each
-- text's labels are therefore made its own (every `[^` becomes `[^` and a prefix unique
-- to the text in the read): the references find only their own definitions, as when the
-- text is read alone, and a label leaves no trace in what pandoc reads (a note is placed
-- where it is referenced). Every `[^` must then have been a reference or a definition:
-- one that was not (in code, in a link, a reference without a definition) keeps the
-- prefix in the text, which the JSON of the read shows; that text is read alone
-- (`read_group`). Texts with another definition (a link's `[x]: url`) are read alone.
local NOTE_LABEL = "GCMREVIEWNOTE"

local function note_prefix(i) return NOTE_LABEL .. i .. "Z" end
-- A note's label, as a reference (`[^1]`) or, followed by a colon, a definition: ASCII
-- letters, digits, `-` and `_` only. pandoc matches labels case-folded, and with Unicode
-- spaces trimmed and collapsed: a label starting with a no-break space matches another
-- alone, and no longer with the prefix before it, and then a text whose two definitions
-- match the same label alone (the first wins) would show the other note, the first being
-- dropped without a trace. With these characters alone, a label matches another with
-- the prefix exactly when it does without.
local NOTE_REFERENCE = "%[%^[0-9A-Za-z_%-]+%]"

local function notes_are_its_own_definitions(text)
  if not text:find("[^", 1, true) or text:find(MARK, 1, true)
      or text:lower():find(NOTE_LABEL:lower(), 1, true) then
    return false
  end
  -- Every `[^` opens such a label (an empty one is no label, but would be one with the
  -- prefix), and every `]:` closes a note's.
  if text:gsub(NOTE_REFERENCE, ""):find("[^", 1, true) then return false end
  return not text:gsub(NOTE_REFERENCE .. ":", ""):find("]:", 1, true)
end

local function with_own_labels(item, i)
  return { key = item.key, text = (item.text:gsub("%[%^", "[^" .. note_prefix(i))),
           original = item.text, prefix = note_prefix(i) }
end

local reads = 0 -- Markdown reads of narratives for the current job
local walks = 0 -- and how many of them the sanitiser walked

local function read_alone(text)
  -- No sandbox argument: the markdown reader reads no file, and a sandboxed
  -- read costs 40 % more (measured).
  reads, walks = reads + 1, walks + 1
  -- The final newline, as in a joined read: without it a pipe table's last row is
  -- read as a paragraph.
  return pandoc.read(text .. "\n", NARRATIVE_FORMAT):walk(sanitize).blocks
end

local write_cache, write_cache_json -- defined below, with the cache

-- The markers as pandoc writes them in JSON: read (a raw block), and sanitised (shown as
-- the text that was typed: a code block).
local function raw_marker_json(i)
  return '{"t":"RawBlock","c":["html","' .. marker(i) .. '\\n"]}'
end
local function code_marker_json(i)
  return '{"t":"CodeBlock","c":[["",[],[]],"' .. marker(i) .. '\\n"]}'
end

-- Whether a text may hold what the sanitiser acts on, by its characters: raw HTML and
-- autolinks (<), links, images and task boxes ([, !), code (`, ~), headings (#), tables
-- (|). A guess that only chooses the groups: what is skipped is decided on the JSON
-- below. (A heading underlined with = or -, or code indented, is found there.)
local function may_need_sanitising(text)
  return text:find("[<%[!`#|~]") ~= nil
end

-- Whether the pandoc JSON of a joined read holds none of the elements the sanitiser acts
-- on (POLICY.actions), the `markers` raw blocks apart: then sanitising it would change
-- nothing. pandoc's JSON writes each element's type as "t":"Type"; a text holding those
-- characters is written with its quotes escaped, so it cannot pass for one.
local ELEMENTS = {}
for name in ([[BlockQuote BulletList CodeBlock DefinitionList Div Figure Header HorizontalRule
    LineBlock OrderedList Para Plain RawBlock Table Cite Code Emph Image LineBreak Link Math
    Note Quoted RawInline SmallCaps SoftBreak Space Span Str Strikeout Strong Subscript
    Superscript Underline]]):gmatch("%S+") do ELEMENTS[name] = true end
-- Whether the policy names element types only (what pandoc's JSON shows as "t"): a filter
-- on anything else (Inlines, Blocks, Meta) would act where the JSON shows nothing, and
-- then no read is spared the walk.
local POLICY_SHOWN_IN_JSON = true
for element in pairs(POLICY.actions) do
  if not ELEMENTS[element] then POLICY_SHOWN_IN_JSON = false end
end

local function nothing_to_sanitise(json, markers)
  if not POLICY_SHOWN_IN_JSON then return false end
  for element in pairs(POLICY.actions) do
    if element ~= "RawBlock" and json:find('"t":"' .. element .. '"', 1, true) then
      return false
    end
  end
  local _, raw = json:gsub('"t":"RawBlock"', "")
  return raw == markers
end

-- Fills `out` (key -> sanitised blocks) for the narratives `items` ({key, text}),
-- read with `format`, and caches them. `plain`: none of them may need sanitising (by
-- `may_need_sanitising`).
local function read_group(items, out, format, plain)
  if #items == 1 then
    out[items[1].key] = read_alone(items[1].original or items[1].text)
    write_cache(items[1].key, out[items[1].key])
    return
  end
  local parts = {}
  for i, item in ipairs(items) do
    parts[#parts + 1] = item.text
    parts[#parts + 1] = "\n\n\n" .. marker(i) .. "\n\n\n"
  end
  reads = reads + 1
  local doc = pandoc.read(table.concat(parts), format)
  -- Check the structure before sanitising: unwrapping a div could otherwise
  -- lift a swallowed marker back to the top level.
  local read = split_at_marks(doc.blocks, #items, "RawBlock")
  if read ~= nil then
    -- Texts of words, lists and emphasis only (most of them): the walk, a copy of every
    -- element through Lua and back, would change nothing (measured on the bench's first
    -- build: 1.4 s of pandoc's time for all narratives). Their JSON, written for the cache
    -- anyway, says so for sure.
    local json = (plain or items[1].prefix) and pandoc.write(doc, "json")
    -- Texts whose note labels were made their own (`with_own_labels`): a prefix left in
    -- the read marks a `[^` that was not a note's; that text is read alone.
    if items[1].prefix then
      local own, leaked = {}, {}
      for _, item in ipairs(items) do
        table.insert(json:find(item.prefix, 1, true) and leaked or own, item)
      end
      if #leaked > 0 then
        for _, item in ipairs(leaked) do read_group({ item }, out, format, plain) end
        if #own > 0 then read_group(own, out, format, plain) end
        return
      end
    end
    -- (The JSON of texts with notes is written anyway: it is looked at whatever their
    -- characters.)
    if json and nothing_to_sanitise(json, #items) then
      for i, item in ipairs(items) do out[item.key] = read[i] end
      write_cache_json(json, items, read, raw_marker_json)
      return
    end
    walks = walks + 1
    local clean = doc:walk(sanitize)
    local chunks = split_at_marks(clean.blocks, #items, "CodeBlock")
    if chunks ~= nil then
      for i, item in ipairs(items) do out[item.key] = chunks[i] end
      write_cache_json(pandoc.write(clean, "json"), items, chunks, code_marker_json)
      return
    end
  end
  local half = #items // 2
  read_group(table.move(items, 1, half, 1, {}), out, format, plain)
  read_group(table.move(items, half + 1, #items, 1, {}), out, format, plain)
end

-- The cache: each job writes the narratives it parsed into one pack file (one
-- file write per document; a file per narrative cost a second per thousand),
-- and says where each one is; Python keeps that index and sends the place of
-- every narrative already parsed.
local pending = {} -- {key, json} parsed by the current job, to pack

local function save(key, json)
  pending[#pending + 1] = { key = key, json = json }
end

write_cache = function(key, blocks)
  save(key, pandoc.write(pandoc.Pandoc(blocks), "json"))
end

-- The JSON of a whole joined read, cut at its markers (`mark_json`: their JSON): one JSON
-- write for all the narratives instead of one each.
write_cache_json = function(json, items, chunks, mark_json)
  local head = json:match('^(.-"blocks":%[)')
  local from = head and #head + 1
  for i, item in ipairs(items) do
    local mark = mark_json(i)
    local at = from and json:find(mark, from, true)
    if at == nil then -- not the layout expected: one write each
      for j = i, #items do write_cache(items[j].key, chunks[j]) end
      return
    end
    local stop = at - 1
    if json:byte(stop) == 44 then stop = stop - 1 end -- the comma before the marker
    save(item.key, head .. json:sub(from, stop) .. "]}")
    from = at + #mark + 1
  end
end

local function write_pack(name, answer)
  -- No name (JSON null): the cache folder could not be made.
  if #pending == 0 or CACHE_DIR == nil or type(name) ~= "string" then return end
  assert(name:match("^[%w-]+%.pack$"), "bad pack name")
  local offset, parts = 0, {}
  for i, entry in ipairs(pending) do
    parts[i] = entry.json
    answer.parsed[#answer.parsed + 1] = { key = entry.key, offset = offset, length = #entry.json }
    offset = offset + #entry.json
  end
  local path = CACHE_DIR .. "/" .. name
  -- A cache that cannot be written only costs time: the document is converted anyway.
  local f = io.open(path .. ".tmp", "wb")
  local written = f and f:write(table.concat(parts)) and f:close()
  if not written or not os.rename(path .. ".tmp", path) then
    os.remove(path .. ".tmp")
    answer.parsed = {}
    return
  end
  answer.pack = name
end

local function read_cache(item, packs)
  assert(item.pack:match("^[%w-]+%.pack$"), "bad pack name")
  local f = packs[item.pack]
  if f == nil then
    f = io.open(CACHE_DIR .. "/" .. item.pack, "rb")
    if f == nil then return nil end
    packs[item.pack] = f
  end
  if not f:seek("set", item.offset) then return nil end
  local text = f:read(item.length)
  if text == nil or #text ~= item.length then return nil end
  return text
end

-- The narratives of a job, key -> {json, blocks, verify}: the pandoc JSON of each
-- (from the cache, or written here for the cache), its blocks once read (`blocks_of`),
-- and whether they must be sanitised as read (a cached narrative this build has not
-- checked yet). `answer` learns which keys were parsed (and where they are cached).
local function narrative_sources(narratives, pack, answer)
  local sources, to_parse, noted, alone, packs = {}, {}, {}, {}, {}
  pending = {}
  for _, item in ipairs(narratives) do
    if item.text == nil then
      local json = read_cache(item, packs)
      if json == nil then
        answer.missing[#answer.missing + 1] = item.key
      else
        sources[item.key] = { json = json, verify = item.verify == true }
      end
    elseif notes_are_its_own_definitions(item.text) then
      noted[#noted + 1] = with_own_labels(item, #noted + 1)
    elseif reads_alone(item.text) then
      alone[#alone + 1] = item
    else
      to_parse[#to_parse + 1] = item
    end
  end
  for _, f in pairs(packs) do f:close() end
  -- A pack gone or damaged (another build pruned it, a disk error): Python sends the
  -- job again with the text of what is missing, to be parsed.
  if #answer.missing > 0 then error("narratives missing from the cache", 0) end
  local parsed = {}
  -- Three groups: read with the plain reader, with nothing to sanitise (most); with
  -- the plain reader; with the full one.
  local groups = { {}, {}, {} }
  for _, item in ipairs(to_parse) do
    local group = not reads_plain(item.text) and 3
      or may_need_sanitising(item.text) and 2 or 1
    table.insert(groups[group], item)
  end
  for i, format in ipairs({ PLAIN_FORMAT, PLAIN_FORMAT, NARRATIVE_FORMAT }) do
    if #groups[i] > 0 then read_group(groups[i], parsed, format, i == 1) end
  end
  if #noted > 0 then read_group(noted, parsed, NARRATIVE_FORMAT, false) end
  for _, item in ipairs(alone) do
    parsed[item.key] = read_alone(item.text)
    write_cache(item.key, parsed[item.key])
  end
  for _, entry in ipairs(pending) do sources[entry.key] = { json = entry.json } end
  for key, blocks in pairs(parsed) do
    sources[key] = sources[key] or {}
    sources[key].blocks = blocks
  end
  write_pack(pack, answer)
  return sources
end

-- Reads `json` as blocks, sanitised when `verify`: nil if it is not pandoc JSON; and
-- whether it was sanitised already (sanitising it again changed nothing).
local function read_json(json, verify)
  local ok, doc = pcall(pandoc.read, json, "json")
  if not ok then return nil, false end
  if not verify then return doc.blocks, true end
  local clean = doc:walk(sanitize)
  return clean.blocks, pandoc.write(clean, "json") == json
end

-- A damaged cache entry found while placing: every entry not read yet is tried, so that
-- Python sends the text of all the damaged ones at once.
local function damaged(sources, answer)
  for key, source in pairs(sources) do
    if source.blocks == nil and read_json(source.json, false) == nil then
      answer.missing[#answer.missing + 1] = key
    end
  end
  error("narratives missing from the cache", 0)
end

-- Reads a cached narrative's JSON (`json`: the entry's, or set by its typography).
-- Python trusts it for the rest of the build only if it was sanitised already: an
-- entry changed on disk is sanitised again wherever it is read.
local function read_source(sources, key, json, answer)
  local source = sources[key]
  local blocks, clean = read_json(json, source.verify)
  if blocks == nil then damaged(sources, answer) end
  if source.verify and clean then
    answer.verified[#answer.verified + 1] = key
  end
  return blocks
end

-- The blocks of narrative `key`, as they are for every document.
local function blocks_of(sources, key, answer)
  local source = sources[key]
  if source == nil then error("unknown narrative reference " .. tostring(key)) end
  if source.blocks == nil then source.blocks = read_source(sources, key, source.json, answer) end
  return source.blocks
end

-- The blocks of narrative `key` placed in a report, set by the typography of its
-- language (from its JSON when that can be done there), and the JSON they come from.
local function typeset_blocks(sources, key, lang, answer)
  local source = sources[key]
  if source == nil then error("unknown narrative reference " .. tostring(key)) end
  local json = source.json and apparatus.typeset_json(source.json, lang)
  if json == nil then
    return apparatus.typeset(blocks_of(sources, key, answer), lang), source.json
  elseif json == source.json then
    return blocks_of(sources, key, answer), json
  end
  return read_source(sources, key, json, answer), json
end

-- The narratives in their places. In a report (`job.apparatus`), each is set by the
-- typography of its language as it is placed, and those that are blocks of their own
-- (not in a list or a table) have their paragraphs numbered, in document order. They
-- are placed by a loop over the top-level blocks, the divs and list items in them
-- (blocks not looked into are not copied through Lua); the others, if any, by a walk.
local function splice(doc, job, answer)
  local sources = narrative_sources(job.narratives, job.pack, answer)
  local settings = job.apparatus
  local placed = 0
  local function fill(div, numbering)
    local key = div.attributes["ref"]
    div.attributes["ref"] = nil
    placed = placed + 1
    if not settings then
      div.content = blocks_of(sources, key, answer)
      return div
    end
    local blocks, json = typeset_blocks(sources, key, div.attributes["lang"], answer)
    if numbering then blocks = apparatus.number(blocks, numbering, json) end
    div.content = blocks
    return div
  end
  -- `list` with its narratives placed: numbered (`numbering`, in a report) if it is the
  -- document's top level or a div in it, not in a list item. Other containers (tables,
  -- quotes) are left to the walk below.
  local function placed_in(list, numbering)
    local out = {}
    for i, block in ipairs(list) do
      if block.t == "Div" and block.classes:includes("narrative") then
        -- A summary up front (the key messages) is not numbered, as in UN documents.
        local unnumbered = block.classes:includes("unnumbered")
        if unnumbered then block.classes = { "narrative" } end
        block = fill(block, not unnumbered and numbering or nil)
      elseif block.t == "Div" and block.classes[1] == "paragraph" then
        -- A paragraph of the report's own words (render/templates.py `_numbered`).
        block = numbering and apparatus.number(block.content, numbering)[1] or block.content[1]
      elseif block.t == "Div" then
        block.content = placed_in(block.content, numbering)
      elseif block.t == "BulletList" or block.t == "OrderedList" then
        local items = block.content
        for j, item in ipairs(items) do items[j] = placed_in(item, nil) end
        block.content = items
      end
      out[i] = block
    end
    return out
  end
  doc.blocks = placed_in(doc.blocks, settings and { count = 0, number = settings.number })
  -- templates/*.j2 place narratives only through render/templates.py `_narrative`.
  local _, places = job.markdown:gsub('{%.narrative[^}\n]- ref="', "")
  if placed >= places then return doc end -- a walk over a large document costs
  return doc:walk({
    Div = function(div)
      if not div.classes:includes("narrative") or div.attributes["ref"] == nil then return nil end
      return fill(div, nil)
    end,
  })
end

-- Unicode isolates (LRI, RLI ... PDI) keep a run in the other direction in its
-- own order (brackets, numbers) in typst and Word too; HTML also gets `dir`.
local ISOLATE = { ltr = "\u{2066}", rtl = "\u{2067}" }
local POP_ISOLATE = "\u{2069}"
local document_dir = "ltr" -- the current job's
local docx_batch = {} -- documents whose DOCX is written together (`write_docx_batch`)
local docx_written = {} -- the documents of the batch last written

local function tagged_inlines(value)
  -- {text, lang, dir}: text in another language than the report's.
  if type(value) == "table" then
    local attr = pandoc.Attr("", {}, { { "lang", value.lang }, { "dir", value.dir } })
    local text = value.text
    if value.dir ~= document_dir then text = ISOLATE[value.dir] .. text .. POP_ISOLATE end
    return { pandoc.Span(pandoc.Inlines(text), attr) }
  end
  return pandoc.Inlines(value)
end

-- typst has no direction for a block of its own: a narrative in the other
-- direction (French in an Arabic report) gets one, so its lines start on its
-- side and its punctuation falls where it belongs. Every narrative gets its
-- language so: pandoc would write `#set text(lang: ..); ` on the line of the
-- narrative's first block, where a list's first `- ` is no longer a list item.
local TABLE_LEAD_CHARS = 300 -- about three lines
-- A table's title (`place_table_title`, and a figure's data in the annex) is a bold block
-- that sticks to its table: a short paragraph before it leads the table as well.
local TYPST_TABLE_TITLE = "#block(sticky: true)[#strong["
local function is_table(block)
  return block ~= nil and (block.t == "Table" or (block.t == "RawBlock" and block.format == "typst"
    and block.text:sub(1, #TYPST_TABLE_TITLE) == TYPST_TABLE_TITLE))
end
local function sticky(block)
  return { pandoc.RawBlock("typst", "#block(sticky: true)["), block, pandoc.RawBlock("typst", "]") }
end
local ATTRIBUTION_DASH = "\u{2014}" -- regional-macros.md.j2: *— State*
local NARRATIVE_BLOCK = "#block(width: 100%)["
local STICKY_NARRATIVE_BLOCK = "#block(width: 100%, sticky: true)["
local function is_attribution(block)
  if block == nil or block.t ~= "Para" or block.content[1] == nil
      or block.content[1].t ~= "Emph" then
    return false
  end
  local first = block.content[1].content[1]
  return first ~= nil and first.t == "Str" and first.text:sub(1, #ATTRIBUTION_DASH) == ATTRIBUTION_DASH
end
-- Headings without an id of their own (a principle's, a State's in the regional report)
-- are labelled in the PDF: report.typ names the heading before which a page break
-- brings a stranded footnote back beside its call (gcmreview/convert/pdf.py).
local typst_headings = 0

-- A quotation and its attribution are marked, so that report.typ can tell when typst put
-- the attribution alone at the top of a page, the quotation ending on the one before
-- (its note did not fit there), and gcmreview/convert/pdf.py can move a short quotation
-- to that page with it: the metadata are tags, which take no room.
local typst_quotes = 0
local function quote_mark(n)
  local name = "gcm-quote-" .. n
  return { quote = '#metadata("' .. name .. '") <gcm-quote>\n',
           attribution = '#metadata("' .. name .. '") <gcm-attribution>' }
end

-- A numbered paragraph of the other direction (a French statement in an Arabic report):
-- its number on the side where the document's numbers are, in the margin the paragraph
-- leaves there, not at the start of its words (the sequence switched sides). Its label
-- (`para-12`) goes with the number.
local NUMBER_ROOM = "2.4em"
local function number_aside(block)
  local first = block.t == "Para" and block.content[1] or nil
  if first == nil or first.t ~= "Span" or not first.classes:includes("para-number") then
    return { block }
  end
  local inlines = block.content
  inlines:remove(1)
  if inlines[1] ~= nil and inlines[1].t == "Space" then inlines:remove(1) end
  local side = document_dir == "rtl" and "right" or "left"
  local shift = side == "right" and NUMBER_ROOM or "-" .. NUMBER_ROOM
  local label = first.identifier:match("^para%-%d+$") and (" <" .. first.identifier .. ">") or ""
  -- A string of typst's: the number as a translation writes it, a quote or a backslash
  -- in it escaped.
  local number = pandoc.utils.stringify(first):gsub("\\", "\\\\"):gsub('"', '\\"')
  return {
    pandoc.RawBlock("typst", "#block(width: 100%, inset: (" .. side .. ": " .. NUMBER_ROOM
      .. "))[#place(top + " .. side .. ", dx: " .. shift .. ")[#text(dir: " .. document_dir
      .. ', "' .. number .. '")' .. label .. "]"),
    pandoc.Para(inlines),
    pandoc.RawBlock("typst", "]"),
  }
end

local typst_directions = {
  Header = function(header)
    if header.identifier ~= "" then return nil end
    typst_headings = typst_headings + 1
    header.identifier = "gcm-heading-" .. typst_headings
    return header
  end,
  -- A paragraph of bold text alone is a label over what follows ("Measures" over its
  -- list, a narrative's heading made bold by the sanitiser): it goes to the next page
  -- with it rather than end a page.
  Para = function(para)
    if #para.content == 1 and para.content[1].t == "Strong" then return sticky(para) end
  end,
  -- A short paragraph right before a table introduces it (a State's coverage over its
  -- table in the annex): it goes to the next page with the table, which a small table
  -- does whole, rather than stay at the foot of a page with the heading above it.
  -- A quotation's attribution ("— Maroc", regional-macros.md.j2 `quote`) never starts a
  -- page alone: the quotation sticks to it (typst takes the end of a long one to the
  -- next page with it).
  Blocks = function(blocks)
    local out, changed, pending = pandoc.Blocks({}), false, nil
    -- The short paragraphs right before a table, up to three (an indicator's "Linked to
    -- this objective..." and "Unit: ..." lines), each sticking to the next.
    local lead, chain = {}, 0
    for i = #blocks, 1, -1 do
      local block, following = blocks[i], blocks[i + 1]
      if is_table(following) then chain = 0 end
      if block.t == "Para" and following ~= nil
          and (is_table(following) or (lead[i + 1] and chain < 3))
          and utf8.len(pandoc.utils.stringify(block)) <= TABLE_LEAD_CHARS then
        lead[i], chain = true, chain + 1
      end
    end
    for i, block in ipairs(blocks) do
      local following, before = blocks[i + 1], blocks[i - 1]
      if lead[i] then
        out:extend(sticky(block))
        changed = true
      elseif block.t == "Para" and before ~= nil and before.t == "Header" and following ~= nil
          and following.t == "Header" and following.level > before.level
          and utf8.len(pandoc.utils.stringify(block)) <= TABLE_LEAD_CHARS then
        -- A short line between a heading and the first of its subheadings ("States
        -- reporting: …" over the States' answers) goes to the next page with them: the
        -- heading sticks to it, and both were left at the foot of a page.
        out:extend(sticky(block))
        changed = true
      elseif is_attribution(following) and (block.t == "Para" or block.t == "Div") then
        out:extend(sticky(block))
        changed = true
      elseif is_attribution(following) and block.t == "RawBlock" and block.text == "]" then
        -- The end of a narrative's own block (`Div` below, run before this): its opening
        -- is made sticky, and it and its attribution are marked (`quote_mark`).
        for j = #out, 1, -1 do
          local opening = out[j]
          if opening.t == "RawBlock" and opening.text:sub(1, #NARRATIVE_BLOCK) == NARRATIVE_BLOCK then
            typst_quotes = typst_quotes + 1
            pending = quote_mark(typst_quotes)
            opening.text = STICKY_NARRATIVE_BLOCK .. pending.quote
              .. opening.text:sub(#NARRATIVE_BLOCK + 1)
            out[j] = opening
            break
          end
        end
        out:insert(block)
        changed = true
      elseif pending and is_attribution(block) then
        block.content:insert(1, pandoc.RawInline("typst", pending.attribution))
        out:insert(block)
        pending = nil
      else
        out:insert(block)
      end
    end
    if changed then return out end
  end,
  -- A short item of the other direction in a list (render/templates.py `_joined`): a
  -- box, which a line never breaks.
  Span = function(span)
    if span.classes:includes("keep") then
      return { pandoc.RawInline("typst", "#box["), span, pandoc.RawInline("typst", "]") }
    end
  end,
  -- A list quoted in its own language (render/templates.py `_quoted`) too.
  Div = function(div)
    if not (div.classes:includes("narrative") or div.classes:includes("quoted")) then return nil end
    local dir = div.attributes["dir"]
    local lang = (div.attributes["lang"] or ""):gsub("[^%w-]", "")
    local settings = {}
    if dir ~= nil and dir ~= document_dir then settings[#settings + 1] = "dir: " .. dir end
    if lang ~= "" then settings[#settings + 1] = 'lang: "' .. lang .. '"' end
    if #settings == 0 then return nil end
    local blocks = pandoc.Blocks({
      pandoc.RawBlock("typst", NARRATIVE_BLOCK .. "#set text(" .. table.concat(settings, ", ")
        .. ")"),
    })
    if dir ~= nil and dir ~= document_dir then
      for _, block in ipairs(div.content) do blocks:extend(number_aside(block)) end
    else
      blocks:extend(div.content)
    end
    blocks:insert(pandoc.RawBlock("typst", "]"))
    return blocks
  end,
}

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

local function xml_text(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

-- Figure placeholders (render/templates.py `figure`) hold the figure's source, in a
-- div of its own (Markdown: an indicator's sources are marked with their language);
-- its other texts arrive beside the skeleton as plain text, by figure number
-- (`texts`): the label and title ("Figure 1." cut at the number: before, after), the
-- text alternative (alt), the words that introduce its data as a table (table) and
-- the heading of the annex of data (annex). A `.figure-data` div right after a
-- placeholder holds the figure's data as tables. Each format lays them out as a
-- document of its kind does, the title above the picture and the source below it:
--   HTML: a <figure> whose <figcaption> comes first, the SVG (a marker that Python
--     replaces with the SVG as a data URI after writing: a megabyte-long URI costs
--     pandoc's HTML writer hundreds of megabytes) at its own size, the source, and
--     the data in a <details> under it: one picture on the page, its table to unfold;
--   DOCX: the title (its number a SEQ field, as Word numbers figures), the PNG at
--     its own size (put in by Python in place of a marker: pandoc took a tenth of
--     what the data cost it to place 965 pictures), the source, in styles that keep
--     them on one page; the data move to an annex at the end of the document;
--   typst: a figure whose body calls the drawing itself (its text is text in the
--     PDF), with the PDF's alt text; the data move to the annex too;
--   Markdown: the title, the text alternative and the source, the data in place.
-- Plain text becomes one Str, which every writer takes as it is.
local function plain(text)
  if text == nil or text == "" then return pandoc.Inlines({}) end
  return pandoc.Inlines({ pandoc.Str(text) })
end

local function figure_source(div)
  for _, block in ipairs(div.content) do
    if block.t == "Div" and block.classes[1] == "source" and #block.content > 0
        and block.content[1].content then
      return block.content[1].content
    end
  end
  return pandoc.Inlines({})
end

local function has_class(block, class)
  return block ~= nil and block.t == "Div" and block.classes:includes(class)
end

local function typst_markup(inlines)
  local text = pandoc.write(pandoc.Pandoc({ pandoc.Plain(inlines) }), "typst")
  return (text:gsub("%s+$", ""))
end

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("%s+", " ") .. '"'
end

local function html_attr(text)
  return (text:gsub("&", "&amp;"):gsub('"', "&quot;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

local SEQ_FIGURE = ' SEQ Figure \\* ARABIC '

-- A DOCX label with its number as a SEQ field ("Figure " + field + "."), as Word numbers
-- figures and tables: a space before the field is a run of its own, as pandoc writes it.
local function seq_label(sequence, before, number, after)
  local label = pandoc.Inlines({})
  if before:sub(-1) == " " then
    label:insert(pandoc.Str(before:sub(1, -2)))
    label:insert(pandoc.Space())
  elseif before ~= "" then
    label:insert(pandoc.Str(before))
  end
  label:insert(pandoc.RawInline("openxml", '<w:fldSimple w:instr="' .. sequence .. '"><w:r>'
    .. "<w:t>" .. xml_text(number) .. "</w:t></w:r></w:fldSimple>"))
  if after ~= "" then label:insert(pandoc.Str(after)) end
  return label
end

local function place_figure(div, data, format, figure, texts)
  local name = div.attributes["name"]
  local number = div.attributes["number"] or ""
  local text = texts[number] or {}
  local caption = plain((text.before or "") .. number .. (text.after or ""))
  local alt = text.alt or ""
  local source = figure_source(div)
  local out = pandoc.Blocks({})
  if figure == nil or format == "md" then
    out:insert(pandoc.Para(caption))
    if alt ~= "" then out:insert(pandoc.Para(plain(alt))) end
    out:insert(pandoc.Para(source))
    if data then out:insert(data) end
    return out
  end
  if format == "html" then
    local id = "figure-" .. number
    out:insert(pandoc.RawBlock("html", '<figure class="' .. figure.drawing .. '" id="' .. html_attr(id)
      .. '" aria-labelledby="' .. html_attr(id) .. '-caption">'))
    out:insert(pandoc.RawBlock("html", '<figcaption id="' .. html_attr(id) .. '-caption">'))
    out:insert(pandoc.Plain(caption))
    out:insert(pandoc.RawBlock("html", "</figcaption>"))
    -- At its own size (1 pt = 4/3 CSS pixels), in a box that scrolls sideways on a
    -- screen narrower than it (templates/report.html): shrunk to a phone's width, its
    -- names and numbers were 5 px high. Written here as pandoc would write the image
    -- (its writer took 0.2 GB of allocation for 965 charts).
    out:insert(pandoc.RawBlock("html", '<div class="figure-box" role="region" tabindex="0" '
      .. 'aria-labelledby="' .. html_attr(id) .. '-caption">'))
    out:insert(pandoc.RawBlock("html", '<img src="gcmreview-figure:' .. html_attr(name)
      .. '" width="' .. math.floor(figure.width * 4 / 3 + 0.5) .. '" height="'
      .. math.floor(figure.height * 4 / 3 + 0.5) .. '" alt="' .. html_attr(alt) .. '" />'))
    out:insert(pandoc.RawBlock("html", "</div>"))
    out:insert(pandoc.Div({ pandoc.Para(source) }, pandoc.Attr("", { "figure-source" })))
    if data then
      out:insert(pandoc.RawBlock("html", '<details class="figure-data"><summary>'))
      out:insert(pandoc.Plain(plain(text.table)))
      out:insert(pandoc.RawBlock("html", "</summary>"))
      out:insert(data)
      out:insert(pandoc.RawBlock("html", "</details>"))
    end
    out:insert(pandoc.RawBlock("html", "</figure>"))
  elseif format == "docx" then
    local title = seq_label(SEQ_FIGURE, text.before or "", number, text.after or "")
    out:insert(pandoc.Div({ pandoc.Para(title) },
                          pandoc.Attr("", {}, { { "custom-style", "Figure Title" } })))
    -- The picture itself is put in by Python in place of this run (convert/docx.py
    -- `placed_pictures`): the PNG, its size and its text alternative (figure `number`).
    out:insert(pandoc.Div({ pandoc.Para({ pandoc.RawInline("openxml",
      "<w:r><w:t>gcmreview-figure:" .. name .. " " .. number .. "</w:t></w:r>") }) },
      pandoc.Attr("", {}, { { "custom-style", "Figure" } })))
    out:insert(pandoc.Div({ pandoc.Para(source) },
                          pandoc.Attr("", {}, { { "custom-style", "Figure Source" } })))
  else -- typst
    out:insert(pandoc.RawBlock("typst", table.concat({
      "#[",
      "#show figure.caption: set align(start)",
      "#show figure: set align(start)",
      "#figure(kind: image, numbering: none, gap: 0.6em, alt: " .. typst_string(alt) .. ",",
      "  caption: figure.caption(position: top, text(weight: \"bold\")[" .. typst_markup(caption)
        .. "]),",
      ")[",
      -- the drawing's name is ours (heat-map, chart): never a word from the data
      '  #import "' .. figure.drawing .. '.typ": ' .. figure.drawing,
      "  #" .. figure.drawing .. "(json(" .. typst_string(name .. ".json") .. "))",
      "  #v(0.5em)",
      '  #text(size: 8.5pt, fill: rgb("#5a6470"))[' .. typst_markup(source) .. "]",
      "]",
      "]",
    }, "\n")))
  end
  return out
end

-- A table's number and title (render/templates.py `table_title`), above the table: the
-- title in the placeholder, its label ("Table " and "." around the number) beside the
-- skeleton (`texts`, as `table-<n>`). As a figure's title in each format: HTML a
-- paragraph the table that follows is labelled by (aria-labelledby, `label_table`),
-- DOCX a "Table Title" paragraph (its number a SEQ field, as Word numbers tables,
-- kept with the table), typst a bold block that sticks to what follows, Markdown the
-- paragraph.
local SEQ_TABLE = ' SEQ Table \\* ARABIC '

local function place_table_title(div, format, texts)
  local number = div.attributes["number"] or ""
  local text = texts["table-" .. number] or {}
  local title = pandoc.Inlines({})
  for _, block in ipairs(div.content) do
    if block.content then title:extend(block.content) end
  end
  local before, after = text.before or "", text.after or ""
  local label = format == "docx" and seq_label(SEQ_TABLE, before, number, after)
    or pandoc.Inlines({ pandoc.Str(before .. number .. after) })
  label:insert(pandoc.Space())
  label:extend(title)
  if format == "html" then
    return pandoc.Blocks({ pandoc.Div({ pandoc.Para(label) },
                                      pandoc.Attr("table-" .. number, { "table-title" })) })
  elseif format == "docx" then
    return pandoc.Blocks({ pandoc.Div({ pandoc.Para(label) },
                                      pandoc.Attr("", {}, { { "custom-style", "Table Title" } })) })
  elseif format == "typst" then
    return pandoc.Blocks({ pandoc.RawBlock("typst", TYPST_TABLE_TITLE
      .. typst_markup(label) .. "]]") })
  end
  return pandoc.Blocks({ pandoc.Para(label) })
end

-- Data tables (render/tables.py) arrive written for HTML and DOCX, kept by Python: a
-- `.data-table` div in the skeleton says where, and holds the pipe table for the other
-- formats. Where it stands pandoc writes a marker, which Python replaces with the table
-- once pandoc has written the file (convert/figures.py `place_in_html`, convert/docx.py
-- `finish_docx`): pandoc had read back and written again 5 KB of XML for each table,
-- more than a tenth of what the data cost it. The HTML marker names the title the table
-- is labelled by, if any: <!--gcmreview-table:table-1 table-3-->. Markers are elements
-- and comments, which no text can become (text is escaped), and Python replaces only
-- the names of the document's own tables.
local TABLE_MARKER = "<!--gcmreview-table:"

local function data_table(div, format, tables)
  local name = div.attributes["name"]
  local written = tables[name]
  if written and written[format] and format == "html" then
    return pandoc.Blocks({ pandoc.RawBlock("html", TABLE_MARKER .. name .. "-->") })
  elseif written and written[format] and format == "docx" then
    return pandoc.Blocks({ pandoc.RawBlock("openxml", "<w:p><w:r><w:t>gcmreview-table:"
      .. name .. "</w:t></w:r></w:p>") })
  end
  return div.content
end

-- HTML: the first table after a title (past the lines before it: its unit) is labelled
-- by it, a pandoc table through its attributes, one written by gcmreview in its marker.
local function label_table(block, id)
  if block.t == "Table" then
    block.attr.attributes["aria-labelledby"] = id
    return block, true
  elseif block.t == "RawBlock" and block.format == "html"
      and block.text:sub(1, #TABLE_MARKER) == TABLE_MARKER then
    block.text = block.text:sub(1, -4) .. " " .. id .. "-->" -- `data_table`'s marker
    return block, true
  elseif block.t == "Div" and block.content[1] ~= nil and block.content[1].t == "Table" then
    local inner = block.content
    inner[1] = label_table(inner[1], id)
    block.content = inner
    return block, true
  end
  return block, false
end

local function with_placed(doc, format, figures, tables, texts)
  -- a walk over a large document costs
  if next(figures) == nil and next(tables) == nil and next(texts) == nil then return doc end
  local blocks, annex = pandoc.Blocks({}), pandoc.Blocks({})
  local placed, wanted = 0, 0
  local annex_title, annex_heading, numbered_title
  -- Table titles placed, and (HTML) the id of the last one, until its table is labelled.
  local titles, titled = 0, nil
  local function labelled_by_title(block)
    if titled then
      local labelled
      block, labelled = label_table(block, titled)
      if labelled or block.t == "Header" then titled = nil end
    end
    return block
  end
  -- HTML: a link to each figure's data, under the figure, and the words before them.
  local pointers, pointed = pandoc.List({}), nil
  -- `doc.blocks` makes a new Lua list of the blocks at each use: taken once.
  local list = doc.blocks
  local i = 1
  while i <= #list do
    local block = list[i]
    if has_class(block, "figure") then
      local data = nil
      if has_class(list[i + 1], "figure-data") then
        data = list[i + 1]
        i = i + 1
      end
      local figure = figures[block.attributes["name"]]
      if format == "html" and data and figure ~= nil then
        -- Its data stay under it; the annex the other formats give them points there.
        local text = texts[block.attributes["number"] or ""] or {}
        data.identifier = "figure-" .. (block.attributes["number"] or "") .. "-data"
        local link = pandoc.Link(plain(text.table), "#" .. data.identifier)
        pointers:insert({ pandoc.Plain({ link }) })
        annex_title = annex_title or (text.annex and plain(text.annex))
        pointed = pointed or (text.data_under and plain(text.data_under))
        if numbered_title == nil and text.annex_i and text.annex_ii then
          numbered_title = { plain(text.annex_i), plain(text.annex_ii) }
        end
      end
      local placed_figure = place_figure(block, data, format, figure, texts)
      if format == "typst" and has_class(list[i + 1], "figure-key") then
        -- The figure's key (the principles' names under their letters) is never split,
        -- nor parted from the figure.
        blocks:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
        blocks:extend(placed_figure)
        blocks:insert(pandoc.RawBlock("typst", "]"))
        blocks:insert(pandoc.RawBlock("typst", "#block(breakable: false)["))
        blocks:extend(list[i + 1].content)
        blocks:insert(pandoc.RawBlock("typst", "]"))
        i = i + 1
      else
        blocks:extend(placed_figure)
      end
      if data and figure ~= nil and (format == "docx" or format == "typst") then
        local text = texts[block.attributes["number"] or ""] or {}
        annex_title = annex_title or (text.annex and plain(text.annex))
        if numbered_title == nil and text.annex_i and text.annex_ii then
          numbered_title = { plain(text.annex_i), plain(text.annex_ii) }
        end
        if format == "docx" then
          annex:insert(pandoc.Div({ pandoc.Para(plain(text.table)) },
                                  pandoc.Attr("", {}, { { "custom-style", "Figure Title" } })))
        else
          annex:insert(pandoc.RawBlock("typst", TYPST_TABLE_TITLE
            .. typst_markup(plain(text.table)) .. "]]"))
        end
        local content = data.content
        if format == "typst" and #content == 2 and has_class(content[1], "matrix")
            and has_class(content[2], "legend") then
          -- Its key first, kept with it: after it, a page break parted them.
          annex:insert(pandoc.RawBlock("typst", "#block(sticky: true)["))
          annex:insert(content[2])
          annex:insert(pandoc.RawBlock("typst", "]"))
          annex:insert(content[1])
        else
          annex:insert(data)
        end
      end
    elseif has_class(block, "data-table") then
      for _, made in ipairs(data_table(block, format, tables)) do
        blocks:insert(labelled_by_title(made))
      end
      placed = placed + 1
    elseif has_class(block, "table-title") then
      blocks:extend(place_table_title(block, format, texts))
      titled = format == "html" and "table-" .. (block.attributes["number"] or "") or nil
      titles = titles + 1
    else
      blocks:insert(labelled_by_title(block))
    end
    i = i + 1
  end
  for _ in pairs(tables) do wanted = wanted + 1 end
  local titles_wanted = 0
  for key in pairs(texts) do
    if key:sub(1, 6) == "table-" then titles_wanted = titles_wanted + 1 end
  end
  if placed < wanted or titles < titles_wanted then
    -- a template that put a table, or a table's title, inside a div of its own
    blocks = blocks:walk({
      Div = function(div)
        if div.classes:includes("data-table") then return data_table(div, format, tables) end
        if div.classes:includes("table-title") then
          return place_table_title(div, format, texts)
        end
      end,
    })
  end
  -- HTML has the annex the other formats have, pointing at the data under each figure:
  -- "Annex II" means the same in every format.
  if #pointers > 0 then
    annex:insert(pandoc.Para(pointed or pandoc.Inlines({})))
    annex:insert(pandoc.BulletList(pointers))
  end
  local renamed = nil -- the document's own annex, numbered I when the data annex is II
  if #annex > 0 and numbered_title then
    for j, block in ipairs(blocks) do
      if block.t == "Header" and block.level == 1 and block.identifier == "annex" then
        block.content = numbered_title[1]
        blocks[j] = block
        renamed = block
        annex_title = numbered_title[2]
        break
      end
    end
  end
  if #annex > 0 then
    annex_heading = pandoc.Header(1, annex_title or pandoc.Inlines("Annex"),
                                  pandoc.Attr("figure-data"))
    blocks:insert(annex_heading)
    blocks:extend(annex)
  end
  return pandoc.Pandoc(blocks, doc.meta), annex_heading, renamed
end

-- DOCX table widths: gcmreview/convert/docx.py sizes every column from the
-- cell texts once pandoc has written the file (pandoc would give all the same).

-- Forms (gcmreview form) lay their questions out as nested divs,
--   ::: grid (widths="30,70", header="1") > ::: row > ::: label | ::: answer
-- because table cells that hold paragraphs and lists have no Markdown syntax.
-- They become pandoc tables here, once the narratives are in their cells; the
-- skeleton is trusted and a narrative can hold no div (the sanitiser unwraps
-- them), so only the template makes grids.
local function cells_of(row)
  local cells = {}
  for _, part in ipairs(row.content) do
    if part.t == "Div" then
      local blocks = part.content
      if part.classes:includes("label") then
        blocks = { pandoc.Div(blocks, pandoc.Attr("", {}, { { "custom-style", "Form Label" } })) }
      end
      cells[#cells + 1] = pandoc.Cell(blocks)
    end
  end
  return cells
end

local function grid_table(div)
  local widths = {}
  for share in (div.attributes["widths"] or ""):gmatch("%d+") do
    widths[#widths + 1] = tonumber(share) / 100
  end
  local head_rows, body_rows = {}, {}
  local header = tonumber(div.attributes["header"] or "0")
  for _, row in ipairs(div.content) do
    if row.t == "Div" and row.classes:includes("row") then
      local target = #head_rows < header and head_rows or body_rows
      target[#target + 1] = pandoc.Row(cells_of(row))
    end
  end
  local colspecs = {}
  local columns = #((head_rows[1] or body_rows[1] or { cells = {} }).cells)
  for i = 1, columns do colspecs[i] = { "AlignDefault", widths[i] or (1 / columns) } end
  return pandoc.Table({ long = {}, short = {} }, colspecs, pandoc.TableHead(head_rows),
    { { attr = pandoc.Attr(), body = body_rows, head = {}, row_head_columns = 0 } },
    pandoc.TableFoot({}))
end

local form_layout = {
  Div = function(div)
    if div.classes:includes("grid") then return grid_table(div) end
  end,
  Span = function(span)
    if span.classes:includes("checkbox") then
      return pandoc.Span(span.content, pandoc.Attr("", {}, { { "custom-style", "Form Checkbox" } }))
    end
  end,
}

-- The Markdown output is for reading and diffing: the classes that style the
-- matrices in HTML and DOCX (status symbols, matrix and legend boxes) go.
local plain_markdown = {
  Span = function(span)
    if span.classes:includes("status") or span.classes:includes("partner-mark")
        or span.classes:includes("para-number") then
      return span.content
    end
    if span.classes:includes("keep") then
      span.classes = {}
      return span
    end
  end,
  Div = function(div)
    if div.classes:includes("matrix") or div.classes:includes("wide")
        or div.classes:includes("legend") or div.classes:includes("figure-data")
        or div.classes:includes("figure-key") then
      return div.content
    end
  end,
}

local function write_file(path, content)
  local f = assert(io.open(path, "wb"))
  f:write(content)
  f:close()
end

local PAGE_BREAK = pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

-- The DOCX table of contents, on a page of its own after the cover: a TOC field of
-- levels 1 and 2 whose result is written now, one entry per heading linked to it
-- (pandoc bookmarks each heading by its identifier), so that LibreOffice, which
-- prints a field's last result, shows the entries; Word and LibreOffice fill in the
-- page numbers when the field is updated, and Word does so on opening (w:dirty).
-- The headings of levels 1 and 2, in document order. Only the template writes headings
-- (the sanitiser makes a narrative's headings bold paragraphs), at the top level or in
-- its divs: the blocks are looked through, not walked (a walk over every inline cost a
-- second of a 193-State build).
local function headings_in(blocks, out)
  for _, block in ipairs(blocks) do
    local kind = block.t
    if kind == "Header" then
      if block.level <= 2 then out[#out + 1] = block end
    elseif kind == "Div" or kind == "BlockQuote" then
      headings_in(block.content, out)
    elseif kind == "BulletList" or kind == "OrderedList" then
      for _, item in ipairs(block.content) do headings_in(item, out) end
    end
  end
  return out
end

local function toc_blocks(headings, title)
  if #headings == 0 then return pandoc.Blocks({}) end
  local bidi = document_dir == "rtl" and "<w:bidi />" or ""
  local parts = {
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents" />'
      .. "<w:docPartUnique /></w:docPartObj></w:sdtPr><w:sdtContent>",
    '<w:p><w:pPr><w:pStyle w:val="TOCHeading" />' .. bidi .. "</w:pPr><w:r><w:t>"
      .. xml_text(title) .. "</w:t></w:r></w:p>",
  }
  for i, h in ipairs(headings) do
    local field = ""
    if i == 1 then
      field = '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true" /></w:r>'
        .. '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
        .. '<w:r><w:fldChar w:fldCharType="separate" /></w:r>'
    end
    local close = i == #headings and '<w:r><w:fldChar w:fldCharType="end" /></w:r>' or ""
    local entry = '<w:r><w:t xml:space="preserve">' .. xml_text(pandoc.utils.stringify(h.content))
      .. "</w:t></w:r>"
    if h.identifier ~= "" then
      entry = '<w:hyperlink w:anchor="' .. xml_text(h.identifier) .. '" w:history="1">' .. entry
        .. "</w:hyperlink>"
    end
    parts[#parts + 1] = '<w:p><w:pPr><w:pStyle w:val="TOC' .. h.level .. '" />' .. bidi
      .. "</w:pPr>" .. field .. entry .. close .. "</w:p>"
  end
  parts[#parts + 1] = "</w:sdtContent></w:sdt>"
  return pandoc.Blocks({ pandoc.RawBlock("openxml", table.concat(parts)), PAGE_BREAK })
end

-- The cover facts (status, date, institution...) as paragraphs, for the formats
-- whose template cannot lay them out (DOCX, Markdown). Built as inlines, never
-- parsed, so data cannot turn into markup here either.
local function fact_blocks(meta)
  local blocks = pandoc.Blocks({})
  for _, fact in ipairs(meta.facts or {}) do
    -- The language's colon: French puts a no-break space before it.
    local inlines = pandoc.Inlines({ pandoc.Strong(pandoc.Inlines(fact.label)),
                                     pandoc.Str(meta.colon or ":"), pandoc.Space() })
    inlines:extend(tagged_inlines(fact.value))
    blocks:insert(pandoc.Para(inlines))
  end
  return blocks
end

-- The masthead of a UN document (symbol, distribution, date, original) as paragraphs
-- of the style "Masthead", for the formats whose template cannot lay it out: the DOCX
-- finishing moves them above the title (gcmreview.convert.docx).
local function masthead_blocks(meta)
  local masthead = meta.masthead
  if masthead == nil then return pandoc.Blocks({}) end
  local blocks = pandoc.Blocks({})
  if masthead.issuer ~= nil and masthead.issuer ~= "" then
    blocks:insert(pandoc.Para(tagged_inlines(masthead.issuer)))
  end
  if masthead.symbol ~= nil and masthead.symbol ~= "" then
    blocks:insert(pandoc.Para({ pandoc.Strong(pandoc.Inlines(masthead.symbol)) }))
  end
  for _, line in ipairs(masthead.lines or {}) do
    blocks:insert(pandoc.Para(pandoc.Inlines(line)))
  end
  return pandoc.Blocks({ pandoc.Div(blocks, pandoc.Attr("", {}, { { "custom-style", "Masthead" } })) })
end

-- HTML the writer cannot make: a numbered paragraph (apparatus.lua `number`) that
-- starts with its number and has the id (`para-12`, to link to), and a heading over the
-- notes. The div holds one paragraph, and a paragraph holds no `</p>`. Each div is found
-- by a plain search for its opening, the pattern tried there only: a gsub tries the
-- pattern at every byte of the page (measured: 0.7 s of pandoc's time in build --all).
local NUMBERED_OPEN = '<div id="para-'
local NUMBERED = '^<div%s+id="para%-(%d+)"%s+class="numbered"%s+data%-number="([^"]*)">%s*<p>'
  .. '(.-)</p>%s*</div>()'
local NOTES_OPEN = '<section id="footnotes"'

local function numbered_html(html)
  local parts, from = {}, 1
  while true do
    local at = html:find(NUMBERED_OPEN, from, true)
    if at == nil then break end
    local n, number, content, stop = html:match(NUMBERED, at)
    if n == nil then
      parts[#parts + 1] = html:sub(from, at + #NUMBERED_OPEN - 1)
      from = at + #NUMBERED_OPEN
    else
      parts[#parts + 1] = html:sub(from, at - 1)
      parts[#parts + 1] = '<p id="para-' .. n .. '"><span class="para-number">' .. number
        .. "</span> " .. content .. "</p>"
      from = stop
    end
  end
  if from == 1 then return html end
  parts[#parts + 1] = html:sub(from)
  return table.concat(parts)
end

local function finish_html(html, settings)
  html = numbered_html(html)
  local at = html:find(NOTES_OPEN, 1, true)
  if at == nil then return html end
  local title = settings.notes_title:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;")
  local open, stop = html:match('^(<section%s+id="footnotes"%s+class="footnotes%s+'
    .. 'footnotes%-end%-of%-document"%s+role="doc%-endnotes")>%s*<hr%s*/>()', at)
  if open == nil then return html end
  return html:sub(1, at - 1) .. open .. ' aria-labelledby="footnotes-title">\n'
    .. '<h1 id="footnotes-title">' .. title .. "</h1>" .. html:sub(stop)
end

-- Several reports' DOCX in one write. pandoc builds and reads its default reference
-- document again at every DOCX write (43 MB allocated each time: 9 GB of a 193-State
-- build's 84). The documents of a batch share their language (so their direction);
-- gcmreview/convert/docx_batch.py cuts the file into the files single writes would have
-- made, byte for byte (tests/test_docx_batch.py holds it to that):
--   * each document's title and subtitle, which pandoc's template writes from the
--     metadata before the body, come first, as paragraphs in their styles, which Python
--     lays out as the template does;
--   * then a code block bookmarked PART .. k: its bookmark's id is where the part's
--     ids start (pandoc numbers notes, bookmarks and links with one counter, across
--     the whole write), and after it a first paragraph follows, as at the start of a
--     document;
--   * then the document in a div of no attributes, which pandoc writes as its blocks
--     alone, and which keeps its sections (pandoc's bookmarks around each heading and
--     what follows it) from running into the next document.
-- Python puts in one batch reports that link to no same URL (pandoc gives a URL one
-- relationship per write, taken by the first document), and has a part it cannot
-- cut as pandoc would have written it alone written again alone (`write_docx_alone`).
local PART = "gcmreview-part-"
local TITLE_STYLES = { title = "Title", subtitle = "Subtitle" } -- as pandoc's template names them

local function convert(job, answer)
  pandoc.mediabag.empty() -- nothing from an earlier document may end up in this one
  -- A form has no apparatus (JSON null decodes to a userdata).
  if type(job.apparatus) ~= "table" then job.apparatus = nil end
  document_dir = job.meta.dir == "rtl" and "rtl" or "ltr"
  local doc = pandoc.read(job.markdown, SKELETON_FORMAT)
  doc = splice(doc, job, answer)
  if job.meta.form then doc = doc:walk(form_layout) end
  if job.apparatus then
    -- Only the template writes notes (report.md.j2, `cites`; regional-macros.md.j2,
    -- `quote`): a document whose skeleton has none is not walked for them.
    doc = apparatus.finish(doc, job.apparatus, job.markdown:find("{.notes}", 1, true) ~= nil,
                           job.markdown:find("]{.note}", 1, true) ~= nil)
  end
  -- The document as pandoc's own values again: what was set from Lua (placed
  -- narratives, numbered paragraphs, notes) is otherwise read back from Lua by every
  -- writer and every later step (measured on build --all: 1 s for this walk, 3 s less
  -- in the HTML writer and the DOCX preparation).
  -- The DOCX contents' headings, read before that: a look into the divs of the
  -- normalised document would have the DOCX writer read them back from Lua (measured
  -- on build --all: 2 s of pandoc's time).
  local headings = job.outputs.docx and not job.meta.form and headings_in(doc.blocks, {})
  doc = doc:walk({})
  local figures = job.figures or {}
  local tables = job.tables or {}
  local texts = job.figure_texts or {}
  for k, v in pairs(job.meta) do doc.meta[k] = to_meta(v) end
  local outputs = job.outputs
  if outputs.html then
    local html = pandoc.write(with_placed(doc, "html", figures, tables, texts), "html5", {
      template = template(job.templates.html, "html"),
      table_of_contents = true,
      toc_depth = 2,
      section_divs = true,
    })
    write_file(outputs.html, job.apparatus and finish_html(html, job.apparatus) or html)
  end
  if outputs.md then
    local cover = masthead_blocks(job.meta)
    cover:extend({ pandoc.Header(1, pandoc.Inlines(job.meta.title)),
                   pandoc.Para({ pandoc.Emph(pandoc.Inlines(job.meta.subtitle)) }) })
    cover:extend(fact_blocks(job.meta))
    local body = with_placed(doc, "md", figures, tables, texts)
    if job.apparatus then body = body:walk(apparatus.inline_numbers) end
    cover:extend(body:walk(plain_markdown).blocks)
    local md_doc = pandoc.Pandoc(cover, doc.meta)
    local md_format = "markdown-smart-simple_tables-multiline_tables-grid_tables"
    write_file(outputs.md, pandoc.write(md_doc, md_format, { wrap_text = "wrap-none" }))
  end
  if outputs.typst then
    local typst_doc = with_placed(doc, "typst", figures, tables, texts)
    if job.apparatus then typst_doc = typst_doc:walk(apparatus.inline_numbers) end
    typst_headings, typst_quotes = 0, 0
    typst_doc = typst_doc:walk(typst_directions)
    write_file(outputs.typst, pandoc.write(typst_doc, "typst", {
      template = template(job.templates.typst, "typst"),
      wrap_text = "wrap-none", -- a wrapped font name is a different font name
      table_of_contents = true,
      toc_depth = 2,
    }))
  end
  if outputs.docx then
    -- Trusted page break after the cover, added after sanitising.
    local body, annex_heading, renamed = with_placed(doc, "docx", figures, tables, texts)
    local blocks = masthead_blocks(job.meta)
    -- The Compact's name over the title, as on the PDF and HTML covers (docx.py moves it
    -- there, with the masthead: pandoc writes the title before the body).
    if not job.meta.form and type(job.meta.compact) == "string" and job.meta.compact ~= "" then
      blocks:insert(pandoc.Div({ pandoc.Para(pandoc.Inlines(job.meta.compact)) },
                               pandoc.Attr("", {}, { { "custom-style", "Cover Compact" } })))
    end
    blocks:extend(fact_blocks(job.meta))
    if headings then
      if annex_heading then headings[#headings + 1] = annex_heading end
      for i, h in ipairs(headings) do
        if renamed and h.identifier == renamed.identifier then headings[i] = renamed end
      end
      blocks:insert(PAGE_BREAK)
      blocks:extend(toc_blocks(headings, job.meta["toc-title"] or "Contents"))
    end
    blocks:extend(body.blocks)
    local docx_doc = pandoc.Pandoc(blocks, doc.meta)
    if job.docx_batch then -- written with others (`write_docx_batch`)
      docx_batch[#docx_batch + 1] = { doc = docx_doc, path = outputs.docx }
      answer.docx_later = true
    else
      write_file(outputs.docx, pandoc.write(docx_doc, "docx", {
        reference_doc = job.reference_doc,
      }))
    end
  end
end

local function meta_inlines(value)
  if value == nil then return pandoc.Inlines({}) end
  if pandoc.utils.type(value) == "string" then return pandoc.Inlines({ pandoc.Str(value) }) end
  return pandoc.Inlines(value)
end

local CORE_KEYS = { category = "cp:category", description = "dc:description",
                    lang = "dc:language", subject = "dc:subject" }

-- The document properties pandoc writes from a document's metadata (docProps/core.xml).
local function core_properties(meta)
  local keys = {}
  for key in pairs(CORE_KEYS) do
    if meta[key] ~= nil then keys[#keys + 1] = key end
  end
  table.sort(keys)
  local props = {}
  for i, key in ipairs(keys) do
    props[i] = { CORE_KEYS[key], pandoc.utils.stringify(meta[key]) }
  end
  return { title = pandoc.utils.stringify(meta.title or ""), properties = props }
end

local function write_docx_batch(request, answer)
  local docs = docx_batch
  docx_batch, docx_written = {}, docs
  local blocks = pandoc.Blocks({})
  local parts = {}
  for k, entry in ipairs(docs) do
    local doc = entry.doc
    local name = PART .. k
    local part = core_properties(doc.meta)
    part.heading = {} -- what the template writes before the body: "title", "subtitle"
    for _, field in ipairs({ "title", "subtitle" }) do
      local inlines = meta_inlines(doc.meta[field])
      if #inlines > 0 then
        part.heading[#part.heading + 1] = field
        blocks:insert(pandoc.Div({ pandoc.Para(inlines) },
                                 pandoc.Attr("", {}, { { "custom-style", TITLE_STYLES[field] } })))
      end
    end
    blocks:insert(pandoc.CodeBlock(name, pandoc.Attr(name)))
    blocks:insert(pandoc.Div(doc.blocks))
    parts[k] = part
  end
  -- The first document's metadata (its language, its direction) without the title
  -- block, which is in each part (a copy: the document may be written alone later).
  local meta = {}
  for key, value in pairs(docs[1].doc.meta) do
    if key ~= "title" and key ~= "subtitle" then meta[key] = value end
  end
  write_file(request.write_docx_batch, pandoc.write(pandoc.Pandoc(blocks, meta), "docx", {
    reference_doc = request.reference_doc,
  }))
  answer.parts = parts
end

-- One document alone, of the batch last written (`write_docx_batch`), to its own file:
-- the part Python could not cut as pandoc would have written it.
local function write_docx_alone(request, answer)
  local entry = docx_written[request.write_docx_alone]
  write_file(entry.path, pandoc.write(entry.doc, "docx",
                                      { reference_doc = request.reference_doc }))
end

-- The review site (gcmreview site) lays its pages out itself: it asks only for each
-- narrative as an HTML fragment, parsed and sanitised as above. Narratives are
-- written together in one document, each in a div of its own, and the output is
-- cut at those divs (a narrative can hold no div: the sanitiser unwraps them, and
-- raw HTML comes out escaped). A narrative with footnotes (`notes`) is written on
-- its own, its ids prefixed so that Python can make them unique on each page.
local FRAGMENT = "gcmreview-fragment-"
local NOTE_PREFIX = "gcmreview-note-"
local HTML_OPTIONS = { wrap_text = "wrap-none" }

local function cut_fragments(text, keys, out)
  local starts = {}
  local from = 1
  for i = 1, #keys do
    local open = '<div id="' .. FRAGMENT .. i .. '">'
    local s, e = text:find(open, from, true)
    if s == nil then return false end
    starts[i] = { s, e }
    from = e + 1
  end
  for i, key in ipairs(keys) do
    local stop = (starts[i + 1] and starts[i + 1][1] or #text + 1) - 1
    local chunk = text:sub(starts[i][2] + 1, stop):gsub("^%s+", ""):gsub("%s+$", "")
    if chunk:sub(-6) ~= "</div>" then return false end
    out[key] = chunk:sub(1, -7):gsub("%s+$", "")
  end
  return true
end

local function fragments(job, answer)
  local sources = narrative_sources(job.narratives, job.pack, answer)
  local languages = type(job.languages) == "table" and job.languages or {}
  local blocks = {}
  for _, item in ipairs(job.narratives) do
    local lang = languages[item.key]
    -- Set by the typography of its language, as in the reports (apparatus.lua).
    blocks[item.key] = type(lang) == "string" and (typeset_blocks(sources, item.key, lang, answer))
      or blocks_of(sources, item.key, answer)
  end
  local notes = {}
  for _, key in ipairs(job.notes or {}) do notes[key] = true end
  local html, keys, joined = {}, {}, pandoc.Blocks({})
  local function alone(key)
    html[key] = pandoc.write(pandoc.Pandoc(blocks[key]), "html5",
      { wrap_text = "wrap-none", identifier_prefix = NOTE_PREFIX })
  end
  for _, item in ipairs(job.narratives) do
    if notes[item.key] then
      alone(item.key)
    else
      keys[#keys + 1] = item.key
      joined:insert(pandoc.Div(blocks[item.key], pandoc.Attr(FRAGMENT .. #keys)))
    end
  end
  if #keys > 0 then
    local text = pandoc.write(pandoc.Pandoc(joined), "html5", HTML_OPTIONS)
    -- Not the layout expected (a note after all, a cut that fails): one write each.
    if text:find('class="footnote-ref"', 1, true) or not cut_fragments(text, keys, html) then
      for _, key in ipairs(keys) do alone(key) end
    end
  end
  answer.html = html
end

for line in io.lines() do
  if line ~= "" then
    local job = pandoc.json.decode(line, false)
    local answer = { id = job.id, parsed = {}, verified = {}, missing = {} }
    reads, walks = 0, 0
    local run = job.fragments and fragments or job.write_docx_batch and write_docx_batch
      or job.write_docx_alone and write_docx_alone or convert
    local ok, err = pcall(run, job, answer)
    answer.ok = ok
    answer.reads = reads
    answer.walks = walks
    if not ok then answer.error = tostring(err) end
    io.stdout:write(pandoc.json.encode(answer), "\n")
    io.stdout:flush()
  end
end
