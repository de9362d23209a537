// The admin export page's "Select all" box. django-import-export wires it with an inline
// onchange handler, which our Content-Security-Policy refuses; our copy of its template drops
// that attribute and this file attaches the package's own handler instead.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
