// The CRM's own behaviour. Loaded as a file so the Content-Security-Policy needs no 'unsafe-inline'.
"use strict";

function setUpCopyButtons() {
  document.querySelectorAll("[data-copy-target]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copyTarget);
      const status = button.parentElement.querySelector(".copy-status");
      try {
        await navigator.clipboard.writeText(source.value);
        if (status) status.textContent = "Copied.";
      } catch {
        // Clipboard access can be refused (plain http, permissions): leave the text selected.
        source.select();
        if (status) status.textContent = "Press Ctrl+C to copy.";
      }
    });
  });
}

// An account box suggests accounts as the user types, from its own list and lookup address. A box
// already filled in and focused when this script runs (typed into before the page finished
// loading) is looked up at once, and an answer that arrives after a newer one is dropped.
function setUpAccountLookup() {
  document.querySelectorAll("[data-account-lookup]").forEach((input) => {
    const list = document.createElement("datalist");
    list.id = `${input.id}-suggestions`;
    input.after(list);
    input.setAttribute("list", list.id);
    let timer;
    let latest = 0;
    const lookUp = async (term) => {
      const asked = ++latest;
      const response = await fetch(`${input.dataset.accountLookup}?q=${encodeURIComponent(term)}`);
      if (!response.ok || asked !== latest) return;
      const { results } = await response.json();
      if (asked !== latest) return;
      list.replaceChildren(
        ...results.map((row) => Object.assign(document.createElement("option"), { value: row.label })),
      );
    };
    const wanted = () => {
      const term = input.value.trim();
      return term.length >= 2 && !term.includes("#") ? term : null;
    };
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const term = wanted();
      if (term) timer = setTimeout(() => lookUp(term), 200);
    });
    if (wanted() && document.activeElement === input) lookUp(wanted());
  });
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

document.addEventListener("DOMContentLoaded", () => {
  setUpConfirmations();
  setUpCopyButtons();
  setUpAccountLookup();
  setUpMailingToggle();
});
