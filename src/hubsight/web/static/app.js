// hubsight dashboard: a hash-routed page over the JSON API. No build step, no network beyond this server.
"use strict";

const view = document.getElementById("view");
const KINDS = { models: "model", datasets: "dataset", spaces: "space" };
const TAGS = ["", "text-generation", "image-text-to-text", "text-to-image", "text-classification",
  "automatic-speech-recognition", "feature-extraction", "sentence-similarity", "image-classification",
  "text2text-generation", "text-to-speech", "reinforcement-learning", "translation"];
const CATEGORIES = ["", "cs.AI", "cs.LG", "cs.CL", "cs.CV", "stat.ML"];
const EXAMPLE = `resp = await hf_models_search(pipeline_tag="text-generation", sort="likes", limit=10,
                              fields=["repo_id", "likes", "downloads", "num_params"])
result = resp["items"]
result`;
const charts = [];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

async function getJSON(url, options) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(`${response.status}: ${message}`);
  }
  return body;
}

function fmt(value) {
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en") : value.toFixed(3);
  if (Array.isArray(value)) return value.join(", ");
  if (value && typeof value === "object") return JSON.stringify(value);
  return value ?? "";
}

function table(rows, columns, link) {
  if (!rows.length) return el("p", { class: "muted" }, "No rows yet: crawl at least two days to see changes.");
  columns = columns || Object.keys(rows[0]);
  return el("table", { "data-rows": rows.length },
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", {}, c)))),
    el("tbody", {}, rows.map((row) => el("tr", {}, columns.map((c) => {
      const value = row[c];
      const cell = link && link.column === c ? el("a", { href: link.href(row) }, fmt(value)) : fmt(value);
      return el("td", { class: typeof value === "number" ? "num" : "" }, cell);
    })))));
}

function select(id, label, options, value) {
  return el("label", {}, label, el("select", { id }, options.map(([v, text]) =>
    el("option", v === value ? { value: v, selected: "" } : { value: v }, text))));
}

function controls(params, fields, onchange) {
  const form = el("div", { class: "controls" }, fields);
  form.addEventListener("change", () => {
    for (const node of form.querySelectorAll("select, input")) params[node.id] = node.value;
    onchange();
  });
  return form;
}

function clearCharts() {
  while (charts.length) charts.pop().destroy();
}

