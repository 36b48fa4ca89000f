// The charter page: an editor checked as you type, and panels that ask the
// JSON API the questions the command line asks. No framework, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
const money = (s) => {
  const n = Number(s);
  return (n < 0 ? "−$" : "$") + Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
};
const short = (n) => n >= 1e9 ? "$" + +(n / 1e9).toFixed(2) + "B" : n >= 1e6 ? "$" + +(n / 1e6).toFixed(2) + "M" : n >= 1e3 ? "$" + +(n / 1e3).toFixed(2) + "K" : "$" + Math.round(n);
const cite = (c) => c ? (c.section ? c.section + ": " : "") + (c.clause || "") : "";

const state = { name: null, saved: "", ok: false, info: null, events: [], chart: null, last: 0 };

// Every request carries the token the page was served with: the server
// answers no other (a page on another site cannot read it).
const TOKEN = document.querySelector('meta[name="charter-token"]').content;
const send = (path, method, body) => fetch(path, {
  method: method || "GET",
  headers: Object.assign({ "X-Charter-Token": TOKEN }, body === undefined ? {} : { "Content-Type": "application/json" }),
  body: body === undefined ? undefined : JSON.stringify(body),
});

async function api(path, body) {
  const r = await send(path, "POST", body);
  const v = await r.json();
  if (!r.ok) throw new Error(v.error || r.statusText);
  return v;
}

function say(text) { $("status").textContent = text; }

// ---- editor -------------------------------------------------------------

// Spans are byte offsets into the UTF-8 text; a JavaScript string counts
// UTF-16 units. The index in the string of a byte offset:
function toIndex(text, byte) {
  let b = 0, i = 0;
  for (const ch of text) {
    if (b >= byte) break;
    const c = ch.codePointAt(0);
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  return i;
}

function lineOf(text, offset) {
  let line = 1, col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") { line++; col = 1; } else col++;
  }
  return [line, col];
}

function paint(diags) {
  const text = $("text").value;
  const lines = text.split("\n").length;
  diags = diags.map((d) => Object.assign({}, d, { span: { start: toIndex(text, d.span.start), end: toIndex(text, d.span.end) } }));
  const bad = new Set(diags.map((d) => lineOf(text, d.span.start)[0]));
  let g = "";
  for (let i = 1; i <= lines; i++) g += (bad.has(i) ? '<span class="bad">' + i + "</span>" : i) + "\n";
  $("gutter").innerHTML = g;
  // The shadow under the text underlines each problem's span.
  const spans = diags.map((d) => [d.span.start, Math.max(d.span.end, d.span.start + 1), d.message]).sort((a, b) => a[0] - b[0]);
  let html = "", at = 0;
  for (const [s, e, m] of spans) {
    if (s < at) continue;
    html += esc(text.slice(at, s)) + '<mark title="' + esc(m) + '">' + esc(text.slice(s, e)) + "</mark>";
    at = e;
  }
  $("shadow").innerHTML = html + esc(text.slice(at)) + "\n";
  $("text").style.height = (lines * 18 + 12) + "px";
  $("diagnostics").innerHTML = diags.map((d) => {
    const [l, c] = lineOf(text, d.span.start);
    return '<li data-line="' + l + '"><b>line ' + l + ":" + c + "</b> " + esc(d.message) +
      (d.label ? " — " + esc(d.label) : "") + (d.help ? '<div class="help">help: ' + esc(d.help) + "</div>" : "") +
      ' <span class="cite">' + esc(d.code) + "</span></li>";
  }).join("");
}

let checking = 0;
async function check() {
  const mine = ++checking;
  const v = await api("/api/check", { charter: $("text").value });
  if (mine !== checking) return;
  state.ok = v.ok;
  paint(v.diagnostics || []);
  if (v.ok) {
    state.info = v;
    fill($("event"), [["", "liquidation"]].concat(v.events.map((e) => [e, e])));
    fill($("action"), v.actions.map((a) => [a, a]));
    votes();
    say(v.company + ($("text").value !== state.saved ? " — edited, not saved" : ""));
    refresh();
  } else say(v.diagnostics.length + " problem" + (v.diagnostics.length === 1 ? "" : "s"));
}

function fill(select, options) {
  const keep = select.value;
  select.innerHTML = options.map(([v, t]) => '<option value="' + esc(v) + '">' + esc(t) + "</option>").join("");
  if (options.some(([v]) => v === keep)) select.value = keep;
}

