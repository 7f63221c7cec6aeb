// The simulator page: send citizen events through the server, show what the OA sent back.
(function () {
  "use strict";
  const root = document.querySelector(".sim");
  const api = root.dataset.api;
  const log = document.getElementById("log");
  const errorBox = document.getElementById("error");
  const persona = document.getElementById("persona");
  const state = { user: null, next: 0, items: [], busy: 0, timer: null };

  function key(user) { return "pakn-sim-" + user; }
  function save() { sessionStorage.setItem(key(state.user), JSON.stringify(state.items.filter(i => i.who === "me"))); }

  function showError(text) {
    errorBox.textContent = text || "";
    errorBox.hidden = !text;
  }

  function render() {
    const items = state.items.slice().sort((a, b) => a.time - b.time || a.seq - b.seq);
    log.textContent = "";
    for (const item of items) {
      const bubble = document.createElement("div");
      bubble.className = "msg " + item.who + (item.kind ? " kind-" + item.kind : "");
      if (item.label) {
        const label = document.createElement("div");
        label.className = "kind-label";
        label.textContent = item.label;
        bubble.appendChild(label);
      }
      if (item.image) {
        const img = document.createElement("img");
        img.src = item.image;
        img.alt = "Ảnh";
        bubble.appendChild(img);
      }
      if (item.text) bubble.appendChild(document.createTextNode(item.text));
      if (item.buttons && item.buttons.length) {
        const chips = document.createElement("div");
        chips.className = "chips";
        for (const b of item.buttons) {
          const chip = document.createElement("button");
          chip.type = "button";
          chip.className = "chip";
          chip.textContent = b.title;
          chip.addEventListener("click", () => send({ kind: "text", text: b.payload }, b.title));
          chips.appendChild(chip);
        }
        bubble.appendChild(chips);
      }
      log.appendChild(bubble);
    }
    log.scrollTop = log.scrollHeight;
  }

  let seq = 0;
  function add(item) { item.seq = seq++; state.items.push(item); render(); }

  async function send(body, shown, image) {
    if (!state.user) return;
    add({ who: "me", text: shown || "", image: image || null, time: Date.now() });
    save();
    state.busy++;
    try {
      const resp = await fetch(api + "send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(Object.assign({ user_id: state.user }, body)),
      });
      const data = await resp.json();
      showError(data.ok ? "" : (data.error || "Webhook trả lời " + data.status));
    } catch (e) {
      showError("Không gửi được: " + e);
    } finally {
      state.busy--;
      poll();
    }
  }

  let polling = false;
  let pollAgain = false;
  async function poll() {
    // One poll at a time; a request during a poll runs once more afterwards.
    if (polling) { pollAgain = true; return; }
    polling = true;
    try {
      do {
        pollAgain = false;
        await pollOnce();
      } while (pollAgain);
    } finally {
      polling = false;
    }
  }

  async function pollOnce() {
    const user = state.user;
    if (!user) return;
    try {
      const resp = await fetch(api + "messages?user_id=" + user + "&after=" + state.next);
      const data = await resp.json();
      if (user !== state.user || !resp.ok) return;
      const first = data.next - data.messages.length;
      data.messages.forEach((m, i) => {
        if (first + i < state.next) return;  // already shown
        add({ who: "bot", text: m.text, buttons: m.buttons, image: m.image_url, kind: m.kind, label: m.label, time: m.time || Date.now() });
      });
      state.next = Math.max(state.next, data.next);
    } catch (e) { /* the next poll tries again */ }
  }

  const inputs = [document.getElementById("text"), document.getElementById("send")];

  async function choose(value) {
    // Nothing can be sent while the citizen changes; typing resumes once they are ready.
    state.user = null;
    inputs.forEach((el) => { el.disabled = true; });
    if (value === "new") {
      const resp = await fetch(api + "personas");
      value = (await resp.json()).new_user_id;
    }
    state.user = value;
    root.dataset.user = value;
    inputs.forEach((el) => { el.disabled = false; });
    state.next = 0;
    state.items = JSON.parse(sessionStorage.getItem(key(value)) || "[]");
    render();
    poll();
  }

  document.getElementById("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = document.getElementById("text");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ kind: "text", text: text }, text);
  });
  document.getElementById("follow").addEventListener("click", () => send({ kind: "follow" }, "(Quan tâm OA)"));
  document.getElementById("sticker").addEventListener("click", () => send({ kind: "sticker" }, "🙂"));
  for (const loc of document.querySelectorAll(".loc")) {
    loc.addEventListener("click", () => {
      document.getElementById("loc-menu").open = false;
      send({ kind: "location", lat: Number(loc.dataset.lat), lng: Number(loc.dataset.lng) }, "📍 " + loc.textContent);
    });
  }
  document.getElementById("photo").addEventListener("change", (ev) => {
    const file = ev.target.files[0];
    ev.target.value = "";
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      const b64 = url.slice(url.indexOf(",") + 1);
      send({ kind: "image", image_b64: b64, content_type: file.type || "image/jpeg" }, "", url);
    };
    reader.readAsDataURL(file);
  });
  persona.addEventListener("change", () => choose(persona.value));
  choose(persona.value);
  state.timer = setInterval(poll, 700);
})();
