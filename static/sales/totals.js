// Running totals of the quote and order forms: each line's amount, the subtotal, VAT and the
// total, worked out as the lines are typed. Only a guide: the server works them out again on
// save (sales/totals.py), with the same rules: amounts in cents, rounded half up.
// Numbers are read and shown with the page language's separators, which the form carries in
// data-decimal-separator and data-thousand-separator (Django's formats): read as the server
// reads them (thousands only where data-thousand-in-input says the boxes take them), and
// shown grouped with the currency as the money filter shows amounts (data-money: "€{amount}").
"use strict";

// Exact arithmetic in hundredths with BigInt: a float would round 1.005 the wrong way.
const SCALE = 100n;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// "1.234,5" (Dutch) or "1,234.5" (English) as hundredths (123450n); null when it is not a
// number with at most two decimals, as the server would refuse it.
function parseHundredths(text, separators) {
  let value = text.trim().replace(/\s/g, "");
  if (!value) return null;
  if (separators.thousandInInput && separators.thousand && separators.thousand !== separators.decimal) {
    // As the server reads it (common.forms.without_thousands_separator): a Dutch "10.50", one
    // dot without three digits after it, is a decimal point, not thousands.
    const groups = value.split(separators.decimal)[0].split(separators.thousand);
    const pointMeant = separators.thousand === "." && groups.length === 2 && groups[1].length !== 3;
    if (!pointMeant) {
      // Only between groups of three digits, as the server: "1234,56" in English is refused.
      const wellGrouped = groups.length === 1 || (
        groups[0].replace(/^[+-]/, "").length >= 1 && groups[0].replace(/^[+-]/, "").length <= 3
        && groups.slice(1).every((group) => group.length === 3));
      if (!wellGrouped) return null;
      value = value.replace(new RegExp(escapeRegExp(separators.thousand), "g"), "");
    }
  }
  value = value.replace(separators.decimal, ".");
  const match = /^([0-9]*)(?:\.([0-9]{0,2}))?$/.exec(value);
  if (!match || (match[1] === "" && !match[2])) return null;
  return BigInt(match[1] || "0") * SCALE + BigInt((match[2] || "").padEnd(2, "0"));
}

// Divide and round half up; every figure here is zero or more.
function divideRounded(numerator, denominator) {
  return (numerator + denominator / 2n) / denominator;
}

function formatCents(cents, separators) {
  const whole = (cents / SCALE).toString();
  const fraction = (cents % SCALE).toString().padStart(2, "0");
  const grouped = whole.replace(/\B(?=([0-9]{3})+$)/g, separators.thousand);
  return `${grouped}${separators.decimal}${fraction}`;
}

function formatMoney(cents, separators) {
  return separators.money.replace("{amount}", formatCents(cents, separators));
}

// The line's amount in cents: quantity x unit price less the discount, as sales/totals.py
// line_amount; null for a blank, removed or unreadable line.
function lineCents(row, separators) {
  const field = (name) => row.querySelector(`input[name$="-${name}"]`);
  if (field("DELETE")?.checked) return null;
  const price = field("unit_price");
  if (!price || !price.value.trim()) return null;
  const quantity = parseHundredths(field("quantity")?.value || "", separators);
  const unitPrice = parseHundredths(price.value, separators);
  const discountText = field("discount_percent")?.value.trim() || "0";
  const discount = parseHundredths(discountText, separators);
  if (quantity === null || unitPrice === null || discount === null || discount > 100n * SCALE) {
    return null;
  }
  // quantity x price x (100 - discount) / 100, all in hundredths: cents = Q x P x (10000 - D) / 10^6.
  return divideRounded(quantity * unitPrice * (100n * SCALE - discount), 1000000n);
}

function setUpTotals() {
  const form = document.querySelector("[data-running-totals]");
  const table = form?.querySelector(".lines-table");
  if (!form || !table) return;
  const separators = {
    decimal: form.dataset.decimalSeparator || ".",
    thousand: form.dataset.thousandSeparator || "",
    thousandInInput: "thousandInInput" in form.dataset,
    money: form.dataset.money || "{amount}",
  };
  const vatInput = form.querySelector('input[name="vat_rate"]');
  const show = (selector, text) => {
    const output = table.querySelector(selector);
    if (output) output.textContent = text;
  };

  const update = () => {
    let subtotal = 0n;
    table.querySelectorAll("tbody tr").forEach((row) => {
      const cents = lineCents(row, separators);
      const output = row.querySelector("[data-line-amount]");
      if (output) output.textContent = cents === null ? "" : formatMoney(cents, separators);
      if (cents !== null) subtotal += cents;
    });
    const rate = parseHundredths(vatInput?.value || "0", separators);
    show("[data-subtotal]", formatMoney(subtotal, separators));
    show("[data-vat-rate]", vatInput ? vatInput.value.trim() : "");
    if (rate === null || rate > 100n * SCALE) {
      show("[data-vat]", "");
      show("[data-total]", "");
      return;
    }
    // VAT on the subtotal, the rate in hundredths of a percent: cents x R / 10000.
    const vat = divideRounded(subtotal * rate, 10000n);
    show("[data-vat]", formatMoney(vat, separators));
    show("[data-total]", formatMoney(subtotal + vat, separators));
  };

  // One listener for the whole form: lines added later are covered too.
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.querySelector("[data-add-line]")?.addEventListener("click", () => setTimeout(update));
  table.querySelector("tfoot")?.removeAttribute("hidden");
  update();
}

document.addEventListener("DOMContentLoaded", setUpTotals);
