// digest preview: tab, width and colour-scheme switches, and live updates over SSE.
// The UI state lives on <html> (kept while #app is swapped) and in sessionStorage
// (kept across navigations), so an update never loses the editor's place.
(() => {
  "use strict";
  const root = document.documentElement;
  const KEY = "digest-preview-ui";
  const STATE = ["tab", "width", "mode"];

  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || "{}");
    for (const name of STATE) if (typeof saved[name] === "string") root.dataset[name] = saved[name];
  } catch (_) { /* private mode: defaults are fine */ }

  function save() {
    const state = {};
    for (const name of STATE) state[name] = root.dataset[name];
    try { sessionStorage.setItem(KEY, JSON.stringify(state)); } catch (_) { /* ignore */ }
  }

  function sync() {
    for (const button of document.querySelectorAll("[data-set]")) {
      const [name, value] = button.dataset.set.split(":");
      const on = String(root.dataset[name] === value);
      button.setAttribute(button.getAttribute("role") === "tab" ? "aria-selected" : "aria-pressed", on);
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-set]");
    if (!button) return;
    const [name, value] = button.dataset.set.split(":");
    root.dataset[name] = value;
    save();
    sync();
  });

  // The link check: on demand only (it fetches every link), filled in from JSON with
  // textContent, so a link's text or URL can never become markup here.
  async function checkLinks(button) {
    const table = document.getElementById("links-table");
    const summary = document.getElementById("links-summary");
    const body = table.querySelector("tbody");
    button.disabled = true;
    summary.textContent = "Checking…";
    try {
      // POST: the server refuses a GET, and a POST from any other site (guard.py).
      // The page's Referrer-Policy is no-referrer, under which a POST's Origin is
      // "null"; "same-origin" here sends our own Origin.
      const response = await fetch(button.dataset.links, {
        method: "POST",
        cache: "no-store",
        referrerPolicy: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { links } = await response.json();
      body.replaceChildren(...links.map((link) => {
        const row = document.createElement("tr");
        row.className = link.ok ? "link-ok" : "link-bad";
        row.dataset.url = link.url;
        for (const text of [link.label, link.url, link.note]) {
          const cell = document.createElement("td");
          cell.textContent = text;
          row.append(cell);
        }
        if (link.text) row.children[1].title = link.text;
        return row;
      }));
      const bad = links.filter((link) => !link.ok).length;
      table.hidden = false;
      summary.textContent = `${links.length} link${links.length === 1 ? "" : "s"}, ${bad} not working`;
      root.dataset.linksChecked = String(Number(root.dataset.linksChecked || 0) + 1);
    } catch (error) {
      summary.textContent = `The check failed: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("#check-links");
    if (button) checkLinks(button);
  });

  // Live updates: the server says "something changed"; the page fetches itself and
  // swaps #app only when its fingerprint differs, so untouched pages never flicker.
  let busy = false;
  let again = false;
  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(location.href, { cache: "no-store" });
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const next = doc.querySelector('meta[name="digest-fingerprint"]');
      const current = document.querySelector('meta[name="digest-fingerprint"]');
      const app = doc.getElementById("app");
      if (next && current && app && next.content !== current.content) {
        current.content = next.content;
        document.title = doc.title;
        document.getElementById("app").replaceWith(document.adoptNode(app));
        sync();
        root.dataset.updates = String(Number(root.dataset.updates || 0) + 1);
      }
    } catch (_) {
      // The server may be restarting; the next event will try again.
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  function setLive(state, label) {
    const live = document.getElementById("live");
    if (!live) return;
    live.dataset.state = state;
    live.querySelector(".live-label").textContent = label;
  }

  function connect() {
    if (!("EventSource" in window)) return;
    const source = new EventSource("/events");
    source.addEventListener("version", () => { setLive("on", "Live"); refresh(); });
    source.addEventListener("error", () => setLive("off", "Reconnecting…"));
  }

  sync();
  connect();
})();
