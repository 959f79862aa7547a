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
