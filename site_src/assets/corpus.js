// Sort and filter the corpus table of the home page (static HTML; without scripts it is a plain table).
//
// A header click sorts by the column (numbers by their data-v value, text in Chinese collation);
// the filter box matches any text of a row, the selects match one column exactly.
// Runs on every page Material shows (instant navigation emits on document$).
(function () {
  "use strict";

  function cellValue(row, col) {
    var cell = row.cells[col];
    if (!cell) return "";
    return cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
  }

  function compare(a, b, numeric) {
    if (numeric) {
      var x = a === "" ? -Infinity : parseFloat(a);
      var y = b === "" ? -Infinity : parseFloat(b);
      return x - y;
    }
    return a.localeCompare(b, "zh-CN");
  }

  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = rows.some(function (r) { return r.cells[col] && r.cells[col].hasAttribute("data-v"); });
    var descending = th.getAttribute("aria-sort") === "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.sort(function (a, b) {
      var d = compare(cellValue(a, col), cellValue(b, col), numeric);
      return descending ? -d : d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function applyFilter(table, controls) {
    var text = "";
    var exact = [];
    controls.querySelectorAll("[data-filter]").forEach(function (el) {
      if (el.dataset.filter === "text") text = el.value.trim().toLowerCase();
      else if (el.value) exact.push([parseInt(el.dataset.filter, 10), el.value]);
    });
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
      var ok = (!text || r.textContent.toLowerCase().indexOf(text) >= 0) &&
        exact.every(function (f) { return r.cells[f[0]] && r.cells[f[0]].textContent.trim() === f[1]; });
      r.hidden = !ok;
      if (ok) shown += 1;
    });
    var count = controls.querySelector(".juesuan-filter__count");
    if (count) count.textContent = "显示 " + shown + " / " + table.tBodies[0].rows.length + " 份";
  }

  function wire(table) {
    if (table.dataset.wired === "1") return;
    table.dataset.wired = "1";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "juesuan-sort";
      button.textContent = th.textContent;
      button.title = "按此列排序";
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, col, th); });
    });
    var wrapper = table.closest(".juesuan-table");
    var controls = wrapper && wrapper.previousElementSibling;
    if (controls && controls.classList.contains("js-corpus-filter")) {
      controls.hidden = false;
      controls.querySelectorAll("[data-filter]").forEach(function (el) {
        el.addEventListener("input", function () { applyFilter(table, controls); });
      });
      applyFilter(table, controls);
    }
  }

  function wireAll() {
    document.querySelectorAll("table[data-corpus-table]").forEach(wire);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(wireAll);
  } else {
    document.addEventListener("DOMContentLoaded", wireAll);
  }
})();
