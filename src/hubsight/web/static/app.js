// hubsight dashboard: a hash-routed page over the JSON API. No build step, no network beyond this server.
// Every view keeps its pickers in the hash (#/trending?kind=model&days=30), so it reloads, bookmarks and shares.
"use strict";

const view = document.getElementById("view");
const KINDS = ["model", "dataset", "space"];
const PLURAL = { model: "models", dataset: "datasets", space: "spaces" };
const SINGULAR = { models: "model", datasets: "dataset", spaces: "space", model: "model", dataset: "dataset", space: "space" };
const HF = { model: "https://huggingface.co/", dataset: "https://huggingface.co/datasets/", space: "https://huggingface.co/spaces/" };
const CATEGORIES = ["", "cs.AI", "cs.LG", "cs.CL", "cs.CV", "stat.ML"];
const METRIC_LABEL = { likes: "Likes", downloads: "Downloads" };
const PALETTE = ["#ff9d00", "#1f6feb", "#8250df", "#1a7f37", "#cf222e", "#0598bc", "#bf8700", "#e85aad", "#6e7781", "#953800"];
const EXAMPLE = `resp = await hf_models_search(pipeline_tag="text-generation", sort="likes", limit=10,
                              fields=["repo_id", "likes", "downloads", "num_params"])
result = resp["items"]
result`;
const KEY_STORE = "hubsight.apiKey";
const charts = [];
let generation = 0; // bumped on every route: answers for a view the user left are dropped
const facetCache = {};
const missingRoutes = new Set();

// -- small DOM and data helpers ------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

class ApiError extends Error {
  constructor(status, type, message) { super(message); this.status = status; this.type = type; }
}

function authHeaders(extra = {}) {
  const key = localStorage.getItem(KEY_STORE);
  return key ? { ...extra, "X-API-Key": key } : extra;
}

async function request(url, options = {}) {
  const response = await fetch(url, { ...options, headers: authHeaders(options.headers || {}) });
  if (response.ok) return response;
  const body = await response.json().catch(() => null);
  const err = body && body.error ? body.error : {};
  let message = `${response.status}: ${err.message || response.statusText}`;
  if (response.status === 401 && !(options.headers || {}).authorization) {
    message = `${message}\nThis server requires an API key: enter it under "API key" at the top of the page.`;
    document.getElementById("apikey").open = true;
  }
  if (response.status === 404 && /is not a route of this API/.test(err.message || "")) missingRoutes.add(url.split("?")[0]);
  const e = new ApiError(response.status, err.type, message);
  e.body = body;
  throw e;
}

async function getJSON(url, options) {
  const response = await request(url, options);
  const body = await response.json();
  body && typeof body === "object" && Object.defineProperty(body, "_headers", { value: response.headers, enumerable: false });
  return body;
}

function notRoute(e) { return e instanceof ApiError && e.status === 404 && /is not a route of this API/.test(e.message); }

function fmt(value) {
  if (typeof value === "number") return Number.isInteger(value) ? value.toLocaleString("en") : value.toLocaleString("en", { maximumFractionDigits: 3 });
  if (Array.isArray(value)) return value.join(", ");
  if (value && typeof value === "object") return JSON.stringify(value);
  return value ?? "";
}

function percent(growth) {
  if (growth === null || growth === undefined) return el("span", { class: "muted", title: "it started the window at 0" }, "new");
  const text = `${growth >= 0 ? "+" : ""}${(growth * 100).toLocaleString("en", { maximumFractionDigits: growth * 100 >= 100 ? 0 : 1 })}%`;
  return el("span", { class: growth > 0 ? "up" : growth < 0 ? "down" : "" }, text);
}

function errorBox(e) { return el("p", { class: "error" }, e.message || String(e)); }
function loading() { return el("p", { class: "muted" }, "Loading…"); }

/** A table: columns are [key, header, {num, render}] or plain keys. */
function table(rows, columns, empty = "No rows yet: crawl at least two days to see changes.") {
  if (!rows.length) return el("p", { class: "muted" }, empty);
  columns = (columns || Object.keys(rows[0])).map((c) => (Array.isArray(c) ? c : [c, c, {}]));
  return el("div", { class: "table-wrap" }, el("table", { "data-rows": rows.length },
    el("thead", {}, el("tr", {}, columns.map(([key, head, o = {}]) => el("th", { class: o.num ? "num" : "", "data-key": key }, head)))),
    el("tbody", {}, rows.map((row, i) => el("tr", {}, columns.map(([key, , o = {}]) => {
      const value = row[key];
      const cell = o.render ? o.render(row, i) : fmt(value);
      return el("td", { class: o.class || (o.num || typeof value === "number" ? "num" : "") }, cell);
    }))))));
}

function repoCell(kind, id, deleted) {
  return [el("a", { href: `#/repo/${kind}/${id}` }, id),
    el("a", { class: "hf", href: HF[kind] + id, target: "_blank", rel: "noopener", title: "on huggingface.co" }, "↗ HF"),
    deleted ? el("span", { class: "badge deleted", title: `deleted on ${deleted}` }, "deleted") : null];
}

function sparkline(values, width = 96, height = 24) {
  const nums = (values || []).filter((v) => typeof v === "number");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", width); svg.setAttribute("height", height); svg.setAttribute("class", "sparkline");
  svg.setAttribute("data-points", nums.length);
  if (nums.length < 2) return svg;
  const lo = Math.min(...nums), hi = Math.max(...nums), span = hi - lo || 1;
  const points = nums.map((v, i) => `${(i * (width - 2)) / (nums.length - 1) + 1},${height - 2 - ((v - lo) * (height - 4)) / span}`);
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points.join(" ")); line.setAttribute("fill", "none");
  line.setAttribute("stroke", "#ff9d00"); line.setAttribute("stroke-width", "1.5");
  svg.append(line);
  return svg;
}

function select(id, label, options, value) {
  // a value from a hand-made or older link that the list lacks is still shown as chosen
  if (value !== undefined && value !== null && value !== "" && !options.some(([v]) => String(v) === String(value))) {
    options = [...options, [value, id === "days" ? `${value} days` : String(value)]];
  }
  return el("label", {}, label, el("select", { id }, options.map(([v, text]) =>
    el("option", String(v) === String(value ?? "") ? { value: v, selected: true } : { value: v }, text))));
}

