-- The apparatus of a report, set by batch.lua on each document: numbered paragraphs
-- and the footnotes that cite sources.
--
-- All of it is done on the document, before any writer: every format gets the same
-- numbers and the same notes, and "para. 12" means the same paragraph in the PDF, the
-- DOCX and the HTML. Narratives are cached as parsed, the same for every document
-- (batch.lua); their typography and numbers are set as each is placed in a document
-- (`typeset_json`, `number`), nothing of it goes into the cache.
--
-- Cost, per document: a French narrative's JSON gets its typography by a few string
-- substitutions before it is read; each paragraph of a narrative placed as a block of
-- its own is put in a div that holds its number (its words are not touched); one loop
-- over the top-level blocks hangs the source notes, when the skeleton has any. The
-- report's own words are set in Python (gcmreview.core.i18n.typeset), as the
-- interface's messages are.

-- === French and English typography ================================================
--
-- A French or English narrative is set by the rule gcmreview.core.i18n.typeset sets the
-- report's own words by (tests/test_notes.py holds the two to the same results). French:
-- a space typed before : ; ! ? » or after « becomes a no-break one (U+00A0). Both: the
-- straight apostrophe becomes the typographic one (’); in English, a straight quote at
-- a word's start opens a quotation (‘). Code and link targets are other elements, never
-- text; a word that is a web or e-mail address keeps its apostrophes, and so does raw
-- markup, shown as typed (the sanitiser makes it one word that starts with "<").
--
-- The rule is applied to the narrative's pandoc JSON, before it is read (`typeset_json`):
-- walking the blocks instead copies every word into Lua and back (measured: 0.9 ms a
-- narrative, a tenth of that for the text). In pandoc's JSON an unescaped `"` is never
-- inside a string, so `{"t":"Space"}` and `{"t":"Str","c":"` are always elements. A
-- narrative with an escaped character in a word (a `"` the reader kept, a backslash)
-- is walked (`typeset`), as the rule is simpler to hold there.

local NBSP = "\u{A0}"
local BEFORE = { [":"] = true, [";"] = true, ["!"] = true, ["?"] = true, ["\u{BB}"] = true }
local APOSTROPHES = { fr = true, en = true }

local function as_typed(word)
  return word:find("://", 1, true) or word:find("@", 1, true) or word:find("^%p*www%.")
    or word:sub(1, 1) == "<"
end

-- A word's apostrophes. A letter or digit is %w, or any byte of a character beyond
-- ASCII (é, ’): Python's \w, for these texts.
local function set_apostrophes(word, lang)
  if lang == "en" then
    word = word:gsub("^'([%w\128-\255])", "\u{2018}%1")
      :gsub("([^%w\128-\255'])'([%w\128-\255])", "%1\u{2018}%2")
  end
  return (word:gsub("'", "\u{2019}"))
end

local function spaced(inlines, i)
  local after, before = inlines[i + 1], inlines[i - 1]
  if after and after.t == "Str" then
    local first = after.text:match("^[%z\1-\127\194-\244][\128-\191]*")
    if BEFORE[first] then return true end
  end
  return before ~= nil and before.t == "Str" and before.text:sub(-2) == "\u{AB}"
end

local function walker(lang)
  return {
    Inlines = function(inlines)
      for i, element in ipairs(inlines) do
        if element.t == "Str" then
          if element.text:find("'", 1, true) and not as_typed(element.text) then
            element.text = set_apostrophes(element.text, lang)
          end
        elseif lang == "fr" and (element.t == "Space" or element.t == "SoftBreak")
            and spaced(inlines, i) then
          inlines[i] = pandoc.Str(NBSP)
        end
      end
      return inlines
    end,
  }
end
local WALKERS = { fr = walker("fr"), en = walker("en") }

local NBSP_STR = '{"t":"Str","c":"' .. NBSP .. '"}'