let timer = null;
$("text").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 250); paint([]); });

async function load(name) {
  const r = await send("/api/files/" + encodeURIComponent(name));
  const v = await r.json();
  if (!r.ok) return say(v.error);
  state.name = name; state.saved = v.text; state.events = [];
  $("text").value = v.text;
  renderEvents();
  await check();
}

$("save").addEventListener("click", async () => {
  const r = await send("/api/files/" + encodeURIComponent(state.name), "PUT", { text: $("text").value });
  const v = await r.json();
  if (r.ok) { state.saved = $("text").value; say("saved " + v.saved); } else say(v.error);
});

// ---- exit explorer --------------------------------------------------------

const eventName = () => $("event").value;
const asEvent = () => eventName() ? ' as "' + eventName() + '"' : "";
const ceiling = () => state.chart ? Number(state.chart.to) * 3 : 1e8;
const fromSlider = (p) => p <= 0 ? 0 : Math.round(Math.pow(10, 4 + (Math.log10(ceiling()) - 4) * p / 1000) * 100) / 100;
const toSlider = (x) => x <= 0 ? 0 : Math.max(1, Math.min(1000, 1000 * (Math.log10(x) - 4) / (Math.log10(ceiling()) - 4)));

function exitValue() {
  const t = $("exit").value.trim().replace(/[$,\s]/g, "");
  const m = /^([0-9.]+)([KMB]?)$/i.exec(t);
  if (!m) return null;
  return Number(m[1]) * ({ "": 1, K: 1e3, M: 1e6, B: 1e9 }[m[2].toUpperCase()]);
}

$("slider").addEventListener("input", () => { $("exit").value = short(fromSlider(Number($("slider").value))); payout(); });
$("exit").addEventListener("change", () => { const x = exitValue(); if (x !== null) $("slider").value = toSlider(x); payout(); });
$("event").addEventListener("change", refresh);

async function refresh() {
  if (!state.ok) return;
  await drawChart();
  await payout();
  const active = document.querySelector(".tab.on").id;
  if (active === "breakpoints") breakpoints();
  if (active === "scenario") prices();
}

async function payout() {
  if (!state.ok) return;
  const x = exitValue();
  if (x === null) return say("write an exit such as $50M");
  const mine = ++state.last;
  const out = await api("/api/query", { charter: $("text").value, statements: state.events.concat(["payout $" + x.toFixed(2) + asEvent()]) });
  if (mine !== state.last) return;
  const a = out[out.length - 1];
  if (a.error) return ($("payout").innerHTML = problems(a));
  const why = (c) => c.explanation.map((l) => money(l.amount) + " " + l.what + " (" + cite(l.cite) + ")").join("\n");
  $("payout").innerHTML = "<table><tr><th>class</th><th>shares</th><th>payout</th><th>per share</th><th>converted</th></tr>" +
    a.classes.map((c) => '<tr title="' + esc(why(c)) + '"><td>' + esc(c.name) + '</td><td class="n">' + Number(c.shares).toLocaleString("en-US") +
      '</td><td class="n payout">' + money(c.payout) + '</td><td class="n">$' + esc(c.per_share) + "</td><td>" + (c.converted ? "yes" : "no") + "</td></tr>").join("") +
    a.pools.map((p) => '<tr><td>' + esc(p.name) + '</td><td class="n">' + Number(p.shares).toLocaleString("en-US") + '</td><td class="n payout">' + money(p.payout) + "</td><td></td><td>" + (p.exercised ? "exercised" : "") + "</td></tr>").join("") +
    "</table>" + (a.holders.length ? "<table><tr><th>holder</th><th>class</th><th>payout</th></tr>" +
    a.holders.map((h) => "<tr><td>" + esc(h.name) + "</td><td>" + esc(h.class) + '</td><td class="n">' + money(h.payout) + "</td></tr>").join("") + "</table>" : "") +
    ((a.groups || []).length ? "<table><tr><th>group</th><th>members</th><th>payout</th></tr>" +
    a.groups.map((g) => "<tr><td>" + esc(g.name) + "</td><td>" + esc(g.members.join(", ")) + '</td><td class="n">' + money(g.payout) + "</td></tr>").join("") + "</table>" : "") +
    '<p class="cite">Hover over a class for each amount\'s clause. ' + esc(a.remainder_rule) + ".</p>";
  marker(x);
}

