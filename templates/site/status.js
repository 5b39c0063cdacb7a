/* Status look-up for status.html (egovctl publish site --status). The data comes from
   status-data.*.js, loaded before this script, which sets window.EGOVCTL_STATUS:
   {statuses: [[status, label, hint]], procedures: [[code, name, hasPage]],
    requests: {prefix: {serial: [status, procedure, received, due, finished]}}}
   with days counted from 1970-01-01. Nothing is sent anywhere. */
(function () {
  "use strict";

  var DAYS = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"];
  var MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember"];
  var DATA = window.EGOVCTL_STATUS || {statuses: [], procedures: [], requests: {}};

  function dayDate(n) {
    return new Date(n * 86400000);
  }

  function longDate(n) {
    var d = dayDate(n);
    return DAYS[d.getUTCDay()] + ", " + d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] +
      " " + d.getUTCFullYear();
  }

  function todayNumber() {
    var now = new Date();
    return Math.floor(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) / 86400000);
  }

  function normalize(text) {
    return String(text || "").trim().toUpperCase().replace(/[\s_\/]+/g, "-").replace(/-+/g, "-");
  }

  function find(number) {
    var cut = number.lastIndexOf("-");
    var block = DATA.requests[number.slice(0, Math.max(cut, 0))];
    var row = block ? block[number.slice(cut + 1)] : undefined;
    return row || null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function addRow(list, label, value) {
    var wrap = el("div");
    wrap.appendChild(el("dt", "", label));
    var dd = el("dd");
    if (typeof value === "string") {
      dd.textContent = value;
    } else {
      dd.appendChild(value);
    }
    wrap.appendChild(dd);
    list.appendChild(wrap);
  }

  function findComplaint(number) {
    var cut = number.lastIndexOf("-");
    var block = (DATA.complaints || {})[number.slice(0, Math.max(cut, 0))];
    var row = block ? block[number.slice(cut + 1)] : undefined;
    return row || null;
  }

  /* A complaint (ADU-...): its status and dates only, never who complained or what about. */
  function showComplaint(out, number) {
    var row = findComplaint(number);
    if (!row) {
      var missing = el("div", "result result-missing");
      missing.appendChild(el("h2", "", "Nomor tidak ditemukan"));
      missing.appendChild(el("p", "", "Nomor pengaduan " + number + " tidak ada dalam data. " +
        "Periksa kembali nomor pada tanda terima pengaduan, atau tanyakan kepada petugas."));
      out.appendChild(missing);
      return;
    }
    var status = (DATA.complaint_statuses || [])[row[0]] || ["", "-", null];
    var box = el("div", "result result-complaint-" + status[0].replace("_", "-"));
    box.appendChild(el("h2", "", "Status pengaduan: " + status[1]));
    var list = el("dl", "result-details");
    addRow(list, "Nomor pengaduan", number);
    addRow(list, "Tanggal diterima", longDate(row[1]));
    addRow(list, "Tenggat tanggapan", longDate(row[2]));
    if (row[3] !== null && row[3] !== undefined) {
      addRow(list, "Ditanggapi pada", longDate(row[3]));
    }
    if (row[4] !== null && row[4] !== undefined) {
      addRow(list, "Selesai pada", longDate(row[4]));
    }
    box.appendChild(list);
    if (status[2]) {
      box.appendChild(el("p", "result-hint", status[2]));
    }
    out.appendChild(box);
  }

  function show(number) {
    var out = document.getElementById("hasil");
    out.textContent = "";
    if (!number) {
      return;
    }
    if (number.indexOf("ADU-") === 0) {
      showComplaint(out, number);
      return;
    }
    var row = find(number);
    if (!row) {
      var missing = el("div", "result result-missing");
      missing.appendChild(el("h2", "", "Nomor tidak ditemukan"));
      missing.appendChild(el("p", "", "Nomor pendaftaran " + number + " tidak ada dalam data. " +
        "Periksa kembali nomor pada bukti pendaftaran. Permohonan yang baru saja didaftarkan, " +
        "atau yang selesai lebih dari " + (DATA.window_days || 90) + " hari yang lalu, belum " +
        "atau tidak lagi dapat dicek di sini; silakan tanyakan kepada petugas loket."));
      out.appendChild(missing);
      return;
    }
    var status = DATA.statuses[row[0]] || ["", "-", null];
    var statusKey = status[0];
    var proc = DATA.procedures[row[1]] || ["", "-", 0];
    var box = el("div", "result result-" + statusKey.replace("_", "-"));
    box.appendChild(el("h2", "", "Status: " + status[1]));
    var list = el("dl", "result-details");
    addRow(list, "Nomor pendaftaran", number);
    var procValue = proc[1];
    if (proc[2]) {
      procValue = el("a", "", proc[1]);
      procValue.href = "layanan/" + proc[0] + ".html";
    }
    addRow(list, "Layanan", procValue);
    addRow(list, "Tanggal diterima", longDate(row[2]));
    addRow(list, "Target selesai", longDate(row[3]));
    if (row[4] !== null && row[4] !== undefined) {
      var doneLabel = {ready: "Selesai pada", delivered: "Diserahkan pada",
        rejected: "Ditolak pada", cancelled: "Dibatalkan pada"}[statusKey] || "Tanggal";
      addRow(list, doneLabel, longDate(row[4]));
    }
    box.appendChild(list);
    if (status[2]) {
      box.appendChild(el("p", "result-hint", status[2]));
    }
    if (statusKey === "in_progress" && todayNumber() > row[3]) {
      box.appendChild(el("p", "result-hint", "Permohonan ini telah melewati target selesai. " +
        "Mohon maaf atas keterlambatan; silakan hubungi petugas pengaduan."));
    }
    out.appendChild(box);
  }

  var form = document.getElementById("cek-status");
  var input = document.getElementById("nomor");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    input.value = normalize(input.value);
    show(input.value);
  });
  var given = null;
  try {
    given = new URLSearchParams(window.location.search).get("no");
  } catch (e) {
    given = null;
  }
  if (given) {
    input.value = normalize(given);
    show(input.value);
  }
}());
