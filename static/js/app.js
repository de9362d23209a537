// The CRM's own behaviour. Loaded as a file so the Content-Security-Policy needs no 'unsafe-inline'.
"use strict";

function setUpCopyButtons() {
  document.querySelectorAll("[data-copy-target]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copyTarget);
      const status = button.parentElement.querySelector(".copy-status");
      try {
        await navigator.clipboard.writeText(source.value);
        // The page gives the texts in its language (data-copied, data-copy-fallback).
        if (status) status.textContent = button.dataset.copied || "Copied.";
      } catch {
        // Clipboard access can be refused (plain http, permissions): leave the text selected.
        source.select();
        if (status) status.textContent = button.dataset.copyFallback || "Press Ctrl+C to copy.";
      }
    });
  });
}

// An account box: the visible box shows the account's name and is typed into; the hidden input
// beside it carries the picked account's id, which is what the server reads. As the user types,
// a list suggests accounts (name and city) from the box's lookup address; picking one with the
// mouse or the keyboard fills in both. Typing over the name clears the id, so an id never rides
// along with another name. A name typed in full that exactly one suggestion has is taken as
// picked when the box is left, as the server would take it. A box typed into before this script
// ran (the page was still loading) is looked up at once; an answer that arrives after a newer
// one is dropped. Whoever follows the account listens for "change" on the hidden input.
function setUpAccountPicker(picker, index) {
  const input = picker.querySelector("[data-account-lookup]");
  const hidden = picker.querySelector("[data-account-id]");
  if (!input || !hidden) return;
  const list = document.createElement("ul");
  list.id = `${input.id || `account-picker-${index}`}-suggestions`;
  list.className = "account-suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  picker.append(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  let rows = [];
  let active = -1;
  let timer;
  let latest = 0;

  const setId = (id) => {
    if (hidden.value === id) return;
    hidden.value = id;
    hidden.dispatchEvent(new Event("change", { bubbles: true }));
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (position) => {
    active = position;
    Array.from(list.children).forEach((option, i) => option.setAttribute("aria-selected", String(i === position)));
    const option = list.children[position];
    if (!option) return input.removeAttribute("aria-activedescendant");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  };
  const pick = (row) => {
    input.value = row.name;
    close();
    setId(String(row.id));
  };
  const sameName = (row) => row.name.trim().toLowerCase() === input.value.trim().toLowerCase();
  // The server's rule without a pick: a name typed in full names the one account that has it.
  const adoptExactName = () => {
    const same = rows.filter(sameName);
    if (!hidden.value && same.length === 1) setId(String(same[0].id));
  };
  const show = (results) => {
    // A newer answer (the user typed on) keeps the account the arrow keys had reached, so an
    // Enter that follows it still picks it rather than sending the form.
    const kept = active >= 0 && rows[active] ? rows[active].id : null;
    rows = results;
    list.replaceChildren(
      ...results.map((row, i) => {
        const option = document.createElement("li");
        option.id = `${list.id}-${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.accountId = row.id;
        const name = Object.assign(document.createElement("span"), { className: "name", textContent: row.name });
        const city = Object.assign(document.createElement("span"), { className: "city", textContent: row.city });
        option.append(name, city);
        // On mousedown, before the box loses its focus (which closes the list).
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          pick(row);
        });
        return option;
      }),
    );
    active = -1;
    if (results.length && document.activeElement === input) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      const again = results.findIndex((row) => row.id === kept);
      if (again >= 0) highlight(again);
    } else {
      close();
    }
  };
  const wanted = () => {
    const term = input.value.trim();
    return term.length >= 2 ? term : null;
  };
  const lookUp = async (term) => {
    const asked = ++latest;
    try {
      const response = await fetch(`${input.dataset.accountLookup}?q=${encodeURIComponent(term)}`);
      if (!response.ok || asked !== latest) return false;
      const { results } = await response.json();
      if (asked !== latest) return false;
      show(results);
      return true;
    } catch {
      return false; // No suggestions this time (offline, logged out): typing a name still works.
    }
  };

  input.addEventListener("input", () => {
    setId("");
    clearTimeout(timer);
    const term = wanted();
    if (term) {
      timer = setTimeout(() => lookUp(term), 200);
    } else {
      latest++;
      show([]);
    }
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && list.hidden && rows.length) {
      event.preventDefault();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(0);
    } else if (list.hidden) {
      return;
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % rows.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? rows.length - 1 : active - 1);
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      if (event.key === "Enter") event.preventDefault(); // picks; the form is not sent yet
      pick(rows[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);
  // Left with a name and no pick: take the one account of exactly that name, if there is one.
  input.addEventListener("change", async () => {
    const term = wanted();
    if (hidden.value || !term) return;
    if (await lookUp(term)) adoptExactName();
  });

  // Typed into before this script ran: the id the page came with no longer goes with the name.
  if (input.value !== input.defaultValue) setId("");
  const term = wanted();
  if (term && (document.activeElement === input || !hidden.value)) {
    lookUp(term).then((answered) => answered && adoptExactName());
  }
}

function setUpAccountPickers() {
  document.querySelectorAll("[data-account-picker]").forEach(setUpAccountPicker);
}

function setUpMailingToggle() {
  const same = document.getElementById("id_mailing-same_as_visit");
  const fieldset = document.querySelector("fieldset.mailing-address");
  if (!same || !fieldset) return;
  const fields = fieldset.querySelectorAll(".field:not(.field-checkbox)");
  const update = () => fields.forEach((field) => field.toggleAttribute("hidden", same.checked));
  same.addEventListener("change", update);
  update();
}

// A form with data-confirm="question" asks before it is sent: for actions that replace or remove.
function setUpConfirmations() {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
}

// Under the relationship type select, what the chosen type means: the words come from the
// "What do the types mean?" list on the same page, which the server fills from the admin's types.
function setUpTypeMeanings() {
  const meanings = document.querySelector("[data-type-meanings]");
  const select = meanings && document.getElementById(meanings.dataset.typeMeanings);
  if (!select) return;
  const field = select.closest(".field") || select.parentElement;
  let help = document.getElementById(`${select.id}_helptext`);
  if (!help) {
    help = document.createElement("small");
    help.className = "help";
    help.id = `${select.id}_helptext`;
    field.append(help);
  }
  help.setAttribute("aria-live", "polite");
  select.addEventListener("change", () => {
    const entry = meanings.querySelector(`[data-type-id="${CSS.escape(select.value)}"]`);
    help.textContent = entry ? entry.textContent : "";
  });
}

// On a phone the menu folds behind its button (app.css shows the button on narrow screens only).
// Escape closes it again and gives the focus back to the button.
function setUpMenuToggle() {
  const button = document.querySelector(".menu-toggle");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const setOpen = (open) => button.setAttribute("aria-expanded", String(open));
  setOpen(false);
  button.hidden = false;
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  // On the button as well as in the menu: right after opening it, the focus is still there.
  const closeOnEscape = (event) => {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    setOpen(false);
    button.focus();
  };
  menu.addEventListener("keydown", closeOnEscape);
  button.addEventListener("keydown", closeOnEscape);
}

// On a phone each table row is shown as a card (app.css): every cell gets the heading of its
// column as data-label, so the card says what each value is. Column spans are counted.
function labelTableCells() {
  document.querySelectorAll("table.table").forEach((table) => {
    const headRow = table.tHead?.rows[table.tHead.rows.length - 1];
    if (!headRow) return;
    const headings = [];
    Array.from(headRow.cells).forEach((cell) => {
      for (let i = 0; i < cell.colSpan; i++) headings.push(cell.textContent.trim());
    });
    Array.from(table.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row) => {
        let column = 0;
        Array.from(row.cells).forEach((cell) => {
          const heading = headings[column];
          if (heading && !cell.dataset.label) cell.dataset.label = heading;
          column += cell.colSpan;
        });
      });
    });
  });
}

// A refused form: the focus starts on its error summary, and each link there puts the focus in
// its field (a plain link to an id only scrolls).
function setUpErrorSummary() {
  const summary = document.querySelector(".error-summary");
  if (!summary) {
    // A small form refused on a long page (a credit hold without its reason) has no summary:
    // its first refused field takes the focus, so nobody is left at the top wondering.
    const refused = document.querySelector('form[method="post"] [aria-invalid="true"]');
    if (refused) {
      refused.focus();
      refused.scrollIntoView({ block: "center" });
    }
    return;
  }
  summary.focus();
  summary.querySelectorAll("[data-focus-field]").forEach((link) => {
    link.addEventListener("click", (event) => {
      const field = document.getElementById(link.dataset.focusField);
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
  });
}

// A new activity's "When" starts at now, which suits what happened; a task due now is overdue
// the moment it is saved. Made a task while "When" still says the page's now, it says when the
// server puts a task due by default (data-task-due: tomorrow 09:00, in the server's time zone),
// and made something else while it says that, now again. A time the user typed stays.
function setUpTaskDueDefault() {
  document.querySelectorAll("form[data-new-activity]").forEach((form) => {
    const kind = form.querySelector("select[name=kind]");
    const when = form.querySelector("input[name=occurred_at][data-task-due]");
    if (!kind || !when) return;
    const { now, taskDue } = when.dataset;
    let typed = false;
    when.addEventListener("input", () => { typed = true; });
    kind.addEventListener("change", () => {
      if (typed) return;
      if (kind.value === "task" && when.value === now) when.value = taskDue;
      else if (kind.value !== "task" && when.value === taskDue) when.value = now;
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpMenuToggle();
  setUpErrorSummary();
  labelTableCells();
  setUpConfirmations();
  setUpCopyButtons();
  setUpAccountPickers();
  setUpMailingToggle();
  setUpTypeMeanings();
  setUpTaskDueDefault();
});