const W = 640, H = 300, L = 70, B = 30, T = 10;
function scale(ch) {
  const x0 = Number(ch.from), x1 = Number(ch.to);
  let y1 = 1;
  for (const s of ch.series) for (const v of s.values) y1 = Math.max(y1, Number(v));
  return { x: (v) => L + (W - L - 10) * (v - x0) / (x1 - x0 || 1), y: (v) => H - B - (H - B - T) * v / (y1 * 1.05), y1 };
}
const PALETTE = ["#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"];

async function drawChart() {
  const ch = await api("/api/chart", { charter: $("text").value, statements: state.events, event: eventName() });
  if (ch.error) { $("chart").innerHTML = ""; state.chart = null; return; }
  state.chart = ch;
  const s = scale(ch);
  let svg = '<line x1="' + L + '" y1="' + (H - B) + '" x2="' + W + '" y2="' + (H - B) + '" stroke="#000"/>';
  for (let i = 0; i <= 4; i++) {
    const xv = Number(ch.from) + (Number(ch.to) - Number(ch.from)) * i / 4, yv = s.y1 * i / 4;
    svg += '<text x="' + s.x(xv) + '" y="' + (H - 10) + '" font-size="10" text-anchor="middle">' + short(xv) + "</text>";
    svg += '<text x="' + (L - 5) + '" y="' + s.y(yv) + '" font-size="10" text-anchor="end">' + short(yv) + "</text>";
  }
  ch.markers.forEach((m, i) => {
    svg += '<line class="bp" x1="' + s.x(m.exit) + '" x2="' + s.x(m.exit) + '" y1="' + T + '" y2="' + (H - B) + '" stroke="#888"><title>' + esc(short(Number(m.exit)) + ": " + m.label) + "</title></line>";
  });
  ch.series.forEach((ser, k) => {
    const pts = ch.exits.map((x, i) => s.x(Number(x)).toFixed(1) + "," + s.y(Number(ser.values[i])).toFixed(1)).join(" ");
    svg += '<polyline class="series" fill="none" stroke-width="2" stroke="' + PALETTE[k % 8] + '" points="' + pts + '"><title>' + esc(ser.name) + "</title></polyline>";
    svg += '<text x="' + (L + 8) + '" y="' + (T + 12 + 12 * k) + '" font-size="10" fill="' + PALETTE[k % 8] + '">' + esc(ser.name) + "</text>";
  });
  svg += '<line id="now" y1="' + T + '" y2="' + (H - B) + '" stroke="#c00" stroke-dasharray="4 3"/>';
  $("chart").innerHTML = svg;
  if (exitValue() !== null) $("slider").value = toSlider(exitValue());
}

function marker(x) {
  if (!state.chart) return;
  const s = scale(state.chart), px = Math.min(W, s.x(Math.min(x, Number(state.chart.to))));
  $("now").setAttribute("x1", px); $("now").setAttribute("x2", px);
}

function problems(a) {
  return "<ul>" + (a.diagnostics || []).map((d) => '<li class="fail">' + esc(d.message) + (d.help ? " — " + esc(d.help) : "") + "</li>").join("") + "</ul>";
}

// ---- breakpoints, scenario, approvals, compare, tests -------------------

async function breakpoints() {
  const out = await api("/api/query", { charter: $("text").value, statements: state.events.concat(["breakpoints" + asEvent()]) });
  const a = out[out.length - 1];
  if (a.error) return ($("breakpoints").innerHTML = problems(a));
  $("breakpoints").innerHTML = "<table><tr><th>exit</th><th>why</th><th>clause</th></tr>" + a.breakpoints.map((b) =>
    '<tr><td class="n">' + money(b.exit) + (b.more_digits ? "…" : "") + "</td><td>" + esc(b.cause) + (b.jump ? " <b>(a jump)</b>" : "") +
    '</td><td class="cite">' + esc(cite(b.cite)) + "</td></tr>").join("") + "</table>";
}

function renderEvents() {
  $("events").innerHTML = state.events.map((e, i) => "<li><code>" + esc(e) + '</code> <button data-drop="' + i + '">remove</button></li>').join("");
}
$("events").addEventListener("click", (e) => { const i = e.target.dataset.drop; if (i !== undefined) { state.events.splice(Number(i), 1); renderEvents(); refresh(); } });
$("add-event").addEventListener("click", async () => {
  const st = $("new-event").value.trim();
  if (!st) return;
  const out = await api("/api/query", { charter: $("text").value, statements: state.events.concat([st]) });
  const a = out[out.length - 1];
  if (a.error) return ($("prices").innerHTML = problems(a));
  state.events.push(st); $("new-event").value = ""; renderEvents(); refresh();
});