-- The JSON of a narrative in `lang`, set by its typography; nil when the blocks must
-- be walked instead (`typeset`).
local function typeset_json(json, lang)
  if not APOSTROPHES[lang] or (lang == "en" and not json:find("'", 1, true)) then
    return json -- English changes apostrophes only
  end
  if json:find('{"t":"Str","c":"[^"]*\\') then return nil end
  if lang == "fr" then
    for _, space in ipairs({ '{"t":"Space"}', '{"t":"SoftBreak"}' }) do
      if json:find(space, 1, true) then
        json = json:gsub(space .. ',({"t":"Str","c":"[:;!?])', NBSP_STR .. ",%1")
          :gsub(space .. ',({"t":"Str","c":"\u{BB})', NBSP_STR .. ",%1")
          :gsub('(\u{AB}"}),' .. space, "%1," .. NBSP_STR)
      end
    end
  end
  if json:find("'", 1, true) then
    json = json:gsub('{"t":"Str","c":"([^"]*\'[^"]*)"}', function(word)
      if as_typed(word) then return nil end
      return '{"t":"Str","c":"' .. set_apostrophes(word, lang) .. '"}'
    end)
  end
  return json
end

-- A narrative's blocks set by the typography of its language, walked.
local function typeset(blocks, lang)
  local walk = WALKERS[lang]
  if walk == nil then return blocks end
  local out = {}
  for i, block in ipairs(blocks) do out[i] = block:walk(walk) end
  return out
end

-- === Numbered paragraphs ===========================================================
--
-- Numbered: the paragraphs of narratives placed as blocks of their own (not inside a
-- list, a table, a quotation or a note), in document order. A paragraph that is bold
-- and nothing else is a heading written in a narrative (the sanitiser makes headings
-- so): it is not numbered, as headings are not. In HTML its id is `para-12`. A paragraph
-- of the template's own words is numbered in the same sequence when the template marks it
-- (render/templates.py `_numbered`; batch.lua `splice`).
--
-- A numbered paragraph is put in a `numbered` div (id `para-12`, its number in the
-- `number` attribute) and left as it is: reading a paragraph's words from Lua copies
-- them into Lua, and pandoc copies them all back when the document is written
-- (measured: 6 s of a 193-State build). Each format makes the div a number at the
-- paragraph's start: HTML and DOCX after pandoc writes them (batch.lua `finish_html`,
-- gcmreview/convert/docx.py), typst and Markdown before (`inline_numbers`).

local function is_heading_line(content)
  return #content == 0 or (#content == 1 and content[1].t == "Strong")
end

-- Whether a narrative whose JSON is `json` (nil: not known) may hold a paragraph that
-- is not numbered: only those paragraphs are looked into (a copy of them, so that the
-- paragraph itself is not copied back).
local function may_hold_unnumbered(json)
  return json == nil or json:find('{"t":"Para","c":[{"t":"Strong"', 1, true)
    or json:find('{"t":"Para","c":[]}', 1, true)
end

-- A narrative's blocks as placed, its paragraphs numbered (`numbering`: {count, number
-- = "{number}."}); `json` is what they were read from, when known.
local function number(blocks, numbering, json)
  local look = may_hold_unnumbered(json)
  local out = {}
  for i, block in ipairs(blocks) do
    if block.t == "Para" and not (look and is_heading_line(block:clone().content)) then
      numbering.count = numbering.count + 1
      local n = numbering.count
      block = pandoc.Div({ block }, pandoc.Attr("para-" .. n, { "numbered" },
        { { "number", (numbering.number:gsub("{number}", n)) } }))
    end
    out[i] = block
  end
  return out
end

-- The numbered divs made paragraphs that start with their number (a `para-number`
-- span), for the writers that cannot do it afterwards (typst, Markdown).
local inline_numbers = {
  Div = function(div)
    if div.classes[1] ~= "numbered" or div.identifier:sub(1, 5) ~= "para-" then return nil end
    local para = div.content[1]
    local inlines = para.content
    inlines:insert(1, pandoc.Space())
    inlines:insert(1, pandoc.Span({ pandoc.Str(div.attributes["number"]) },
      pandoc.Attr(div.identifier, { "para-number" })))
    return pandoc.Para(inlines)
  end,
}

local function note_of(span)
  local note = span.attributes["lang"]
  local content = span.content
  if note ~= nil then -- a note in another language than the text it hangs on
    content = { pandoc.Span(content, pandoc.Attr("", {},
      { { "lang", note }, { "dir", span.attributes["dir"] } })) }
  end
  return pandoc.Note({ pandoc.Para(content) })
end

