// Quote and order forms: add line rows, and fill the address and contact lists of the chosen
// customer and seller. Loaded as a file so the Content-Security-Policy needs no 'unsafe-inline'.
"use strict";

function setUpAddLine() {
  const button = document.querySelector("[data-add-line]");
  const template = document.getElementById("line-template");
  const body = document.querySelector(".lines-table tbody");
  const total = document.getElementById("id_lines-TOTAL_FORMS");
  if (!button || !template || !body || !total) return;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    body.lastElementChild.querySelector("input")?.focus();
  });
}

function fillSelect(select, rows) {
  const keep = select.value;
  const empty = select.options[0];
  select.replaceChildren(
    empty,
    ...rows.map((row) => Object.assign(document.createElement("option"), { value: row.id, textContent: row.label })),
  );
  if (rows.some((row) => String(row.id) === keep)) select.value = keep;
}

// An order for a customer on credit hold is blocked unless prepaid: say so before it is
// submitted, and offer the "Enter it anyway, blocked" tick only then.
function showHoldWarning(form, text) {
  const warning = form.querySelector("[data-hold-warning]");
  if (!warning) return;
  warning.textContent = text || "";
  warning.hidden = !text;
  const tick = form.querySelector("[data-enter-blocked]")?.closest(".field");
  if (tick) tick.hidden = !text;
}

// The id of the chosen account is in the account box's hidden input (static/js/app.js fills it
// in and announces each change there).
function setUpAccountChoices() {
  const form = document.querySelector("[data-choices-url]");
  if (!form) return;
  const warning = form.querySelector("[data-hold-warning]");
  if (warning) showHoldWarning(form, warning.textContent.trim());
  const targets = { address: "[data-address-select]", contact: "[data-contact-select]" };
  form.querySelectorAll("[data-choices-for]").forEach((input) => {
    const hidden = input.closest("[data-account-picker]")?.querySelector("[data-account-id]");
    if (!hidden) return;
    const chosen = () => (/^[0-9]+$/.test(hidden.value) ? hidden.value : null);
    // The server filled the lists for the account the page came with. What the box holds now may
    // differ (typed before the scripts ran, or restored by the browser): refresh then.
    let shown = /^[0-9]+$/.test(hidden.defaultValue) ? hidden.defaultValue : null;
    const refresh = async () => {
      const id = chosen();
      if (id === shown) return;
      shown = id;
      const selects = form.querySelectorAll(targets[input.dataset.choicesFor]);
      if (!id) {
        selects.forEach((select) => fillSelect(select, []));
        if (input.dataset.choicesFor === "address") showHoldWarning(form, "");
        return;
      }
      const url = form.dataset.choicesUrl.replace("/0/", `/${id}/`);
      const response = await fetch(url);
      // A newer choice may have been made while this one was on its way.
      if (!response.ok || id !== shown) return;
      const data = await response.json();
      if (id !== shown) return;
      const rows = input.dataset.choicesFor === "address" ? data.addresses : data.contacts;
      selects.forEach((select) => fillSelect(select, rows));
      if (input.dataset.choicesFor === "address") showHoldWarning(form, data.credit_hold_warning);
    };
    hidden.addEventListener("change", refresh);
    refresh();
  });
}

// A new form's one-time key (sales.services.AlreadySubmitted) belongs to its history entry.
// On Back, Chromium fetches the form again, with a new key, and restores only what was typed:
// the entry's first key goes back in, so submitting it again finds what it saved.
function keepSubmissionKeyOfThisEntry() {
  const key = document.querySelector("input[name=submission]");
  if (!key) return;
  const navigation = performance.getEntriesByType("navigation")[0];
  const kept = history.state?.submission;
  if (navigation?.type === "back_forward" && kept) {
    key.value = kept;
  } else {
    history.replaceState({ ...history.state, submission: key.value }, "");
  }
}

document.addEventListener("DOMContentLoaded", () => {
  keepSubmissionKeyOfThisEntry();
  setUpAddLine();
  setUpAccountChoices();
});
