// gcmreview review site: the filters of the objectives pages. Pages work without
// it: every response is shown, and the filter forms stay hidden.
"use strict";

function applyFilter(form) {
  const name = form.dataset.filter;
  const shown = new Set([...form.querySelectorAll("input[type=checkbox]")]
    .filter((box) => box.checked).map((box) => box.value));
  const attribute = name === "status" ? "status" : "roundTable";
  for (const block of document.querySelectorAll(`[data-${name}]`)) {
    if (block === form) continue;
    block.hidden = !shown.has(block.dataset[attribute]);
  }
}

function startFilters() {
  for (const form of document.querySelectorAll("form.filters[data-filter]")) {
    form.hidden = false;
    form.addEventListener("change", () => applyFilter(form));
    form.addEventListener("submit", (event) => event.preventDefault());
    applyFilter(form);
  }
  document.documentElement.classList.add("js");
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", startFilters);
} else {
  startFilters();
}