function input(id, label, value, attrs = {}) {
  return el("label", {}, label, el("input", { id, value: value ?? "", ...attrs }));
}

/** The pickers of a view: a change writes them into the hash (replacing it, no reload), then either
 * draws the view again from the hash (a picker in ``redraw`` changes which pickers apply) or calls onchange. */
function controls(page, params, fields, onchange, redraw = []) {
  const form = el("form", { class: "controls", onsubmit: (e) => e.preventDefault() }, fields);
  form.addEventListener("change", (event) => {
    for (const node of form.querySelectorAll("select[id], input[id]")) params[node.id] = node.value;
    if (params.days !== "custom") { delete params.from; delete params.to; }
    setHash(page, params);
    if (redraw.includes(event.target.id)) route(); else onchange();
  });
  return form;
}

function setHash(page, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
  const hash = `#/${page}${q.toString() ? `?${q}` : ""}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

function clearCharts() { while (charts.length) charts.pop().destroy(); }

function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

function lineChart(canvas, labels, datasets, options = {}) {
  if (typeof Chart === "undefined") return;
  Chart.defaults.color = css("--muted"); Chart.defaults.borderColor = css("--line");
  charts.push(new Chart(canvas, {
    type: options.type || "line",
    data: { labels, datasets: datasets.map((d, i) => {
      const color = d.borderColor || PALETTE[i % PALETTE.length];
      return { borderColor: color, backgroundColor: color, spanGaps: true, ...d };
    }) },
    options: { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom" } }, elements: { point: { radius: 2 } },
      scales: options.stacked ? { x: { stacked: true }, y: { stacked: true } } : {} },
  }));
}

function chartBox(id, title) {
  const canvas = el("canvas", { id });
  return [el("div", { class: `chart${title ? " titled" : ""}` }, title ? el("h2", {}, title) : null, canvas), canvas];
}

/** CSV of rows (lists as a;b), for views whose API answers JSON only. */
function toCSV(columns, rows) {
  const cell = (v) => {
    if (v === null || v === undefined) return "";
    if (Array.isArray(v)) v = v.join(";");
    else if (typeof v === "object") v = JSON.stringify(v);
    v = String(v);
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  return [columns.map(cell).join(","), ...rows.map((r) => r.map(cell).join(","))].join("\r\n") + "\r\n";
}

function save(name, blob) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** A CSV button: the API's own CSV of ``url`` (with the API key), or ``fallback()`` rows made here. */
function csvButton(name, url, fallback) {
  return el("button", { type: "button", class: "secondary", id: "csv", onclick: async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      if (url) {
        const response = await request(url + (url.includes("?") ? "&" : "?") + "format=csv", { headers: { accept: "text/csv" } });
        if ((response.headers.get("content-type") || "").includes("text/csv")) { save(name, await response.blob()); return; }
      }
      const [columns, rows] = fallback();
      save(name, new Blob([toCSV(columns, rows)], { type: "text/csv" }));
    } catch (e) { button.after(errorBox(e)); } finally { button.disabled = false; }
  } }, "CSV");
}

async function facets(kind) {
  if (!facetCache[kind]) facetCache[kind] = getJSON(`/v1/repos/facets?kind=${kind}`).then((b) => b.fields).catch(() => { delete facetCache[kind]; return {}; });
  return facetCache[kind];
}

function facetOptions(values, current, all = "all") {
  const options = [["", all], ...(values || []).map((f) => [f.value, `${f.value} (${f.count.toLocaleString("en")})`])];
  if (current && !options.some(([v]) => v === current)) options.push([current, current]);
  return options;
}

function isoDay(d) { return d.toISOString().slice(0, 10); }
function dayRange(from, to) {
  const out = [];
  for (let d = new Date(`${from}T00:00:00Z`); isoDay(d) <= to; d.setUTCDate(d.getUTCDate() + 1)) out.push(isoDay(d));
  return out;
}

// -- Hub at a glance (home) -----------------------------------------------------------------------

async function home(params) {
  const p = { days: "30", ...params };
  const gen = generation;
  const [newBox, newCanvas] = chartBox("new-repos-chart", "New repos per day, by kind");
  const [pipeBox, pipeCanvas] = chartBox("new-by-pipeline-chart", "New models per day, by pipeline tag (top 8)");
  const [likesBox, likesCanvas] = chartBox("total-likes-chart", "Total likes per day");
  const [dlBox, dlCanvas] = chartBox("total-downloads-chart", "Total downloads (30-day count) per day");
  const note = el("div");
  const risers = el("div", { class: "grid3", id: "risers" });
  const range = el("p", { class: "muted window" });
  view.replaceChildren(el("h1", {}, "The Hub at a glance"), controls("home", p, [
    select("days", "over the last", [["7", "7 days"], ["30", "30 days"], ["90", "90 days"], ["365", "365 days"]], p.days),
  ], () => route(), ["days"]), range, note,
  el("div", { class: "charts" }, newBox, pipeBox, likesBox, dlBox),
  el("h2", {}, "Biggest risers of the day"), risers);

  const riserTables = KINDS.map(async (kind) => {
    const box = el("div", {}, el("h2", {}, `${PLURAL[kind]} · likes gained in 1 day`), loading());
    risers.append(box);
    try {
      const rows = await trendingRows({ kind, metric: "likes", days: "1" }, 5);
      if (gen !== generation) return;
      box.replaceChildren(box.firstChild, table(rows.items, [
        ["rank", "#", { num: true }], ["repo_id", "Repo", { class: "repo", render: (r) => repoCell(kind, r.repo_id) }],
        ["delta", "Likes gained", { num: true }], ["growth", "Growth", { num: true, render: (r) => percent(r.growth) }],
      ], "No day-over-day change yet: crawl two days."));
    } catch (e) { box.replaceChildren(box.firstChild, errorBox(e)); }
  });

  try {
    const body = await getJSON(`/v1/glance?days=${encodeURIComponent(p.days)}`);
    if (gen !== generation) return;
    const s = body.series, m = body.meta || {};
    range.textContent = m.date_from ? `From ${m.date_from} to ${m.date_to}` : "";
    const labels = m.date_from ? dayRange(m.date_from, m.date_to) : [...new Set(s.new_repos.map((r) => r.date))].sort();
    const pivot = (rows, key, value, keys) => keys.map((k) => ({
      label: k, data: labels.map((d) => { const r = rows.find((x) => x.date === d && x[key] === k); return r ? r[value] : (value === "count" ? 0 : null); }),
    }));
    lineChart(newCanvas, labels, pivot(s.new_repos, "kind", "count", KINDS).map((d) => ({ ...d, label: PLURAL[d.label] })), { type: "bar", stacked: true });
    const totals = {};
    for (const r of s.new_models_by_pipeline) totals[r.pipeline_tag ?? "none"] = (totals[r.pipeline_tag ?? "none"] || 0) + r.count;
    const top = Object.entries(totals).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k]) => k);
    const byTag = s.new_models_by_pipeline.map((r) => ({ ...r, pipeline_tag: r.pipeline_tag ?? "none" }));
    lineChart(pipeCanvas, labels, pivot(byTag, "pipeline_tag", "count", top), { type: "bar", stacked: true });
    lineChart(likesCanvas, labels, pivot(s.totals, "kind", "likes", KINDS).map((d) => ({ ...d, label: PLURAL[d.label] })));
    lineChart(dlCanvas, labels, pivot(s.totals.filter((r) => r.kind !== "space"), "kind", "downloads", ["model", "dataset"]).map((d) => ({ ...d, label: PLURAL[d.label] })));
  } catch (e) {
    if (!notRoute(e)) { note.replaceChildren(errorBox(e)); return; }
    // a server without /v1/glance: new repos per day from the seed API's /new lists (up to 1,000 per kind)
    note.replaceChildren(el("p", { class: "notice" }, "This server has no /v1/glance: new repos are counted from /models/new and friends; totals need a newer hubsight."));
    const days = Math.min(Number(p.days) || 30, 90);
    const counts = {};
    await Promise.all(KINDS.map(async (kind) => {
      let url = `/${PLURAL[kind]}/new?days=${days}&limit=100`;
      for (let i = 0; url && i < 10; i++) {
        const response = await request(url);
        for (const r of await response.json()) {
          const d = r.first_seen_at.slice(0, 10);
          (counts[d] = counts[d] || {})[kind] = ((counts[d] || {})[kind] || 0) + 1;
        }
        const next = response.headers.get("X-Next-Cursor");
        url = next ? `/${PLURAL[kind]}/new?days=${days}&limit=100&cursor=${encodeURIComponent(next)}` : null;
      }
    })).catch((err) => note.append(errorBox(err)));
    if (gen !== generation) return;
    const labels = Object.keys(counts).sort();
    range.textContent = labels.length ? `From ${labels[0]} to ${labels[labels.length - 1]}` : "";
    lineChart(newCanvas, labels, KINDS.map((k) => ({ label: PLURAL[k], data: labels.map((d) => counts[d][k] || 0) })), { type: "bar", stacked: true });
  }
  await Promise.all(riserTables);
}

// -- Trending ------------------------------------------------------------------------------------

/** Trending rows from /v1/trending, or from the seed API's /{kind}s/trending on a server without it. */
async function trendingRows(p, limit, cursor) {
  const q = new URLSearchParams({ kind: p.kind, metric: p.metric, limit });
  for (const k of ["days", "from", "to", "author", "library", "tag", "pipeline_tag", "group_by"]) if (p[k]) q.set(k, p[k]);
  if (p.from || p.to || p.days === "custom") q.delete("days");
  if (cursor) q.set("cursor", cursor);
  if (!missingRoutes.has("/v1/trending")) {
    try {
      const body = await getJSON(`/v1/trending?${q}`);
      return { items: body.items, meta: body.meta, url: `/v1/trending?${q}`, v1: true };
    } catch (e) {
      if (notRoute(e)) { /* an older server: the seed API's rankings below */ } else if (e.status === 422 && /cannot be covered/.test(e.message) && !cursor) {
        // a window longer than the store: show the longest one it holds, and say so
        const probe = await getJSON(`/v1/trending?kind=${p.kind}&metric=likes&days=1&limit=1`).catch(() => null);
        const from = probe && probe.meta && probe.meta.stored_from;
        if (!from) throw e;
        q.delete("days"); q.delete("to"); q.set("from", from);
        const body = await getJSON(`/v1/trending?${q}`);
        return { items: body.items, meta: body.meta, url: `/v1/trending?${q}`, v1: true, clamped: e.message.replace(/^\d+: /, "") };
      } else throw e;
    }
  }
  const legacy = new URLSearchParams({ days: Math.min(Number(p.days) || 7, 90), limit: Math.min(limit, 100), metric: p.metric, include_growth: "true" });
  if (p.pipeline_tag && p.kind === "model") legacy.set("pipeline_tag", p.pipeline_tag);
  if (cursor) legacy.set("cursor", cursor);
  const url = `/${PLURAL[p.kind]}/trending?${legacy}`;
  const response = await request(url);
  const rows = await response.json();
  const id = { model: "model_id", dataset: "dataset_id", space: "space_id" }[p.kind];
  const items = rows.map((r, i) => ({
    rank: i + 1, kind: p.kind, repo_id: r[id],
    pipeline_tag: r.pipeline_tag, value_to: r[`${p.metric}_latest`], delta: r[`${p.metric}_delta`], growth: r[`${p.metric}_growth`],
  }));
  const meta = rows.length ? { date_from: rows[0].snapshot_date_from, date_to: rows[0].snapshot_date_to } : {};
  meta.next_cursor = response.headers.get("X-Next-Cursor");
  return { items, meta, url, v1: false };
}

async function trending(params) {
  const p = { kind: "model", metric: "likes", days: "7", ...params };
  p.kind = SINGULAR[p.kind] || "model";
  if (p.kind === "space") p.metric = "likes";
  if (p.kind !== "model") { delete p.pipeline_tag; delete p.library; }
  const gen = generation;
  const fields = p.kind === "model" ? await facets("model") : {};
  const custom = Boolean(p.from || p.to) || p.days === "custom";
  const windowOptions = [["1", "1 day"], ["7", "7 days"], ["14", "14 days"], ["30", "30 days"], ["90", "90 days"], ["180", "180 days"], ["365", "365 days"], ["custom", "from … to …"]];
  const pickers = [
    select("kind", "repos", KINDS.map((k) => [k, PLURAL[k]]), p.kind),
    select("metric", "ranked by", [["likes", "likes gained"], ...(p.kind === "space" ? [] : [["downloads", "downloads gained"]])], p.metric),
    select("days", "window", windowOptions, custom ? "custom" : p.days),
  ];
  if (custom) pickers.push(input("from", "from", p.from, { type: "date" }), input("to", "to", p.to, { type: "date" }));
  if (p.kind === "model") {
    pickers.push(select("pipeline_tag", "pipeline tag", facetOptions(fields.pipeline_tag, p.pipeline_tag), p.pipeline_tag));
    pickers.push(select("library", "library", facetOptions(fields.library_name, p.library), p.library));
  }
  pickers.push(input("author", "author", p.author, { placeholder: "any", size: 12 }), input("tag", "tag", p.tag, { placeholder: "any, e.g. gguf", size: 12 }),
    select("group_by", "rows", [["", "one per repo"], ["author", "one per author"]], p.group_by));
  const range = el("p", { class: "muted window", id: "window" });
  const actions = el("div", { class: "controls" });
  const body = el("div", {}, loading());
  const more = el("div");
  if (gen !== generation) return;
  view.replaceChildren(el("h1", {}, "Trending"), controls("trending", p, pickers, () => busy(refresh()), ["kind", "days", "group_by"]), range, actions, body, more);
  const selected = new Set();
  const compareButton = el("button", { type: "button", id: "compare-selected", disabled: true, onclick: () => {
    location.hash = `#/compare?kind=${p.kind}&metric=${p.kind === "space" ? "likes" : p.metric}&ids=${[...selected].map(encodeURIComponent).join(",")}`;
  } }, "Compare selected");
  let shown = [];
  const columns = (v1) => {
    const label = METRIC_LABEL[p.metric];
    if (p.group_by === "author") {
      return [["rank", "#", { num: true }], ["author", "Author", { render: (r) => el("a", { href: `#/trending?kind=${p.kind}&metric=${p.metric}&days=${p.days}&author=${encodeURIComponent(r.author)}` }, r.author) }],
        ["repos", "Repos", { num: true }], ["delta", `${label} gained`, { num: true }], ["growth", "Growth", { num: true, render: (r) => percent(r.growth) }],
        ["value_to", `${label} at the end`, { num: true }]];
    }
    const out = [["pick", "", { render: (r) => el("input", { type: "checkbox", "aria-label": `compare ${r.repo_id}`, class: "pick", checked: selected.has(r.repo_id), onchange: (e) => {
      if (e.target.checked && selected.size < 5) selected.add(r.repo_id); else { selected.delete(r.repo_id); e.target.checked = false; }
      compareButton.disabled = selected.size < 2;
      compareButton.textContent = `Compare selected (${selected.size})`;
    } }) }],
    ["rank", "#", { num: true }], ["repo_id", "Repo", { class: "repo", render: (r) => repoCell(p.kind, r.repo_id) }]];
    if (p.kind === "model") out.push(["pipeline_tag", "Pipeline tag"]);
    if (p.kind === "model" && v1) out.push(["library_name", "Library"]);
    out.push(["delta", `${label} gained`, { num: true }], ["growth", "Growth", { num: true, render: (r) => percent(r.growth) }],
      ["value_to", p.metric === "likes" ? "Likes now" : "Downloads (all time)", { num: true }]);
    if (v1) out.push(["series", "Daily", { class: "spark", render: (r) => sparkline(r.series) }]);
    return out;
  };
  const refresh = async () => {
    const mine = generation;
    body.replaceChildren(loading()); more.replaceChildren(); range.textContent = "";
    try {
      const answer = await trendingRows(p, 50);
      if (mine !== generation) return;
      shown = answer.items;
      const m = answer.meta || {};
      range.textContent = m.date_from ? `Gained from ${m.date_from} to ${m.date_to}${m.total !== undefined && m.total !== null ? ` · ${m.total.toLocaleString("en")} ${p.group_by === "author" ? "authors" : PLURAL[p.kind]} moved` : ""}` : "";
      if (answer.clamped) range.append(el("span", { class: "notice", style: "display:block", id: "clamped" }, `Showing the whole stored history instead: ${answer.clamped}`));
      if (!answer.v1 && (p.author || p.tag || p.library || p.group_by || Number(p.days) > 90 || p.from)) {
        range.append(el("span", { class: "notice", style: "display:block" }, "This server's trending has only the window (up to 90 days) and pipeline tag: the other filters are not applied."));
      }
      const cols = columns(answer.v1);
      body.replaceChildren(table(shown, cols, "Nothing moved in this window: crawl at least two days, or widen the filters."));
      actions.replaceChildren(csvButton(`trending-${p.kind}-${p.metric}.csv`, answer.v1 ? null : answer.url, () => [cols.filter(([k]) => k !== "pick").map(([k]) => k), shown.map((r) => cols.filter(([k]) => k !== "pick").map(([k]) => r[k]))]),
        ...(p.group_by === "author" ? [] : [compareButton]));
      let next = m.next_cursor;
      const loadMore = el("button", { type: "button", class: "secondary", id: "more", onclick: async () => {
        loadMore.disabled = true;
        try {
          const page = answer.v1 ? await getJSON(`${answer.url}&cursor=${encodeURIComponent(next)}`) : await trendingRows(p, 50, next);
          if (!answer.v1) page.items.forEach((r, i) => { r.rank = shown.length + i + 1; });
          shown = shown.concat(page.items);
          body.replaceChildren(table(shown, cols));
          next = page.meta.next_cursor;
          if (!next) loadMore.remove();
        } catch (e) { more.append(errorBox(e)); } finally { loadMore.disabled = false; }
      } }, "More");
      if (next) more.replaceChildren(loadMore);
    } catch (e) { if (mine === generation) body.replaceChildren(errorBox(e)); }
  };
  await refresh();
}