async function prices() {
  const out = await api("/api/query", { charter: $("text").value, statements: state.events.concat(["conversion prices"]) });
  const a = out[out.length - 1];
  if (a.error) return ($("prices").innerHTML = problems(a));
  $("prices").innerHTML = "<table><tr><th>series</th><th>conversion price</th><th>ratio</th><th>how it came about</th></tr>" + a.series.map((s) =>
    "<tr><td>" + esc(s.name) + '</td><td class="n">' + (s.conversion_price ? "$" + esc(s.conversion_price) : "—") + '</td><td class="n">' + esc(s.conversion_ratio || "—") +
    "</td><td>" + s.adjustments.map((x) => "<div><b>" + esc(x.event) + "</b>: " + esc(x.kind) + " $" + esc(x.before) + " → $" + esc(x.after) +
      '<br><span class="cite">' + x.steps.map(esc).join("<br>") + " (" + esc(cite(x.cite)) + ")</span></div>").join("") + "</td></tr>").join("") + "</table>";
}

function votes() {
  const info = state.info;
  $("votes").innerHTML = info.classes.map((c) => '<label>' + esc(c.name) + ' <input class="vote" data-class="' + esc(c.ident) + '" size="4" value="100"> %</label> ').join("") +
    "<br>" + info.holders.map((h) => '<label>' + esc(h) + ' <select class="hvote" data-holder="' + esc(h) + '"><option value="">as its class</option><option>yes</option><option>no</option></select></label> ').join("");
}
$("approve").addEventListener("click", async () => {
  const with_ = [...document.querySelectorAll(".vote")].map((i) => i.dataset.class + " " + (Number(i.value) || 0) + "%").join(", ");
  const hs = [...document.querySelectorAll(".hvote")].filter((s) => s.value).map((s) => '"' + s.dataset.holder + '" ' + s.value).join(", ");
  const st = "approve " + $("action").value + " with " + with_ + (hs ? " and " + hs : "");
  const out = await api("/api/query", { charter: $("text").value, statements: state.events.concat([st]) });
  const a = out[out.length - 1];
  if (a.error) return ($("consents").innerHTML = problems(a));
  $("consents").innerHTML = "<p><b>" + (a.passes === true ? "passes" : a.passes === false ? "fails" : "undecided") + "</b> — " + esc(a.description) + "</p><table><tr><th>consent</th><th>required</th><th>votes</th><th>met</th></tr>" +
    a.consents.map((c) => "<tr><td>" + esc(cite(c.cite)) + "<br>" + c.conditions.map(esc).join("<br>") + "</td><td>" + (c.required === null ? "depends" : c.required ? "yes" : "no") + "</td><td>" +
      c.votes.map((v) => esc(v.voters + ": " + v.threshold + " " + v.basis + (v.reached ? ", reached " + (Number(v.reached) * 100).toFixed(2) + "%" : ""))).join("<br>") +
      '</td><td class="' + (c.met ? "pass" : "fail") + '">' + (c.met === null ? "—" : c.met ? "met" : "not met") + "</td></tr>").join("") + "</table>" +
    (a.missing.length ? "<p>Would decide it: " + a.missing.map(esc).join("; ") + "</p>" : "");
});

