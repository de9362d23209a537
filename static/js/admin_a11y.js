// Names for the admin's form fields that Django 5.2 leaves without one, so screen readers (and
// axe-core) can tell them apart: the boxes of a tabular inline take their column's heading
// ("Street, row 2"), select2's account boxes the label of the select they replace, a split date
// and time their row's label, and the search box its label. Rows added later are named too.
"use strict";

function nameTabularRows(root) {
  root.querySelectorAll(".tabular table").forEach((table) => {
    const headings = Array.from(table.querySelectorAll("thead th")).flatMap((th) =>
      Array(th.colSpan).fill(th.textContent.replace(/\s+/g, " ").trim()),
    );
    Array.from(table.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row, index) => {
        let column = 0;
        Array.from(row.cells).forEach((cell) => {
          const heading = headings[column];
          column += cell.colSpan;
          if (!heading) return;
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((field) => {
            if (field.labels?.length || field.hasAttribute("aria-label")) return;
            field.setAttribute("aria-label", `${heading} (${index + 1})`);
          });
        });
      });
    });
  });
}

function labelText(id) {
  const label = id && document.querySelector(`label[for="${CSS.escape(id)}"]`);
  return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
}

// The box and its text read as "<label> <chosen account>", the chosen name kept in the name.
function nameSelect2Boxes(root) {
  root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    const shown = select.nextElementSibling?.querySelector(".select2-selection__rendered");
    if (!label || !shown?.id) return;
    label.id ||= `${select.id}_label`;
    const names = `${label.id} ${shown.id}`;
    shown.setAttribute("aria-labelledby", names);
    shown.closest(".select2-selection")?.setAttribute("aria-labelledby", names);
  });
}

function nameSplitDateTimes(root) {
  root.querySelectorAll("p.datetime").forEach((row) => {
    const name = labelText(row.querySelector("input")?.id.replace(/_[01]$/, "_0")) || row.closest(".form-row")?.querySelector("label")?.textContent.trim() || "";
    row.querySelectorAll("input").forEach((input) => {
      if (input.labels?.length || input.hasAttribute("aria-label")) return;
      const part = input.id.endsWith("_1") ? "time" : "date";
      input.setAttribute("aria-label", `${name.replace(/:$/, "")} (${part})`);
    });
  });
}

function fixFilterIcons(root) {
  // SelectFilter2 puts aria-label on a bare <span>, where ARIA does not allow it.
  root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((icon) => icon.setAttribute("role", "img"));
}

function nameSearchBox() {
  const search = document.getElementById("searchbar");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", labelText("searchbar") || search.labels?.[0]?.querySelector("img")?.alt || "Search");
}

function nameAdminFields() {
  nameTabularRows(document);
  nameSelect2Boxes(document);
  nameSplitDateTimes(document);
  fixFilterIcons(document);
  nameSearchBox();
}

// select2 builds its boxes in a jQuery ready handler (which may run after the load event) and
// SelectFilter2 on load: name the fields after each, and again when an inline row is added.
if (window.django?.jQuery) window.django.jQuery(nameAdminFields);
window.addEventListener("load", nameAdminFields);
document.addEventListener("formset:added", nameAdminFields);
