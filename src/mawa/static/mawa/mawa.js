// Arabic-Indic and Persian digits typed into number-like fields become ASCII as they are typed,
// so dates such as ١٩٨٠-٠٥-٠١ read in the right order. The server accepts both anyway.
(function () {
  var map = {};
  "٠١٢٣٤٥٦٧٨٩".split("").forEach(function (d, i) { map[d] = String(i); });
  "۰۱۲۳۴۵۶۷۸۹".split("").forEach(function (d, i) { map[d] = String(i); });
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-digits=ascii], input[type=tel]")) return;
    var converted = field.value.replace(/[٠-٩۰-۹]/g, function (d) { return map[d]; });
    if (converted !== field.value) {
      var at = field.selectionStart;
      field.value = converted;
      field.setSelectionRange(at, at);
    }
  });
})();

// Behaviour that pages declare with data attributes (the Content-Security-Policy runs no
// inline event handlers): a <select data-autosubmit> submits its form when changed, and a
// <form data-confirm="question"> is sent only once the user confirms.
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
