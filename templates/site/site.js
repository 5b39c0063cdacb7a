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
    var groups = Array.prototype.slice.call(document.querySelectorAll(".agency-group"));
    var lists = [];
    Array.prototype.forEach.call(document.querySelectorAll("ul.services"), function (ul) {
      var entries = Array.prototype.slice.call(ul.querySelectorAll("li[data-search]"))
        .map(function (li, position) {
          var name = li.querySelector(".service-name");
          return {li: li, position: position, score: 0, text: li.getAttribute("data-search"),
            name: " " + fold(name ? name.textContent : "").replace(/[^a-z0-9]+/g, " ")};
        });
      lists.push({ul: ul, entries: entries, order: entries.slice()});
    });
    var total = lists.reduce(function (n, list) { return n + list.entries.length; }, 0);

    // Every word typed must appear somewhere (so "lahir" finds "kelahiran"); entries whose
    // name holds the words, best at the start of a word, come first within their agency.
    function score(entry, words) {
      var sum = 0;
      for (var i = 0; i < words.length; i += 1) {
        if (entry.text.indexOf(words[i]) === -1) {
          return -1;
        }
        if (entry.name.indexOf(" " + words[i]) !== -1) {
          sum += 3;
        } else if (entry.name.indexOf(words[i]) !== -1) {
          sum += 2;
        }
      }
      return sum;
    }

    function byScore(a, b) {
      return (b.score - a.score) || (a.position - b.position);
    }

    function apply() {
      var words = fold(input.value).split(/[\s,]+/).filter(Boolean);
      var shown = 0;
      lists.forEach(function (list) {
        list.entries.forEach(function (entry) {
          entry.score = words.length ? score(entry, words) : 0;
          var hide = entry.score < 0;
          if (entry.li.hidden !== hide) {
            entry.li.hidden = hide;
          }
          if (!hide) {
            shown += 1;
          }
        });
        // Move nodes only when the order changes: re-inserting thousands is what costs.
        var order = list.entries.slice().sort(byScore);
        var same = order.every(function (entry, i) { return entry === list.order[i]; });
        if (!same) {
          order.forEach(function (entry) { list.ul.appendChild(entry.li); });
          list.order = order;
        }
      });
      groups.forEach(function (group) {
        var hide = words.length > 0 && !group.querySelector("li[data-search]:not([hidden])");
        if (group.hidden !== hide) {
          group.hidden = hide;
        }
      });
      if (words.length === 0) {
        count.textContent = "";
      } else {
        count.textContent = shown + " layanan cocok dengan \u201c" + input.value.trim() + "\u201d";
      }
      empty.hidden = !(words.length > 0 && shown === 0);
    }

    // A long catalogue on a slow phone: filter once the typing pauses, not on every key.
    var timer = null;
    function schedule() {
      if (total < 400) {
        apply();
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(apply, 120);
    }

    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    input.addEventListener("input", schedule);
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