// The option pricing method: what `value at ...` answers, with the
// scenario's events run first and the event chosen in the explorer.
$("run-value").addEventListener("click", async () => {
  const st = "value at " + $("equity").value.trim() + " volatility " + $("volatility").value.trim() + "% term " +
    $("term").value.trim() + " years rate " + $("rate").value.trim() + "%" + asEvent();
  const out = await api("/api/query", { charter: $("text").value, statements: state.events.concat([st]) });
  const a = out[out.length - 1];
  if (a.error) return ($("values").innerHTML = problems(a));
  const rows = (list) => list.map((c) => "<tr><td>" + esc(c.name) + '</td><td class="n">' + Number(c.shares).toLocaleString("en-US") +
    '</td><td class="n value">' + money(c.value) + '</td><td class="n">$' + esc(c.per_share) + "</td></tr>").join("");
  const head = (who) => "<table><tr><th>" + who + "</th><th>shares</th><th>value</th><th>per share</th></tr>";
  $("values").innerHTML = "<p>Equity " + money(a.equity) + ", volatility " + esc(Number(a.volatility) * 100) + "%, term " + esc(a.term) +
    " years, rate " + esc(Number(a.rate) * 100) + "% (" + esc(a.event) + ")</p>" +
    head("class or pool") + rows(a.classes) + "</table>" + (a.holders.length ? head("named holder") + rows(a.holders) + "</table>" : "") +
    "<table><tr><th>from</th><th>to</th><th>call at the lower</th><th>tranche value</th><th>why it starts</th></tr>" +
    a.tranches.map((t) => '<tr><td class="n">' + money(t.from) + '</td><td class="n">' + (t.to === null ? "∞" : money(t.to)) + '</td><td class="n">' + money(t.call) +
      '</td><td class="n">' + money(t.value) + '</td><td class="cite">' + t.causes.map((c) => esc(c.what) + " (" + esc(cite(c.cite)) + ")").join("<br>") + "</td></tr>").join("") +
    "</table>" + (a.jumps.length ? "<table><tr><th>jump at</th><th>unit value</th><th>by class</th></tr>" + a.jumps.map((j) => '<tr><td class="n">' + money(j.exit) +
      '</td><td class="n">' + esc(j.unit) + "</td><td>" + j.parts.map((p) => esc(p.name) + " " + money(p.value)).join("<br>") + "</td></tr>").join("") + "</table>" : "") +
    '<p class="cite">' + esc(a.rounding) + ".</p>";
});

$("run-compare").addEventListener("click", async () => {
  const other = $("other").value;
  let b = state.saved, label = state.name + " as saved";
  if (other) { const r = await send("/api/files/" + encodeURIComponent(other)); b = (await r.json()).text; label = other; }
  const v = await api("/api/compare", { a: b, b: $("text").value, a_label: label, b_label: "as edited", event: eventName() });
  if (v.error) return ($("comparison").innerHTML = problems(v));
  $("comparison").innerHTML = "<table><tr><th>exit</th><th>class</th><th>" + esc(v.a) + "</th><th>" + esc(v.b) + "</th><th>difference</th></tr>" +
    v.rows.map((r) => r.classes.map((c, i) => '<tr><td class="n">' + (i ? "" : money(r.exit)) + "</td><td>" + esc(c.name) + '</td><td class="n">' + (c.a === null ? "—" : money(c.a)) +
      '</td><td class="n">' + (c.b === null ? "—" : money(c.b)) + '</td><td class="n">' + money(c.difference) + "</td></tr>").join("")).join("") + "</table>" +
    "<p>Clauses that differ:</p><ul>" + v.clauses.map((c) => "<li>" + esc(c.block + " " + c.section) + ": <code>" + esc(c.a || "—") + "</code> → <code>" + esc(c.b || "—") + "</code></li>").join("") + "</ul>";
});

$("run-tests").addEventListener("click", async () => {
  const v = await api("/api/test", { charter: $("text").value, name: state.name });
  if (v.error) return ($("outcomes").innerHTML = problems(v));
  const blocks = v.files.flatMap((f) => f.expectations);
  $("outcomes").innerHTML = blocks.map((b) => "<h4>" + esc(b.name) + ' <span class="cite">' + esc(b.section || "") + "</span></h4><ul>" +
    b.claims.map((c) => '<li class="' + (c.holds ? "pass" : "fail") + '">' + (c.holds ? "✓ " : "✗ ") + esc(c.claim) + (c.holds ? "" : " — expected " + esc(c.expected) + ", got " + esc(c.actual)) + "</li>").join("") + "</ul>").join("");
});

// ---- tabs and start -----------------------------------------------------

$("tabs").addEventListener("click", (e) => {
  const t = e.target.dataset.tab;
  if (!t) return;
  document.querySelectorAll("#tabs button, .tab").forEach((n) => n.classList.remove("on"));
  e.target.classList.add("on"); $(t).classList.add("on");
  if (t === "breakpoints") breakpoints();
  if (t === "scenario") prices();
});
$("file").addEventListener("change", () => load($("file").value));

(async () => {
  const v = await (await send("/api/files")).json();
  fill($("file"), v.files.map((f) => [f, f]));
  fill($("other"), [["", "the file as saved"]].concat(v.files.map((f) => [f, f])));
  if (v.files.length) await load(v.files[0]);
})();