-- === Source notes ==================================================================
--
-- The template writes the sources of a place as a `notes` div holding a `note` span
-- (templates/report.md.j2, `cites`). It becomes a footnote at the end of the last
-- paragraph of the narrative just before it in the same section; without one there,
-- at the end of the paragraph just before it; else in a paragraph of its own. A `note`
-- span the template wrote in a paragraph (the attribution of a quotation in the
-- regional report) becomes a footnote where it is.

local function notes_of(div)
  local out = pandoc.Inlines({})
  for _, block in ipairs(div.content) do
    if block.t == "Para" or block.t == "Plain" then out:extend(block.content) end
  end
  return out
end

local function last_paragraph(blocks)
  for i = #blocks, 1, -1 do
    local block = blocks[i]
    if block.t == "Para" or block.t == "Plain"
        or (block.t == "Div" and block.classes[1] == "numbered") then
      return i
    end
  end
  return nil
end

-- The notes made footnotes, in the document's language: their text is the
-- document's, a narrative in another language around them or not.
local function footnotes(notes, around, settings)
  local out = pandoc.Inlines({})
  for _, inline in ipairs(notes) do
    if inline.t == "Span" and inline.classes:includes("note") then
      if around ~= settings.lang then
        inline.attributes["lang"], inline.attributes["dir"] = settings.lang, settings.dir
      end
      inline = note_of(inline)
    end
    out:insert(inline)
  end
  return out
end

-- Hangs `notes` on blocks[i], a paragraph, or a narrative div's last paragraph.
local function hang(blocks, i, notes, settings)
  local target = blocks[i]
  if target.t == "Div" then
    local content = target.content
    local at = last_paragraph(content)
    if at == nil then return false end
    hang(content, at, footnotes(notes, target.attributes["lang"], settings), settings)
    target.content = content
    return true
  end
  local inlines = target.content
  inlines:extend(footnotes(notes, settings.lang, settings))
  blocks[i] = target.t == "Plain" and pandoc.Plain(inlines) or pandoc.Para(inlines)
  return true
end

-- Blocks stay in Lua tables while a note may still be hung on them; a div's content
-- (`state.later`) is written back at the end, innermost first: assigning copies it.
local function structure(blocks, state, settings)
  local out = {}
  for _, block in ipairs(blocks) do
    if block.t == "Header" then
      state.narrative, state.paragraph = nil, nil
      out[#out + 1] = block
    elseif block.t == "Div" and block.classes:includes("notes") then
      local notes = notes_of(block)
      local narrative_at, paragraph = state.narrative, state.paragraph
      if not (narrative_at and hang(narrative_at.blocks, narrative_at.index, notes, settings))
          and not (paragraph and hang(paragraph.blocks, paragraph.index, notes, settings)) then
        out[#out + 1] = pandoc.Para(footnotes(notes, settings.lang, settings))
      end
      state.narrative, state.paragraph = nil, nil
    elseif block.t == "Div" and not block.classes:includes("narrative") then
      local content = structure(block.content, state, settings)
      state.later[#state.later + 1] = { div = block, content = content }
      out[#out + 1] = block
    else
      out[#out + 1] = block
      if block.t == "Div" then
        state.narrative = { blocks = out, index = #out }
      elseif block.t == "Para" then
        state.paragraph = { blocks = out, index = #out }
      end
    end
  end
  return out
end

-- The document once its narratives are placed: its notes divs (`divs`: the skeleton
-- has some) made footnotes, and its `note` spans (`spans`: it has some outside notes
-- divs, a quotation's attribution in the regional report). A document with neither
-- is not walked. settings: {lang, dir, number, notes_title}.
local function finish(doc, settings, divs, spans)
  if divs then
    local meta = doc.meta
    local state = { later = {} }
    local blocks = structure(doc.blocks, state, settings)
    for _, item in ipairs(state.later) do item.div.content = item.content end
    doc = pandoc.Pandoc(blocks)
    doc.meta = meta
  end
  if spans then
    doc = doc:walk({ Span = function(span)
      if span.classes:includes("note") then return note_of(span) end
    end })
  end
  return doc
end

return { typeset_json = typeset_json, typeset = typeset, number = number,
         inline_numbers = inline_numbers, finish = finish }
