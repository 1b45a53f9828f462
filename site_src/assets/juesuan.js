// Draw every chart on the page with the self-hosted Plotly.js.
//
// Material's instant navigation swaps page content without a full reload and emits on
// document$ each time, so charts are drawn from its subscription. When it swaps content it
// re-creates inline <script> elements without their attributes, so a chart's spec is looked up
// by id first and, failing that, as the <script> right after its container.
(function () {
  "use strict";

  function specElement(container) {
    var byId = document.getElementById(container.dataset.specId);
    if (byId) return byId;
    var next = container.nextElementSibling;
    return next && next.tagName === "SCRIPT" ? next : null;
  }

  function draw(container) {
    if (container.dataset.drawn === "1" || typeof Plotly === "undefined") return;
    var script = specElement(container);
    if (!script) return;
    var parsed = JSON.parse(script.textContent);
    var spec = Array.isArray(parsed) ? parsed[0] : parsed;
    var layout = Object.assign({}, spec.layout || {}, { autosize: true });
    // No mode bar: its buttons are English and one offers to upload the data to a third party.
    // Without zoom there is no English "double-click" hint either.
    Plotly.newPlot(container, spec.data || [], layout, {
      responsive: true,
      displayModeBar: false,
      displaylogo: false,
      scrollZoom: false,
      doubleClick: false,
      showTips: false,
    });
    container.dataset.drawn = "1";
  }

  function drawAll() {
    document.querySelectorAll(".js-chart").forEach(draw);
    document.querySelectorAll(".js-chart-toolbar").forEach(setUpToolbar);
  }

  // Chart toolbar (嵌入 / 数据 / 图片 / 引用). The build writes the dated copy's address
  // relative to the page (it does not know where the site is served); make it absolute here.
  function absolute(rel) {
    return new URL(rel, location.href).href;
  }

  function replaceRel(text, rel) {
    return text.split(rel).join(absolute(rel));
  }

  function copyText(button, text) {
    var done = function () {
      button.dataset.label = button.dataset.label || button.textContent;
      button.textContent = "已复制";
      setTimeout(function () { button.textContent = button.dataset.label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
    document.body.removeChild(area);
  }

  function downloadImage(bar, format) {
    var chart = document.getElementById(bar.dataset.chartId);
    if (!chart || typeof Plotly === "undefined" || !chart.data) return;
    var info = JSON.parse(bar.dataset.image);
    var width = 960;
    var height = (chart.layout.height || 420) + 60;
    // The image carries its own title (department, year) and source line.
    var layout = Object.assign({}, chart.layout, {
      title: { text: info.title, x: 0, xanchor: "left" },
      paper_bgcolor: "#ffffff",
      height: height,
      width: width,
      margin: Object.assign({}, chart.layout.margin || {}, { b: 70 }),
      annotations: (chart.layout.annotations || []).concat([{
        text: info.source, showarrow: false, xref: "paper", yref: "paper", x: 0, y: 0,
        xanchor: "left", yanchor: "top", yshift: -40, font: { size: 11, color: "#555" },
      }]),
    });
    Plotly.toImage({ data: chart.data, layout: layout }, { format: format, width: width, height: height })
      .then(function (url) {
        var a = document.createElement("a");
        a.href = url;
        a.download = info.filename + "." + format;
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
      });
  }

  function setUpToolbar(bar) {
    if (bar.dataset.ready === "1") return;
    bar.dataset.ready = "1";
    bar.querySelectorAll(".js-embed-code").forEach(function (area) {
      area.value = replaceRel(area.value, area.dataset.rel);
    });
    bar.querySelectorAll(".js-citation").forEach(function (p) {
      p.textContent = replaceRel(p.textContent, p.dataset.rel);
    });
    bar.querySelectorAll(".js-copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var box = button.parentNode.querySelector(".js-embed-code, .js-citation");
        if (box) copyText(button, box.value !== undefined && box.tagName === "TEXTAREA" ? box.value : box.textContent);
      });
    });
    bar.querySelectorAll(".js-image").forEach(function (button) {
      button.addEventListener("click", function () { downloadImage(bar, button.dataset.format); });
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(drawAll);
  } else {
    document.addEventListener("DOMContentLoaded", drawAll);
  }
})();
