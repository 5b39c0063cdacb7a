/* The public website's own script (egovctl publish site): the search box on the home page
   and the print button. No libraries, no network: it works opened from disk (file://).
   Each service entry carries its search text in data-search (lower case, no accents). */
(function () {
  "use strict";

  function fold(text) {
    var s = String(text || "");
    if (s.normalize) {
      s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return s.toLowerCase();
  }

  function setupSearch() {
    var input = document.getElementById("cari");
    if (!input) {
      return;
    }
    var form = input.form;
    var count = document.getElementById("cari-hasil");
    var empty = document.getElementById("cari-kosong");
    var items = Array.prototype.slice.call(document.querySelectorAll("li[data-search]"));
    var groups = Array.prototype.slice.call(document.querySelectorAll(".agency-group"));
    var texts = items.map(function (li) { return li.getAttribute("data-search"); });

    function apply() {
      var words = fold(input.value).split(/[\s,]+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (li, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        li.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      groups.forEach(function (group) {
        group.hidden = words.length > 0 && !group.querySelector("li[data-search]:not([hidden])");
      });
      if (words.length === 0) {
        count.textContent = "";
      } else {
        count.textContent = shown + " layanan cocok dengan \u201c" + input.value.trim() + "\u201d";
      }
      empty.hidden = !(words.length > 0 && shown === 0);
    }

    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    input.addEventListener("input", apply);
    var given = null;
    try {
      given = new URLSearchParams(window.location.search).get("q");
    } catch (e) {
      given = null;
    }
    if (given) {
      input.value = given;
    }
    if (input.value) {
      apply();
    }
  }

  function setupPrint() {
    var buttons = document.querySelectorAll("[data-print]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  setupSearch();
  setupPrint();
}());