// -- New -----------------------------------------------------------------------------------------

async function fresh(params) {
  const p = { kind: "model", days: "7", ...params };
  p.kind = SINGULAR[p.kind] || "model";
  if (p.kind !== "model") delete p.pipeline_tag;
  const gen = generation;
  const fields = p.kind === "model" ? await facets("model") : {};
  if (gen !== generation) return;
  const body = el("div", {}, loading());
  const actions = el("div", { class: "controls" });
  let rows = [];
  const columns = () => [
    ["id", "Repo", { class: "repo", render: (r) => repoCell(p.kind, r.id) }], ["author", "Author"],
    ...(p.kind === "model" ? [["pipeline_tag", "Pipeline tag"]] : []),
    ["likes", "Likes", { num: true }], ...(p.kind === "space" ? [] : [["downloads", "Downloads (30 days)", { num: true }]]),
    ["first_seen_at", "Created on the Hub (created_at, UTC)", { render: (r) => r.first_seen_at.replace("T", " ").slice(0, 16) }],
  ];
  const query = () => {
    const q = new URLSearchParams({ days: p.days, limit: 100 });
    if (p.pipeline_tag && p.kind === "model") q.set("pipeline_tag", p.pipeline_tag);
    return `/${PLURAL[p.kind]}/new?${q}`;
  };
  const refresh = async () => {
    const mine = generation;
    body.replaceChildren(loading());
    try {
      rows = await getJSON(query());
      if (rows.length) {
        const q = new URLSearchParams({ kind: p.kind });
        rows.forEach((r) => q.append("ids", r.id));
        const numbers = await getJSON(`/v1/repos/latest?${q}`).then((b) => b.items).catch(() => []);
        const by = Object.fromEntries(numbers.map((n) => [n.repo_id, n]));
        rows = rows.map((r) => ({ ...r, likes: (by[r.id] || {}).likes ?? null, downloads: (by[r.id] || {}).downloads ?? null }));
      }
      if (mine !== generation) return;
      body.replaceChildren(table(rows, columns(), "The Hub created none in this window."));
      actions.replaceChildren(csvButton(`new-${p.kind}.csv`, null, () => {
        const keys = columns().map(([k]) => k);
        return [keys, rows.map((r) => keys.map((k) => r[k]))];
      }));
    } catch (e) { if (mine === generation) body.replaceChildren(errorBox(e)); }
  };
  view.replaceChildren(el("h1", {}, "New repos"),
    el("p", { class: "muted" }, "Repos the Hub created (its created_at) in the window ending at the newest crawl; likes and downloads as of that crawl."),
    controls("new", p, [
      select("kind", "repos", KINDS.map((k) => [k, PLURAL[k]]), p.kind),
      select("days", "created within", [["1", "1 day"], ["7", "7 days"], ["30", "30 days"], ["90", "90 days"]], p.days),
      ...(p.kind === "model" ? [select("pipeline_tag", "pipeline tag", facetOptions(fields.pipeline_tag, p.pipeline_tag), p.pipeline_tag)] : []),
    ], () => busy(refresh()), ["kind"]), actions, body);
  await refresh();
}

