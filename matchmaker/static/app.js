// A little script on top of pages that work without it: add certificate rows in place,
// copy links, confirm destructive actions. No library, served by the app.
(function () {
  "use strict";

  // "Add another certificate" clones the last row instead of reloading the form.
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    var body = document.querySelector('[data-repeat="' + button.dataset.addRow + '"]');
    if (!body) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var rows = body.querySelectorAll("tr");
      var next = rows.length;
      var row = rows[rows.length - 1].cloneNode(true);
      row.querySelectorAll("input, select").forEach(function (input) {
        input.name = input.name.replace(/-(\d+)-/, "-" + next + "-");
        input.id = input.name;
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      });
      row.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/-(\d+)-/, "-" + next + "-");
      });
      row.querySelectorAll(".field-error").forEach(function (node) { node.remove(); });
      row.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
      body.appendChild(row);
      row.querySelector("select, input").focus();
    });
  });

  // Copy buttons are hidden until the script can make them work; without it the link
  // stays selectable text.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copied || "✓";
      }, function () {
        field.select();  // the browser refused: leave the link selected to copy by hand
      });
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // "Tick all on this page" for the review queue's bulk decision; hidden without script.
  document.querySelectorAll("[data-tick-all]").forEach(function (box) {
    var boxes = document.querySelectorAll('input[type=checkbox][form="' + box.dataset.tickAll + '"]');
    box.closest("label").hidden = false;
    box.addEventListener("change", function () {
      boxes.forEach(function (other) { other.checked = box.checked; });
    });
  });

  // After a failed submission, bring the error summary into view for keyboard and screen readers.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
