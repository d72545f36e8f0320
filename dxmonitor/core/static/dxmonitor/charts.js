// Draws every chart on the page from its Vega-Lite spec (a JSON script beside it), with no network:
// vegaEmbed comes from /vendor/vega.js, a bundle made by vl-convert.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var spec = JSON.parse(document.getElementById(box.dataset.chart).textContent);
    if (typeof vegaEmbed !== "function") return; // the server-drawn picture stays
    if (spec.width === "container") {
      // Fill the column: the plot's width, the axis titles and labels fitted inside it.
      spec.width = Math.max(box.clientWidth - 24, 240);
      spec.autosize = { type: "fit", contains: "padding" };
    }
    vegaEmbed(box, spec, { actions: false, renderer: "svg" }).then(function () {
      box.classList.add("drawn");
    });
  });
});