// -- One repo ------------------------------------------------------------------------------------

async function repoHistory(kind, id) {
  const url = `/${PLURAL[kind]}/${id}/history?limit=180${kind === "space" ? "" : "&include_daily_downloads=true"}`;
  const rows = await getJSON(url);
  const deleted = (rows._headers && rows._headers.get("X-Hubsight-Deleted")) || (rows[0] && rows[0].deleted_on) || null;
  return { rows: rows.slice().reverse(), deleted, current: rows._headers && rows._headers.get("X-Repo-Id") };
}

async function repo(kind, id) {
  const gen = generation;
  const title = () => el("h1", {}, `${kind} · ${id}`);
  view.replaceChildren(title(), loading());
  let h;
  try { h = await repoHistory(kind, id); } catch (e) {
    view.replaceChildren(title(), errorBox(e));
    if (e.status === 404 && id.length >= 2) {
      // not an exact id: offer the stored ones that look like it
      const found = await getJSON(`/v1/repos/suggest?kind=${kind}&q=${encodeURIComponent(id.split("/").pop())}&limit=10`).catch(() => null);
      if (found && found.items.length && gen === generation) {
        view.append(el("h2", {}, "Did you mean"), el("ul", { id: "did-you-mean" }, found.items.map((i) => el("li", {}, el("a", { href: `#/repo/${i.kind}/${i.repo_id}` }, i.repo_id),
          i.deleted_on ? el("span", { class: "badge deleted" }, `deleted ${i.deleted_on}`) : null))));
      }
    }
    return;
  }
  if (gen !== generation) return;
  let deleted = h.deleted;
  if (!deleted) {
    const latest = await getJSON(`/v1/repos/latest?kind=${kind}&ids=${encodeURIComponent(h.current || id)}`).catch(() => null);
    deleted = latest && latest.items[0] ? latest.items[0].deleted_on : null;
  }
  const rows = h.rows;
  const labels = rows.map((r) => r.snapshot_date);
  const [likesBox, likes] = chartBox("likes-chart");
  const [downloadsBox, downloads] = chartBox("downloads-chart");
  const last = rows[rows.length - 1] || {};
  const facts = el("p", { class: "muted" },
    el("a", { href: HF[kind] + (h.current || id), target: "_blank", rel: "noopener" }, "on huggingface.co ↗"), " · ",
    el("a", { href: `#/compare?kind=${kind}&ids=${encodeURIComponent(h.current || id)}`, id: "compare-this" }, "compare with others"),
    last.pipeline_tag ? ` · ${last.pipeline_tag}` : "", last.library_name ? ` · ${last.library_name}` : "");
  const banner = deleted ? el("p", { class: "error", id: "deleted" }, `Deleted from the Hub: the crawl of ${deleted} no longer listed it. The history below ends on its last listed day.`) : null;
  const renamed = h.current && h.current !== id ? el("p", { class: "notice" }, `Renamed: now ${h.current}.`) : null;
  const skip = new Set(["snapshot_date"]);
  const dayColumns = [["snapshot_date", "Day"], ...Object.keys(last).filter((k) => !skip.has(k) && k !== "deleted_on").map((k) => [k, k.replace(/_/g, " "), { num: typeof last[k] === "number" }])];
  view.replaceChildren(...[el("h1", {}, `${kind} · ${h.current || id}`, deleted ? el("span", { class: "badge deleted" }, "deleted") : null), banner, renamed, facts,
    el("div", { class: "charts" }, likesBox, ...(kind === "space" ? [] : [downloadsBox])),
    el("h2", {}, "Daily snapshots"), table(rows.slice().reverse(), dayColumns, "No snapshot yet.")].filter(Boolean));
  lineChart(likes, labels, [{ label: "likes", data: rows.map((r) => r.likes) }]);
  if (kind !== "space") {
    lineChart(downloads, labels, [
      { label: "daily downloads", data: rows.map((r) => r.daily_downloads ?? null), borderColor: PALETTE[1] },
      { label: "downloads (30 days)", data: rows.map((r) => r.downloads_30d ?? null), borderColor: PALETTE[2] },
    ]);
  }
}