function lineChart(canvas, labels, datasets) {
  charts.push(new Chart(canvas, {
    type: "line",
    data: { labels, datasets },
    options: { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom" } }, elements: { point: { radius: 2 } } },
  }));
}

function idKey(row) { return Object.keys(row).find((k) => k.endsWith("_id")); }

async function trending(params) {
  const p = Object.assign({ kind: "models", metric: "likes", days: "7", tag: "" }, params);
  const body = el("div");
  const refresh = async () => {
    const q = new URLSearchParams({ days: p.days, limit: 50, metric: p.metric, include_growth: "true" });
    if (p.tag && p.kind === "models") q.set("pipeline_tag", p.tag);
    body.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    try {
      const rows = await getJSON(`/${p.kind}/trending?${q}`);
      const key = rows.length ? idKey(rows[0]) : "model_id";
      body.replaceChildren(table(rows, null, { column: key, href: (r) => `#/repo/${p.kind}/${r[key]}` }));
    } catch (e) { body.replaceChildren(el("p", { class: "error" }, e.message)); }
  };
  view.replaceChildren(el("h1", {}, "Trending"), controls(p, [
    select("kind", "repos", Object.keys(KINDS).map((k) => [k, k]), p.kind),
    select("metric", "ranked by", [["likes", "likes gained"], ["downloads", "downloads"]], p.metric),
    select("days", "window", [["1", "1 day"], ["7", "7 days"], ["14", "14 days"], ["30", "30 days"], ["90", "90 days"]], p.days),
    select("tag", "pipeline tag (models)", TAGS.map((t) => [t, t || "all"]), p.tag),
  ], refresh), body);
  await refresh();
}

async function fresh(params) {
  const p = Object.assign({ kind: "models", days: "7", tag: "" }, params);
  const body = el("div");
  const refresh = async () => {
    const q = new URLSearchParams({ days: p.days, limit: 100 });
    if (p.tag && p.kind === "models") q.set("pipeline_tag", p.tag);
    try {
      const rows = await getJSON(`/${p.kind}/new?${q}`);
      body.replaceChildren(table(rows, null, { column: "id", href: (r) => `#/repo/${p.kind}/${r.id}` }));
    } catch (e) { body.replaceChildren(el("p", { class: "error" }, e.message)); }
  };
  view.replaceChildren(el("h1", {}, "New repos (by the Hub's creation date)"), controls(p, [
    select("kind", "repos", Object.keys(KINDS).map((k) => [k, k]), p.kind),
    select("days", "created within", [["1", "1 day"], ["7", "7 days"], ["30", "30 days"], ["90", "90 days"]], p.days),
    select("tag", "pipeline tag (models)", TAGS.map((t) => [t, t || "all"]), p.tag),
  ], refresh), body);
  await refresh();
}

async function repo(kind, id) {
  view.replaceChildren(el("h1", {}, `${KINDS[kind] || kind} · ${id}`), el("p", { class: "muted" }, "Loading…"));
  let rows;
  try {
    rows = await getJSON(`/${kind}/${id}/history?limit=180&include_daily_downloads=true`);
  } catch (e) {
    view.replaceChildren(el("h1", {}, id), el("p", { class: "error" }, e.message));
    return;
  }
  rows = rows.slice().reverse();
  const labels = rows.map((r) => r.snapshot_date);
  const likes = el("canvas", { id: "likes-chart" });
  const downloads = el("canvas", { id: "downloads-chart" });
  view.replaceChildren(el("h1", {}, `${KINDS[kind] || kind} · ${id}`),
    el("div", { class: "charts" }, el("div", { class: "chart" }, likes), el("div", { class: "chart" }, downloads)),
    el("h1", {}, "Daily snapshots"), table(rows.slice().reverse()));
  lineChart(likes, labels, [{ label: "likes", data: rows.map((r) => r.likes), borderColor: "#ff9d00" }]);
  const sets = [];
  if (rows.some((r) => r.daily_downloads !== undefined)) sets.push({ label: "daily downloads", data: rows.map((r) => r.daily_downloads), borderColor: "#1f6feb" });
  if (rows.some((r) => r.downloads_30d !== undefined)) sets.push({ label: "downloads (30 days)", data: rows.map((r) => r.downloads_30d), borderColor: "#8250df" });
  lineChart(downloads, labels, sets);
}

async function papers(params) {
  const p = Object.assign({ category: "", days: "7" }, params);
  const body = el("div");
  const refresh = async () => {
    const q = new URLSearchParams({ days: p.days, limit: 100 });
    if (p.category) q.set("category", p.category);
    try {
      const rows = await getJSON(`/papers/recent?${q}`);
      body.replaceChildren(table(rows, ["arxiv_id", "title", "authors", "category", "submitted_at"]));
    } catch (e) { body.replaceChildren(el("p", { class: "error" }, e.message)); }
  };
  view.replaceChildren(el("h1", {}, "Recent arXiv papers"), controls(p, [
    select("category", "category", CATEGORIES.map((c) => [c, c || "all"]), p.category),
    select("days", "submitted within", [["1", "1 day"], ["3", "3 days"], ["7", "7 days"], ["30", "30 days"]], p.days),
  ], refresh), body);
  await refresh();
}

async function arena() {
  const canvas = el("canvas", { id: "arena-chart" });
  const body = el("div");
  view.replaceChildren(el("h1", {}, "LMArena text leaderboard over time"), el("div", { class: "chart" }, canvas), el("h1", {}, "Latest rankings"), body);
  try {
    const latest = await getJSON("/arena/rankings?limit=20");
    body.replaceChildren(table(latest));
    // step back through publications: "the newest on or before" the day before the last one seen
    const names = latest.slice(0, 10).map((r) => r.model_name);
    const history = [];
    let day = latest.length ? latest[0].snapshot_date : null;
    for (let i = 0; day && i < 16; i++) {
      let rows;
      try { rows = await getJSON(`/arena/rankings?limit=200&snapshot_date=${day}`); } catch (e) { break; }
      if (!rows.length) break;
      history.push(...rows.filter((r) => names.includes(r.model_name)));
      const before = new Date(`${rows[0].snapshot_date}T00:00:00Z`);
      before.setUTCDate(before.getUTCDate() - 1);
      day = before.toISOString().slice(0, 10);
    }
    const dates = [...new Set(history.map((r) => r.snapshot_date))].sort();
    lineChart(canvas, dates, names.map((name, i) => ({
      label: name, borderColor: `hsl(${(i * 37) % 360} 70% 45%)`,
      data: dates.map((d) => (history.find((r) => r.model_name === name && r.snapshot_date === d) || {}).elo_score ?? null),
    })));
  } catch (e) { body.replaceChildren(el("p", { class: "error" }, e.message)); }
}

function resultRows(result) {
  if (Array.isArray(result) && result.length && result.every((r) => r && typeof r === "object" && !Array.isArray(r))) return result;
  if (result && Array.isArray(result.results)) return resultRows(result.results);
  return null;
}

function consoleView() {
  const code = el("textarea", { id: "code", spellcheck: "false" }, EXAMPLE);
  const maxCalls = el("input", { id: "max_calls", type: "number", value: "20", min: "1" });
  const out = el("div", { id: "console-output" });
  const run = async () => {
    out.replaceChildren(el("p", { class: "muted" }, "Running…"));
    try {
      const envelope = await getJSON("/v1/query", {
        method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: code.value, max_calls: Number(maxCalls.value) }),
      });
      const meta = envelope.meta || {};
      const summary = el("p", { class: "muted" }, `${meta.calls_used ?? 0} of ${meta.max_calls} calls · ${meta.elapsed_ms} ms`);
      if (!envelope.ok) {
        const err = envelope.error || {};
        out.replaceChildren(el("p", { class: "error" }, `${err.type}${err.line ? ` (line ${err.line})` : ""}: ${err.message}`), summary);
        return;
      }
      const rows = resultRows(envelope.result);
      out.replaceChildren(summary, rows ? table(rows) : el("pre", {}, JSON.stringify(envelope.result, null, 2)));
      if (meta.stdout) out.append(el("pre", {}, meta.stdout));
    } catch (e) { out.replaceChildren(el("p", { class: "error" }, e.message)); }
  };
  view.replaceChildren(el("h1", {}, "Query console"),
    el("p", { class: "muted" }, "A hubsight script, run in the sandbox through POST /v1/query. End it with a bare result line."),
    code, el("div", { class: "controls" }, el("label", {}, "max_calls", maxCalls), el("button", { id: "run", onclick: run }, "Run")),
    out);
}

async function route() {
  clearCharts();
  const [path, query] = (location.hash.slice(1) || "/trending").split("?");
  const params = Object.fromEntries(new URLSearchParams(query || ""));
  const parts = path.split("/").filter(Boolean);
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.nav === parts[0]);
  if (parts[0] === "repo") {
    const kind = { model: "models", dataset: "datasets", space: "spaces" }[parts[1]] || parts[1]; // #/repo/model/... too
    return repo(kind, parts.slice(2).join("/"));
  }
  if (parts[0] === "new") return fresh(params);
  if (parts[0] === "papers") return papers(params);
  if (parts[0] === "arena") return arena();
  if (parts[0] === "console") return consoleView();
  return trending(params);
}

document.getElementById("lookup").addEventListener("submit", (event) => {
  event.preventDefault();
  const id = document.getElementById("lookup-id").value.trim();
  if (id) location.hash = `#/repo/${document.getElementById("lookup-kind").value}/${id}`;
});
window.addEventListener("hashchange", route);
route();
