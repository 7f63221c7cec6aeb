// Small progressive enhancements for the admin view; every page works without them.
(function () {
  "use strict";

  // Ask before irreversible buttons (data-confirm="...").
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // A forward's «Hình thức» follows the agency picked: e-mail where it has an address, paper
  // where not (a channel chosen on purpose, «Trực tiếp» or «Hệ thống», is left alone).
  document.addEventListener("change", function (event) {
    var agency = event.target.closest("select[data-sets-channel]");
    var channel = agency && agency.form && agency.form.querySelector("select[name=channel]");
    var option = agency && agency.options[agency.selectedIndex];
    if (channel && option && (channel.value === "email" || channel.value === "van_ban")) {
      channel.value = option.hasAttribute("data-mail") ? "email" : "van_ban";
    }
  });

  // Reply templates fill the textarea they point at.
  document.addEventListener("change", function (event) {
    var picker = event.target.closest(".template-picker");
    if (picker && picker.value) {
      var target = document.getElementById(picker.getAttribute("data-target"));
      if (target) { target.value = picker.value; target.focus(); }
    }
  });

  // Inbox filters apply as soon as a select or box changes.
  var filters = document.getElementById("filters");
  if (filters) {
    filters.addEventListener("change", function (event) {
      if (event.target.matches("select, input[type=checkbox]")) { filters.submit(); }
    });
  }

  // Image redaction: drag black boxes over the picture; the form uploads the covered copy.
  function setupRedaction(holder) {
    var form = holder.closest("form");
    var input = form.querySelector("input[type=file]");
    var img = new Image();
    var boxes = [];
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d");
    var start = null;
    function draw(extra) {
      ctx.drawImage(img, 0, 0);
      ctx.fillStyle = "#000";
      boxes.concat(extra ? [extra] : []).forEach(function (b) { ctx.fillRect(b.x, b.y, b.w, b.h); });
    }
    function point(event) {
      var rect = canvas.getBoundingClientRect();
      return { x: (event.clientX - rect.left) * canvas.width / rect.width,
               y: (event.clientY - rect.top) * canvas.height / rect.height };
    }
    function box(a, b) {
      return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
    }
    img.onload = function () {
      canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
      draw(); holder.appendChild(canvas);
      var hint = document.createElement("p");
      hint.className = "muted"; hint.textContent = "Kéo chuột hoặc ngón tay để che vùng có thông tin cá nhân.";
      holder.appendChild(hint);
    };
    canvas.addEventListener("pointerdown", function (e) { start = point(e); canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener("pointermove", function (e) { if (start) { draw(box(start, point(e))); } });
    canvas.addEventListener("pointerup", function (e) {
      if (!start) { return; }
      var b = box(start, point(e)); start = null;
      if (b.w > 2 && b.h > 2) { boxes.push(b); }
      draw();
    });
    form.addEventListener("submit", function (event) {
      if (!boxes.length || (input.files && input.files.length)) { return; }
      event.preventDefault();
      canvas.toBlob(function (blob) {
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "anh-da-che.png", { type: "image/png" }));
        input.files = transfer.files;
        form.submit();
      }, "image/png");
    });
    img.src = holder.getAttribute("data-src");
  }
  document.querySelectorAll(".redact-canvas").forEach(function (holder) {
    var details = holder.closest("details");
    if (!details) { setupRedaction(holder); return; }
    details.addEventListener("toggle", function once() {
      if (details.open && !holder.firstChild) { setupRedaction(holder); }
    });
  });
})();