// -- Compare -------------------------------------------------------------------------------------

async function compare(params) {
  const p = { kind: "model", metric: "likes", ...params };
  p.kind = SINGULAR[p.kind] || "model";
  if (p.kind === "space") p.metric = "likes";
  const ids = (p.ids || "").split(",").map((s) => s.trim()).filter(Boolean).slice(0, 5);
  const gen = generation;
  const [box, canvas] = chartBox("compare-chart");
  const note = el("div");
  const add = el("input", { id: "compare-add", placeholder: ids.length >= 5 ? "five at most" : "add a repo: owner/name", disabled: ids.length >= 5, autocomplete: "off", list: "compare-options" });
  const options = el("datalist", { id: "compare-options" });
  const go = (next) => { location.hash = `#/compare?kind=${p.kind}&metric=${p.metric}&ids=${next.map(encodeURIComponent).join(",")}`; };
  add.addEventListener("input", debounce(async () => {
    const q = add.value.trim();
    if (q.length < 2) return;
    const found = await getJSON(`/v1/repos/suggest?kind=${p.kind}&q=${encodeURIComponent(q)}`).catch(() => ({ items: [] }));
    options.replaceChildren(...found.items.map((i) => el("option", { value: i.repo_id })));
  }, 150));
  const form = el("form", { class: "controls", onsubmit: (e) => { e.preventDefault(); const v = add.value.trim(); if (v && !ids.includes(v)) go([...ids, v]); } },
    select("kind", "repos", KINDS.map((k) => [k, PLURAL[k]]), p.kind),
    select("metric", "metric", [["likes", "likes"], ...(p.kind === "space" ? [] : [["downloads", "downloads (30 days)"], ["daily_downloads", "daily downloads"]])], p.metric),
    el("label", {}, "repo", add), options, el("button", { disabled: ids.length >= 5 }, "Add"));
  form.addEventListener("change", (e) => {
    if (e.target.id === "kind") go([]);
    if (e.target.id === "metric") { p.metric = e.target.value; go(ids); }
  });
  const chips = el("div", { class: "chips" }, ids.map((id) => el("span", { class: "chip" }, el("a", { href: `#/repo/${p.kind}/${id}` }, id),
    el("button", { type: "button", title: `remove ${id}`, "aria-label": `remove ${id}`, onclick: () => go(ids.filter((x) => x !== id)) }, "×"))));
  view.replaceChildren(el("h1", {}, "Compare"), el("p", { class: "muted" }, "Two to five repos on one chart, one line each, over the days the store holds."), form, chips, note, ids.length ? box : el("p", { class: "muted" }, "Add repos above, or tick rows on the Trending page."));
  if (!ids.length) return;
  const key = { likes: "likes", downloads: "downloads_30d", daily_downloads: "daily_downloads" }[p.metric] || "likes";
  const answers = await Promise.all(ids.map((id) => repoHistory(p.kind, id).catch((e) => ({ error: e, id }))));
  if (gen !== generation) return;
  for (const a of answers) if (a.error) note.append(el("p", { class: "error" }, `${a.id}: ${a.error.message}`));
  const ok = answers.map((a, i) => ({ ...a, id: ids[i] })).filter((a) => !a.error);
  const labels = [...new Set(ok.flatMap((a) => a.rows.map((r) => r.snapshot_date)))].sort();
  lineChart(canvas, labels, ok.map((a) => {
    const by = Object.fromEntries(a.rows.map((r) => [r.snapshot_date, r[key] ?? null]));
    return { label: a.deleted ? `${a.id} (deleted ${a.deleted})` : a.id, data: labels.map((d) => by[d] ?? null) };
  }));
}

