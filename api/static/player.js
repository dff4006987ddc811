// The QA player: draws the waveform of the redacted audio from peaks the server computed,
// shades and labels every redacted interval, and follows playback. No dependencies.
(function () {
  "use strict";
  var root = document.getElementById("player");
  if (!root) return;
  var canvas = document.getElementById("waveform");
  var status = document.getElementById("waveform-status");
  var audio = document.getElementById("audio");
  var data = null;

  function draw() {
    if (!data) return;
    var ctx = canvas.getContext("2d");
    var w = canvas.width, h = canvas.height, mid = h / 2;
    var dur = data.duration || 1;
    ctx.clearRect(0, 0, w, h);
    // redacted intervals first, so the waveform sits on top of the shading
    data.intervals.forEach(function (iv) {
      var x0 = (iv.start / dur) * w, x1 = Math.max(x0 + 2, (iv.end / dur) * w);
      ctx.fillStyle = "rgba(192,57,43,0.22)";
      ctx.fillRect(x0, 0, x1 - x0, h);
      ctx.fillStyle = "#c0392b";
      ctx.fillRect(x0, 0, x1 - x0, 3);
      ctx.font = "11px system-ui, sans-serif";
      ctx.fillText(iv.label, x0 + 2, 14);
    });
    ctx.strokeStyle = "#1f5fbf";
    ctx.beginPath();
    var n = data.max.length;
    for (var i = 0; i < n; i++) {
      var x = (i / n) * w;
      ctx.moveTo(x, mid - data.max[i] * mid);
      ctx.lineTo(x, mid - data.min[i] * mid);
    }
    ctx.stroke();
    if (audio && audio.currentTime) {
      var px = (audio.currentTime / dur) * w;
      ctx.fillStyle = "#17202a";
      ctx.fillRect(px, 0, 1.5, h);
    }
  }

  canvas.addEventListener("click", function (ev) {
    if (!data || !audio) return;
    var rect = canvas.getBoundingClientRect();
    audio.currentTime = ((ev.clientX - rect.left) / rect.width) * data.duration;
    draw();
  });
  if (audio) audio.addEventListener("timeupdate", function () {
    draw();
    var t = audio.currentTime;
    document.querySelectorAll(".seg[data-start]").forEach(function (p) {
      p.classList.toggle("current", parseFloat(p.dataset.start) <= t);
    });
  });

  fetch(root.dataset.waveformUrl, { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    })
    .then(function (json) {
      data = json;
      canvas.dataset.intervals = String(json.intervals.length);
      canvas.dataset.peaks = String(json.max.length);
      canvas.dataset.labels = json.intervals.map(function (i) { return i.label; }).join(",");
      status.textContent = "waveform: " + json.duration.toFixed(2) + " s, " +
        json.intervals.length + " redacted interval(s)";
      status.dataset.ready = "1";
      draw();
    })
    .catch(function (err) {
      status.textContent = "waveform unavailable (" + err.message + ")";
      status.dataset.ready = "error";
    });
})();
