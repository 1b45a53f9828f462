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
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(drawAll);
  } else {
    document.addEventListener("DOMContentLoaded", drawAll);
  }
})();