/** ``fn`` run ``ms`` after the last call; ``.cancel()`` drops a call still waiting. */
function debounce(fn, ms) {
  let timer;
  const call = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  call.cancel = () => clearTimeout(timer);
  return call;
}

// -- Papers, arena, console ----------------------------------------------------------------------

async function papers(params) {
  const p = { category: "", days: "7", ...params };
  const body = el("div", {}, loading());
  const refresh = async () => {
    const mine = generation;
    const q = new URLSearchParams({ days: p.days, limit: 100 });
    if (p.category) q.set("category", p.category);
    try {
      const rows = await getJSON(`/papers/recent?${q}`);
      if (mine !== generation) return;
      body.replaceChildren(el("div", { class: "controls" }, csvButton("papers.csv", `/papers/recent?${q}`)),
        table(rows, [["arxiv_id", "arXiv id", { render: (r) => el("a", { href: `https://arxiv.org/abs/${r.arxiv_id}`, target: "_blank", rel: "noopener" }, r.arxiv_id) }],
          ["title", "Title"], ["authors", "Authors"], ["category", "Category"], ["submitted_at", "Submitted (UTC)", { render: (r) => String(r.submitted_at || "").replace("T", " ").slice(0, 16) }]],
        "No papers in this window."));
    } catch (e) { if (mine === generation) body.replaceChildren(errorBox(e)); }
  };
  view.replaceChildren(el("h1", {}, "Recent arXiv papers"), controls("papers", p, [
    select("category", "category", CATEGORIES.map((c) => [c, c || "all"]), p.category),
    select("days", "submitted within", [["1", "1 day"], ["3", "3 days"], ["7", "7 days"], ["30", "30 days"]], p.days),
  ], () => busy(refresh())), body);
  await refresh();
}

