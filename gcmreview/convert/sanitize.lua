-- What a narrative may hold, applied to its parsed tree: the sanitiser that
-- batch.lua (reports, forms) and word.lua (imports) share. The policy table
-- comes from gcmreview/core/narrative.py: {actions = {element type = action},
-- safe_schemes}. Returns the pandoc filter.

return function(POLICY)
  local function safe_url(target)
    local lowered = target:lower():gsub("%s", "")
    for _, scheme in ipairs(POLICY.safe_schemes) do
      if lowered:sub(1, #scheme + 1) == scheme .. ":" then return true end
    end
    return false
  end

  local NO_ATTR = pandoc.Attr()

  -- The sanitiser's actions, named by the policy table.
  local ACTIONS = {
    -- Raw HTML or raw markup: the text that was typed.
    as_text = function(el)
      if el.t == "RawBlock" then return pandoc.CodeBlock(el.text) end
      if el.t == "Math" then
        local fence = el.mathtype == "DisplayMath" and "$$" or "$"
        return pandoc.Str(fence .. el.text .. fence)
      end
      return pandoc.Str(el.text)
    end,
    alt_text = function(el)
      if el.t == "Figure" then return el.content end
      local alt = pandoc.utils.stringify(el.caption)
      if alt == "" then alt = "image" end
      return pandoc.Emph({ pandoc.Str("[" .. alt .. "]") })
    end,
    bold_paragraph = function(el) return pandoc.Para({ pandoc.Strong(el.content) }) end,
    safe_link = function(el)
      if not safe_url(el.target) then return el.content end
      el.attr = NO_ATTR
      return el
    end,
    content = function(el) return el.content end,
    -- Keep a simple language class for code, drop ids and attributes.
    plain_code = function(el)
      local class = el.attr.classes[1]
      el.attr = (class and class:match("^[%w_+-]+$")) and pandoc.Attr("", { class }) or NO_ATTR
      return el
    end,
    no_attributes = function(el) el.attr = NO_ATTR return el end,
  }

  local sanitize = {}
  for element, action in pairs(POLICY.actions) do
    sanitize[element] = assert(ACTIONS[action], "unknown sanitiser action " .. action)
  end
  return sanitize
end
