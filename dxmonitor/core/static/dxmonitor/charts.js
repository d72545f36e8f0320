// Draws every chart on the page from its Vega-Lite spec (a JSON script beside it), with no network:
// vegaEmbed comes from /vendor/vega.js, a bundle made by vl-convert.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var spec = JSON.parse(document.getElementById(box.dataset.chart).textContent);
    if (typeof vegaEmbed !== "function") return; // the server-drawn picture stays
    vegaEmbed(box, spec, { actions: false, renderer: "svg" }).then(function () {
      box.classList.add("drawn");
    });
  });
});