async function arena() {
  const gen = generation;
  const [box, canvas] = chartBox("arena-chart");
  const body = el("div", {}, loading());
  view.replaceChildren(el("h1", {}, "LMArena text leaderboard over time"), box, el("h2", {}, "Latest rankings"), body);
  try {
    const latest = await getJSON("/arena/rankings?limit=20");
    if (gen !== generation) return;
    body.replaceChildren(table(latest));
    // step back through publications: "the newest on or before" the day before the last one seen
    const names = latest.slice(0, 10).map((r) => r.model_name);
    const past = [];
    let day = latest.length ? latest[0].snapshot_date : null;
    for (let i = 0; day && i < 16; i++) {
      let rows;
      try { rows = await getJSON(`/arena/rankings?limit=200&snapshot_date=${day}`); } catch (e) { break; }
      if (!rows.length || gen !== generation) break;
      past.push(...rows.filter((r) => names.includes(r.model_name)));
      const before = new Date(`${rows[0].snapshot_date}T00:00:00Z`);
      before.setUTCDate(before.getUTCDate() - 1);
      day = isoDay(before);
    }
    if (gen !== generation) return;
    const dates = [...new Set(past.map((r) => r.snapshot_date))].sort();
    lineChart(canvas, dates, names.map((name, i) => ({
      label: name, borderColor: `hsl(${(i * 37) % 360} 70% 50%)`, backgroundColor: `hsl(${(i * 37) % 360} 70% 50%)`,
      data: dates.map((d) => (past.find((r) => r.model_name === name && r.snapshot_date === d) || {}).elo_score ?? null),
    })));
  } catch (e) { body.replaceChildren(errorBox(e)); }
}

function resultRows(result) {
  if (Array.isArray(result) && result.length && result.every((r) => r && typeof r === "object" && !Array.isArray(r))) return result;
  if (result && Array.isArray(result.results)) return resultRows(result.results);
  return null;
}

function consoleView(params) {
  const code = el("textarea", { id: "code", spellcheck: "false" }, params.code || EXAMPLE);
  const maxCalls = el("input", { id: "max_calls", type: "number", value: params.max_calls || "20", min: "1" });
  const out = el("div", { id: "console-output" });
  const run = async () => {
    setHash("console", { code: code.value === EXAMPLE ? "" : code.value, max_calls: maxCalls.value === "20" ? "" : maxCalls.value });
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
    } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  view.replaceChildren(el("h1", {}, "Query console"),
    el("p", { class: "muted" }, "A hubsight script, run in the sandbox through POST /v1/query. End it with a bare result line."),
    code, el("div", { class: "controls" }, el("label", {}, "max_calls", maxCalls), el("button", { id: "run", onclick: run }, "Run")),
    out);
}

// -- SQL -----------------------------------------------------------------------------------------

const DATE_TYPES = /^(DATE|TIMESTAMP)/i;

function sqlChart(canvas, columns, rows) {
  if (!rows.length || columns.length < 2) return false;
  const first = columns[0];
  const isDate = DATE_TYPES.test(first.type || "") || rows.every((r) => typeof r[0] === "string" && /^\d{4}-\d{2}-\d{2}/.test(r[0]));
  if (!isDate) return false;
  const numeric = columns.map((c, i) => i > 0 && rows.some((r) => typeof r[i] === "number") && rows.every((r) => r[i] === null || typeof r[i] === "number"));
  const labels = [...new Set(rows.map((r) => String(r[0]).slice(0, 10)))].sort();
  let datasets;
  const category = columns.findIndex((c, i) => i > 0 && !numeric[i]);
  const value = numeric.indexOf(true);
  if (value < 0) return false;
  if (category > 0) {
    // long form (date, group, value): one line per group, the ten biggest
    const sums = {};
    for (const r of rows) sums[r[category]] = (sums[r[category]] || 0) + (r[value] || 0);
    const groups = Object.entries(sums).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([g]) => g);
    datasets = groups.map((g) => {
      const by = {};
      for (const r of rows) if (String(r[category]) === g) by[String(r[0]).slice(0, 10)] = r[value];
      return { label: `${g} · ${columns[value].name}`, data: labels.map((d) => by[d] ?? null) };
    });
  } else {
    datasets = columns.map((c, i) => [c, i]).filter(([, i]) => numeric[i]).map(([c, i]) => {
      const by = {};
      for (const r of rows) by[String(r[0]).slice(0, 10)] = r[i];
      return { label: c.name, data: labels.map((d) => by[d] ?? null) };
    });
  }
  lineChart(canvas, labels, datasets);
  return true;
}

