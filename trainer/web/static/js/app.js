// IPT Trainer: the only script of the app. Pages work without it; it adds the recording
// player's helpers (comment at the current time, jump to a time-stamped comment) and
// draws charts from <script type="application/json" class="chart-data"> blocks.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stamp(seconds) {
    var s = Math.floor(seconds);
    return pad(Math.floor(s / 60)) + ":" + pad(s % 60);
  }

  var player = document.getElementById("player");
  var button = document.getElementById("stamp-now");
  if (player && button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var rows = document.getElementById("comment-rows");
      var last = rows.lastElementChild;
      var copy = last.cloneNode(true);
      var inputs = last.querySelectorAll("input");
      if (inputs[0].value || inputs[1].value) {
        copy.querySelectorAll("input").forEach(function (i) { i.value = ""; });
        rows.appendChild(copy);
        inputs = copy.querySelectorAll("input");
      }
      inputs[0].value = stamp(player.currentTime || 0);
      inputs[1].focus();
    });
  }

  document.querySelectorAll("[data-seek]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!player) { return; }
      event.preventDefault();
      player.currentTime = Number(link.getAttribute("data-seek"));
      player.play();
    });
  });

  if (window.Plotly) {
    document.querySelectorAll("script.chart-data").forEach(function (block) {
      var figure = JSON.parse(block.textContent);
      var target = document.getElementById(block.getAttribute("data-target"));
      if (target) {
        window.Plotly.newPlot(target, figure.data, figure.layout || {},
                              {displaylogo: false, responsive: true,
                               showSendToCloud: false, showEditInChartStudio: false});
      }
    });
  }
})();