async function sqlView(params) {
  const gen = generation;
  const editor = el("textarea", { id: "sql", spellcheck: "false", "aria-label": "SQL" }, params.q || "");
  const limit = el("input", { id: "sql-limit", type: "number", min: "1", max: "10000", value: params.limit || "1000" });
  const out = el("div", { id: "sql-output" });
  const examples = el("div", { class: "examples", id: "sql-examples" });
  const views = el("aside", { id: "sql-views" }, loading());
  const run = async () => {
    clearCharts();
    setHash("sql", { q: editor.value, limit: limit.value === "1000" ? "" : limit.value });
    out.replaceChildren(el("p", { class: "muted" }, "Running…"));
    try {
      const response = await fetch("/v1/sql", { method: "POST", headers: authHeaders({ "content-type": "application/json" }),
        body: JSON.stringify({ sql: editor.value, params: null, limit: Number(limit.value) || 1000 }) });
      const body = await response.json().catch(() => null);
      if (!body || body.ok !== true) {
        const err = (body && body.error) || { message: response.statusText };
        if (response.status === 401) document.getElementById("apikey").open = true;
        out.replaceChildren(el("p", { class: "error" }, `${err.type ? `${err.type}: ` : ""}${err.message}`));
        return;
      }
      const m = body.meta || {};
      const rows = body.rows.map((r) => Object.fromEntries(body.columns.map((c, i) => [c.name, r[i]])));
      const [chartDiv, canvas] = chartBox("sql-chart");
      const summary = el("p", { class: "muted", id: "sql-meta" }, `${m.row_count} rows${m.truncated ? " (truncated at the limit)" : ""} · ${m.elapsed_ms} ms${m.as_of ? ` · history from ${m.stored_from} to ${m.as_of}` : ""} `,
        csvButton("query.csv", null, () => [body.columns.map((c) => c.name), body.rows]));
      out.replaceChildren(summary, chartDiv, table(rows, body.columns.map((c) => [c.name, c.name, { num: /INT|DOUBLE|FLOAT|DECIMAL|NUMERIC|REAL|BIGINT/i.test(c.type) }]), m.hint || "The query returned no rows."));
      if (!sqlChart(canvas, body.columns, body.rows)) chartDiv.remove();
    } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  editor.addEventListener("keydown", (e) => { if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(); } });
  view.replaceChildren(el("h1", {}, "SQL over the history"),
    el("p", { class: "muted" }, "One SELECT (or WITH) over the views on the right, through POST /v1/sql. Ctrl+Enter runs it. A first column of dates draws a chart."),
    el("div", { class: "sql" }, el("div", {}, examples, editor,
      el("div", { class: "controls" }, el("label", {}, "row limit", limit), el("button", { id: "sql-run", type: "button", onclick: run }, "Run")), out), views));
  try {
    const catalog = await getJSON("/v1/sql/views");
    if (gen !== generation) return;
    examples.replaceChildren(...catalog.examples.map((x, i) => el("button", { type: "button", class: "secondary", "data-example": i, title: x.sql,
      onclick: () => { editor.value = x.sql; run(); } }, x.title)));
    views.replaceChildren(...catalog.views.map((v) => el("details", { open: v.name === "repo_days" || v.name === "repos" },
      el("summary", {}, el("code", {}, v.name)), el("p", { class: "muted" }, v.description || ""),
      el("ul", {}, v.columns.map((c) => el("li", { title: c.description || "" }, el("code", {}, c.name), ` ${c.type}`))))));
    if (!editor.value && catalog.examples.length) editor.value = catalog.examples[0].sql;
    if (params.q) run();
  } catch (e) {
    if (gen !== generation) return;
    views.replaceChildren(notRoute(e) ? el("p", { class: "notice" }, "This server has no SQL door (/v1/sql): it needs a newer hubsight.") : errorBox(e));
  }
}

// -- routing, lookup, API key --------------------------------------------------------------------

async function route() {
  generation++;
  clearCharts();
  if (document.activeElement !== document.getElementById("lookup-id")) document.getElementById("lookup-id").value = "";
  const [path, query] = (location.hash.slice(1) || "/home").split("?");
  const params = Object.fromEntries(new URLSearchParams(query || ""));
  const parts = path.split("/").filter(Boolean);
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.nav === (parts[0] || "home"));
  await busy(show(parts, params));
}

/** Marks the view busy (aria-busy) while ``work`` runs, so assistive tech and tests know when it is drawn. */
async function busy(work) {
  const mine = generation;
  view.setAttribute("aria-busy", "true");
  try { await work; } finally { if (mine === generation) view.removeAttribute("aria-busy"); }
}

function show(parts, params) {
  switch (parts[0]) {
    case "repo": return repo(SINGULAR[parts[1]] || parts[1], parts.slice(2).map(decodeURIComponent).join("/")); // #/repo/models/... too
    case "trending": return trending(params);
    case "new": return fresh(params);
    case "compare": return compare(params);
    case "papers": return papers(params);
    case "arena": return arena();
    case "console": return consoleView(params);
    case "sql": return sqlView(params);
    default: return home(params);
  }
}

function setupLookup() {
  const form = document.getElementById("lookup");
  const box = document.getElementById("lookup-id");
  const kind = document.getElementById("lookup-kind");
  const list = document.getElementById("suggestions");
  let focus = -1;
  let asked = 0; // bumped by each request and each close: an answer to an older one is dropped
  const close = () => { suggest.cancel(); asked++; list.replaceChildren(); focus = -1; };
  const suggest = debounce(async () => {
    const q = box.value.trim();
    if (!q) return close();
    const mine = ++asked;
    const found = await getJSON(`/v1/repos/suggest?kind=${kind.value}&q=${encodeURIComponent(q)}&limit=8`).catch(() => null);
    if (!found || mine !== asked || box.value.trim() !== q) return;
    list.replaceChildren(...found.items.map((i) => el("li", { role: "option" }, el("a", { href: `#/repo/${i.kind}/${i.repo_id}`, onclick: close },
      el("span", {}, i.repo_id), i.deleted_on ? el("span", { class: "badge deleted" }, `deleted ${i.deleted_on}`) : el("span", { class: "badge" }, i.kind)))));
    if (!found.items.length) list.replaceChildren(el("li", { class: "muted", style: "padding:.3rem .5rem" }, `No ${kind.value} id contains “${q}”`));
  }, 120);
  box.addEventListener("input", suggest);
  kind.addEventListener("change", suggest);
  box.addEventListener("keydown", (e) => {
    const links = [...list.querySelectorAll("a")];
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!links.length) return;
      focus = (focus + (e.key === "ArrowDown" ? 1 : -1) + links.length) % links.length;
      links.forEach((a, i) => a.classList.toggle("focus", i === focus));
    } else if (e.key === "Escape") close();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const links = [...list.querySelectorAll("a")];
    if (focus >= 0 && links[focus]) location.hash = links[focus].getAttribute("href");
    else if (box.value.trim()) location.hash = `#/repo/${kind.value}/${box.value.trim()}`;
    close();
  });
  document.addEventListener("click", (e) => { if (!form.contains(e.target)) close(); });
  window.addEventListener("hashchange", close); // a list left open would cover the next view
}

function setupApiKey() {
  const details = document.getElementById("apikey");
  const field = document.getElementById("apikey-input");
  const summary = document.getElementById("apikey-summary");
  const show = () => { summary.textContent = localStorage.getItem(KEY_STORE) ? "API key ✓" : "API key"; };
  field.value = localStorage.getItem(KEY_STORE) || "";
  document.getElementById("apikey-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (field.value.trim()) localStorage.setItem(KEY_STORE, field.value.trim()); else localStorage.removeItem(KEY_STORE);
    details.open = false; show(); route();
  });
  document.getElementById("apikey-clear").addEventListener("click", () => {
    localStorage.removeItem(KEY_STORE); field.value = ""; details.open = false; show(); route();
  });
  show();
}

setupLookup();
setupApiKey();
window.addEventListener("hashchange", route);
route();
