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
const count = (n) => Number(n).toLocaleString("en-US");
// A part of the proceeds, as the table shows it: 2 decimals of a percent.
const percent = (part, whole) => Number(whole) > 0 ? (100 * Number(part) / Number(whole)).toFixed(2) : "";
const cents = (s) => Math.round(Number(s) * 100);
const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

const state = {
  name: null, saved: "", ok: false, info: null, diags: [], events: [],
  base: null, chart: null, scale: null, answer: null, side: null,
  stale: { charter: "", exit: "" }, last: 0,
};

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
const dirty = () => state.name !== null && $("text").value !== state.saved;

// An answer on screen that no longer matches the charter or the exit is
// marked, with the reason, until a fresh one replaces it.
function stale(kind, reason) {
  state.stale[kind] = reason;
  const why = [state.stale.charter, state.stale.exit].filter(Boolean);
  $("right").classList.toggle("stale", why.length > 0);
  $("stale").hidden = !why.length;
  $("stale").textContent = why.length ? "Out of date: " + why.join("; ") + ". The answers below are for the last charter and exit that could be read." : "";
}

// A file made in the page and handed to the browser to save.
function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url; a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
// Text a spreadsheet would read as a formula (a holder named "=HYPERLINK(…)")
// gets a leading ' — as `charter --format csv` does; numbers are left alone.
const csvSafe = (s) => /^[=+\-@\t\r]/.test(s) && !/^-[\d.]+$/.test(s) ? "'" + s : s;
const csvCell = (v) => { const s = csvSafe(String(v)); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
const csv = (rows) => rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
const stem = () => (state.name || "charter").replace(/\.charter$/, "");

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

// "line 15: message", for the first of the diagnostics.
function firstProblem() {
  const d = state.diags[0];
  if (!d) return "";
  const text = $("text").value;
  return "line " + lineOf(text, toIndex(text, d.span.start))[0] + ": " + d.message;
}

function paint(diags) {
  const text = $("text").value;
  const all = text.split("\n");
  diags = diags.map((d) => Object.assign({}, d, { span: { start: toIndex(text, d.span.start), end: toIndex(text, d.span.end) } }));
  const bad = new Set(diags.map((d) => lineOf(text, d.span.start)[0]));
  let g = "";
  for (let i = 1; i <= all.length; i++) g += (bad.has(i) ? '<span class="bad">' + i + "</span>" : i) + "\n";
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
  // The text area is as tall and as wide as the text: the editor scrolls,
  // text and underlines together.
  const widest = all.reduce((w, l) => Math.max(w, l.length), 0);
  $("text").style.height = (all.length * 18 + 12) + "px";
  $("area").style.minWidth = "calc(" + widest + "ch + 16px)";
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
  state.diags = v.diagnostics || [];
  paint(state.diags);
  if (v.ok) {
    state.info = v;
    stale("charter", "");
    fill($("event"), [["", "liquidation"]].concat(v.events.map((e) => [e, e])));
    fill($("action"), v.actions.map((a) => [a, a]));
    votes();
    say(v.company + (dirty() ? " — edited, not saved" : ""));
    refresh();
  } else {
    const n = state.diags.length;
    stale("charter", "the charter has " + (n === 1 ? "an error" : n + " errors") + " (" + firstProblem() + ")");
    say(n + " problem" + (n === 1 ? "" : "s"));
  }
}

function fill(select, options) {
  const keep = select.value;
  select.innerHTML = options.map(([v, t]) => '<option value="' + esc(v) + '">' + esc(t) + "</option>").join("");
  if (options.some(([v]) => v === keep)) select.value = keep;
}

let timer = null;
$("text").addEventListener("input", () => {
  clearTimeout(timer); timer = setTimeout(() => check().catch((e) => say(e.message)), 250); paint([]);
  $("save").classList.toggle("dirty", dirty());
});

async function load(name) {
  const r = await send("/api/files/" + encodeURIComponent(name));
  const v = await r.json();
  if (!r.ok) { $("file").value = state.name || ""; return say(v.error); }
  state.name = name; state.saved = v.text; state.events = [];
  $("file").value = name;
  $("text").value = v.text;
  $("save").classList.remove("dirty");
  $("outcomes").innerHTML = ""; $("test-summary").textContent = "";
  renderEvents();
  await check();
  if (document.querySelector(".tab.on").id === "tests") runTests();
}

// Save writes the text back; a charter with errors only once the user says so.
$("save").addEventListener("click", async () => {
  if (state.name === null) return;
  clearTimeout(timer);
  try { await check(); } catch (e) { say(e.message); }
  if (!state.ok && state.diags.length) {
    const n = state.diags.length;
    const ask = "The charter has " + (n === 1 ? "an error" : n + " errors") + "; the first, " + firstProblem() +
      ".\n\nSave " + state.name + " with " + (n === 1 ? "it" : "them") + " anyway?";
    if (!window.confirm(ask)) return say("not saved: the charter has errors");
  }
  const text = $("text").value;
  const r = await send("/api/files/" + encodeURIComponent(state.name), "PUT", { text });
  const v = await r.json();
  if (r.ok) { state.saved = text; $("save").classList.toggle("dirty", dirty()); say("saved " + v.saved); } else say(v.error);
});

// Another file, or leaving the page, asks first when there are unsaved edits.
$("file").addEventListener("change", () => {
  const next = $("file").value;
  if (dirty() && !window.confirm("Discard the unsaved edits to " + state.name + " and open " + next + "?")) {
    $("file").value = state.name;
    return;
  }
  load(next);
});
window.addEventListener("beforeunload", (e) => {
  if (!dirty()) return;
  e.preventDefault();
  e.returnValue = "";
});

// ---- exit explorer --------------------------------------------------------

const eventName = () => $("event").value;
const asEvent = () => eventName() ? ' as "' + eventName() + '"' : "";

// An amount as the page reads one: "$50M", "50,000,000", "$1.5B", "750K".
function readExit(text) {
  const t = text.trim().replace(/[$,_\s]/g, "");
  const m = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)([KMB]?)$/i.exec(t);
  if (!m) return null;
  return Number(m[1]) * ({ "": 1, K: 1e3, M: 1e6, B: 1e9 }[m[2].toUpperCase()]);
}
const exitValue = () => readExit($("exit").value);
// Three significant figures: the slider's exits are round ones.
const round3 = (v) => {
  if (!(v > 100)) return Math.round(v * 100) / 100;
  const unit = Math.pow(10, Math.floor(Math.log10(v)) - 2);
  return Math.round(v / unit) * unit;
};

// The slider is on a log scale from 1% of the top breakpoint to three
// times it: each step of its travel multiplies the exit by the same factor.
const SLIDER = 1000;
function sliderRange() {
  const top = state.base ? state.base.top : 4e7;
  return [top / 100, top * 3];
}
function fromSlider(p) {
  const [lo, hi] = sliderRange();
  return round3(lo * Math.pow(hi / lo, p / SLIDER));
}
function toSlider(x) {
  const [lo, hi] = sliderRange();
  if (!(x > lo)) return 0;
  return Math.min(SLIDER, Math.round(SLIDER * Math.log(x / lo) / Math.log(hi / lo)));
}
function sliderEnds() {
  const [lo, hi] = sliderRange();
  $("slider-lo").textContent = short(round3(lo));
  $("slider-hi").textContent = short(round3(hi));
  const x = exitValue();
  if (x !== null) $("slider").value = toSlider(x);
}

let soon = null;
const later = (f, ms) => { clearTimeout(soon); soon = setTimeout(f, ms); };
$("slider").addEventListener("input", () => {
  $("exit").value = short(fromSlider(Number($("slider").value)));
  later(payout, 60);
});
$("exit").addEventListener("input", () => later(exitTyped, 300));
$("exit").addEventListener("change", exitTyped);
// An exit that cannot be read marks the answers stale; an answer still on
// its way for the exit before is then dropped, so that it cannot clear the
// mark when it arrives.
function unreadableExit() {
  ++state.last;
  stale("exit", "the exit “" + $("exit").value.trim() + "” cannot be read (write an amount such as $50M)");
}
function exitTyped() {
  clearTimeout(soon);
  const x = exitValue();
  if (x === null) return unreadableExit();
  stale("exit", "");
  $("slider").value = toSlider(x);
  payout();
}
$("event").addEventListener("change", refresh);

async function refresh() {
  if (!state.ok) return;
  await drawChart();
  await payout();
  const active = document.querySelector(".tab.on").id;
  if (active === "breakpoints") breakpoints();
  if (active === "scenario") prices();
  if (state.side) sideBySide();
}

async function payout() {
  if (!state.ok) return;
  const x = exitValue();
  if (x === null) return unreadableExit();
  const mine = ++state.last;
  follow(x);
  let out;
  try {
    out = await api("/api/query", { charter: $("text").value, statements: state.events.concat(["payout $" + x.toFixed(2) + asEvent()]) });
  } catch (e) { return say(e.message); }
  if (mine !== state.last) return;
  stale("exit", "");
  const a = out[out.length - 1];
  if (a.error) { state.answer = null; $("payout").innerHTML = problems(a); return; }
  state.answer = a;
  $("payout").innerHTML = payoutTables(a);
  marker(x);
}

// What each preferred class paid in, where the charter states its original
// issue price: that price × the shares it states outstanding (null when it
// states no price, or when the scenario has changed the shares).
function invested(c) {
  const k = state.info && state.info.classes.find((x) => x.name === c.name);
  if (!k || k.common || k.issue_price === null || k.issue_price === undefined) return null;
  if (Number(k.outstanding) !== Number(c.shares)) return null;
  return { price: k.issue_price, shares: k.outstanding, amount: Number(k.issue_price) * Number(k.outstanding) };
}
const multiple = (c, inv) => inv && inv.amount > 0 ? (Number(c.payout) / inv.amount).toFixed(2) : "";

function payoutTables(a) {
  const share = (p) => { const s = percent(p, a.exit); return s ? s + "%" : "—"; };
  const why = (c) => '<ul class="why">' + c.explanation.map((l) => "<li>" + money(l.amount) + " " + esc(l.what) + ' <span class="cite">(' + esc(cite(l.cite)) + ")</span></li>").join("") + "</ul>";
  const total = a.classes.reduce((t, c) => t + cents(c.payout), 0) + a.pools.reduce((t, p) => t + cents(p.payout), 0);
  let html = '<table class="classes"><thead><tr><th>class</th><th>payout</th><th>% of proceeds</th><th title="payout ÷ invested">multiple</th>' +
    '<th title="original issue price × shares outstanding">invested</th><th>shares</th><th>per share</th><th>converted</th></tr></thead><tbody>' +
    a.classes.map((c) => {
      const inv = invested(c), m = multiple(c, inv);
      return "<tr><td><details><summary>" + esc(c.name) + "</summary>" + why(c) + '</details></td><td class="n payout">' + money(c.payout) +
        '</td><td class="n pct">' + share(c.payout) + '</td><td class="n moic">' + (m ? m + "×" : "—") +
        '</td><td class="n invested"' + (inv ? ' title="' + esc("$" + inv.price + " × " + count(inv.shares) + " shares") + '"' : "") + ">" + (inv ? money(inv.amount) : "—") +
        '</td><td class="n">' + count(c.shares) + '</td><td class="n">$' + esc(c.per_share) + "</td><td>" + (c.converted ? "yes" : "no") + "</td></tr>";
    }).join("") +
    a.pools.map((p) => '<tr><td>' + esc(p.name) + '</td><td class="n payout">' + money(p.payout) + '</td><td class="n pct">' + share(p.payout) +
      '</td><td class="n moic">—</td><td class="n invested">—</td><td class="n">' + count(p.shares) + "</td><td></td><td>" + (p.exercised ? "exercised" : "") + "</td></tr>").join("") +
    '</tbody><tfoot><tr class="total"><th>total</th><td class="n total">' + money(total / 100) + '</td><td class="n pct">' + share(total / 100) +
    "</td><td></td><td></td><td></td><td></td><td></td></tr></tfoot></table>";
  if (a.holders.length) {
    const sum = a.holders.reduce((t, h) => t + cents(h.payout), 0);
    html += '<table class="holders"><thead><tr><th>holder</th><th>payout</th><th>% of proceeds</th><th>class</th><th>shares</th></tr></thead><tbody>' +
      a.holders.map((h) => "<tr" + (h.named ? "" : ' class="rest"') + "><td>" + esc(h.name) + '</td><td class="n hpayout">' + money(h.payout) +
        '</td><td class="n pct">' + share(h.payout) + "</td><td>" + esc(h.class) + '</td><td class="n">' + count(h.shares) + "</td></tr>").join("") +
      '</tbody><tfoot><tr class="total"><th>total</th><td class="n total">' + money(sum / 100) + '</td><td class="n pct">' + share(sum / 100) + "</td><td></td><td></td></tr></tfoot></table>";
  }
  if ((a.groups || []).length) {
    html += "<table><thead><tr><th>group</th><th>members</th><th>payout</th><th>% of proceeds</th></tr></thead><tbody>" +
      a.groups.map((g) => "<tr><td>" + esc(g.name) + "</td><td>" + esc(g.members.join(", ")) + '</td><td class="n">' + money(g.payout) + '</td><td class="n pct">' + share(g.payout) + "</td></tr>").join("") + "</tbody></table>";
  }
  return html + '<p class="cite">' + esc(a.event) + " at " + money(a.exit) + ". Tap or click a class for each amount's clause and section. " +
    "% of proceeds is the payout over the exit; the multiple is the payout over what the class paid in (its original issue price × its shares), " +
    "for a preferred class whose issue price the charter states (— where it states none). " + esc(capital(a.remainder_rule)) + ".</p>";
}

// The payout table as CSV: plain numbers, one row per class, pool, total
// and holder.
$("csv").addEventListener("click", () => {
  const a = state.answer;
  if (!a) return say("no payout to download");
  const rows = [["exit", "event", "kind", "name", "class", "shares", "payout", "percent_of_proceeds", "per_share", "invested", "multiple", "converted"]];
  let total = 0;
  for (const c of a.classes) {
    const inv = invested(c);
    total += cents(c.payout);
    rows.push([a.exit, a.event, "class", c.name, "", c.shares, c.payout, percent(c.payout, a.exit), c.per_share, inv ? inv.amount.toFixed(2) : "", multiple(c, inv), c.converted ? "yes" : "no"]);
  }
  for (const p of a.pools) {
    total += cents(p.payout);
    rows.push([a.exit, a.event, "pool", p.name, p.class, p.shares, p.payout, percent(p.payout, a.exit), "", "", "", p.exercised ? "exercised" : ""]);
  }
  rows.push([a.exit, a.event, "total", "", "", "", (total / 100).toFixed(2), percent(total / 100, a.exit), "", "", "", ""]);
  for (const h of a.holders) rows.push([a.exit, a.event, h.named ? "holder" : "other holders", h.name, h.class, h.shares, h.payout, percent(h.payout, a.exit), "", "", "", ""]);
  for (const g of a.groups || []) rows.push([a.exit, a.event, "group", g.name, g.members.join("; "), "", g.payout, percent(g.payout, a.exit), "", "", "", ""]);
  download(stem() + "-payout-" + Number(a.exit).toFixed(0) + ".csv", "text/csv", csv(rows));
});

// ---- exits side by side ------------------------------------------------------

// "$10M, $50M, $100M": commas that separate (followed by a space, a `$` or
// the end) rather than group digits.
function exitList() {
  const words = $("exits").value.replace(/,(?=\s|\$|$)/g, ";").split(/[;\s]+/).filter(Boolean);
  const bad = words.filter((w) => readExit(w) === null);
  return { exits: words.map(readExit).filter((x) => x !== null), bad };
}

async function sideBySide() {
  if (!state.ok) return;
  const { exits, bad } = exitList();
  if (bad.length || !exits.length || exits.length > 12) {
    $("side").innerHTML = '<p class="fail">' + (bad.length ? "cannot read " + bad.map((b) => "“" + esc(b) + "”").join(", ") + "; " : "") + "write up to 12 exits such as $10M, $50M, $100M</p>";
    return;
  }
  const st = exits.map((x) => "payout $" + x.toFixed(2) + asEvent());
  const out = await api("/api/query", { charter: $("text").value, statements: state.events.concat(st) });
  const answers = out.slice(-exits.length);
  const broken = out.find((a) => a.error);
  if (broken) { state.side = null; $("side").innerHTML = problems(broken); return; }
  state.side = answers;
  const row = (name, cls, values) => '<tr class="' + cls + '"><td>' + esc(name) + "</td>" + values.map((v) => '<td class="n">' + v + "</td>").join("") + "</tr>";
  const first = answers[0];
  const cell = (a, p) => money(p) + '<span class="pct">' + percent(p, a.exit) + "%</span>";
  let html = "<table><thead><tr><th>exit</th>" + answers.map((a) => '<th class="n" title="' + esc(money(a.exit)) + '">' + esc(short(Number(a.exit))) + "</th>").join("") + "</tr></thead><tbody>";
  html += first.classes.map((c, i) => row(c.name, "class", answers.map((a) => cell(a, a.classes[i].payout)))).join("");
  html += first.pools.map((p, i) => row(p.name, "pool", answers.map((a) => cell(a, a.pools[i].payout)))).join("");
  html += row("total", "total", answers.map((a) => money((a.classes.reduce((t, c) => t + cents(c.payout), 0) + a.pools.reduce((t, p) => t + cents(p.payout), 0)) / 100)));
  html += first.holders.map((h, i) => h.named ? row(h.name, "holder", answers.map((a) => cell(a, a.holders[i].payout))) : "").join("");
  html += first.classes.map((c, i) => invested(c) ? row(c.name + " multiple", "moic", answers.map((a) => multiple(a.classes[i], invested(a.classes[i])) + "×")) : "").join("");
  $("side").innerHTML = html + "</tbody></table>";
}
$("run-exits").addEventListener("click", sideBySide);
$("exits").addEventListener("keydown", (e) => { if (e.key === "Enter") sideBySide(); });
$("side-csv").addEventListener("click", () => {
  const answers = state.side;
  if (!answers) return say("show the exits side by side first");
  const rows = [["name", "kind"].concat(answers.map((a) => a.exit))];
  const first = answers[0];
  first.classes.forEach((c, i) => rows.push([c.name, "class"].concat(answers.map((a) => a.classes[i].payout))));
  first.pools.forEach((p, i) => rows.push([p.name, "pool"].concat(answers.map((a) => a.pools[i].payout))));
  first.holders.forEach((h, i) => rows.push([h.name, h.named ? "holder" : "other holders"].concat(answers.map((a) => a.holders[i].payout))));
  download(stem() + "-exits.csv", "text/csv", csv(rows));
});

// ---- the chart ---------------------------------------------------------------

// Okabe–Ito's colours, told apart with colour-blindness too; black is the
// exit marker's. Past seven series the colours repeat, dashed.
const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"];
const DASHES = ["", "7 4", "2 3"];
const FONT = 11, CHAR = 6.6; // a label's font size, and a character's width at most, near enough

// The least of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above x.
function niceUp(x) {
  if (!(x > 0)) return 1;
  const unit = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * unit >= x * (1 - 1e-9)) return Math.round(m * unit);
  return Math.round(10 * unit);
}
// A tick step of 1, 2, 2.5 or 5 × 10^k giving about n ticks over span.
function tickStep(span, n) {
  const raw = span / n, unit = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 2.5, 5]) if (m * unit >= raw) return m * unit;
  return 10 * unit;
}

// The x axis's step: one that divides the range (0 to a round number) into
// about `want` parts, else one near it.
function xStep(span, want) {
  let best = null;
  for (let unit = Math.pow(10, Math.floor(Math.log10(span)) - 2); unit <= span; unit *= 10) {
    for (const m of [1, 2, 2.5, 3, 4, 5]) {
      const n = span / (m * unit);
      if (Math.abs(n - Math.round(n)) < 1e-9 && n >= 2 && n <= 8 && (best === null || Math.abs(n - want) < Math.abs(span / best - want))) best = m * unit;
    }
  }
  return best || tickStep(span, want);
}

// The range the chart should cover for exit x: its own, or past x when x
// lies beyond it (to a round number at least 1.2 × x).
function wanted(x) {
  const base = state.base;
  if (x === null || x <= base.to) return base.to;
  return Math.min(1e16, niceUp(1.2 * x));
}

// Two counters: one for the chart of the text as checked (its own range),
// one for the range asked for around the exit; an answer no longer wanted
// is dropped.
let basing = 0, charting = 0;
async function drawChart() {
  const mine = ++basing;
  const body = { charter: $("text").value, statements: state.events, event: eventName() };
  let ch;
  try { ch = await api("/api/chart", body); } catch (e) { return say(e.message); }
  if (mine !== basing) return;
  ++charting;
  if (ch.error) { $("chart").innerHTML = ""; state.chart = state.base = state.scale = null; return; }
  const top = ch.markers.reduce((m, k) => Math.max(m, Number(k.exit)), 0);
  state.base = { body, to: Number(ch.to), top: top || Number(ch.to) };
  sliderEnds();
  state.chart = ch;
  const x = exitValue();
  if (wanted(x) === state.base.to) { render(); if (x !== null) marker(x); } else await follow(x);
}

// The chart follows the exit: when it leaves the range drawn, the range is
// asked for again around it.
async function follow(x) {
  if (!state.base || x === null) return;
  const to = wanted(x);
  if (state.chart && Number(state.chart.to) === to) return;
  const mine = ++charting;
  let ch;
  try { ch = await api("/api/chart", Object.assign({}, state.base.body, { from: "0", to: String(to) })); } catch (e) { return say(e.message); }
  if (mine !== charting || ch.error) return;
  state.chart = ch;
  render();
  const now = exitValue();
  if (now !== null) marker(now);
}

function render() {
  const ch = state.chart, svg = $("chart");
  if (!ch) { svg.innerHTML = ""; return; }
  const W = Math.max(280, svg.clientWidth || 640);
  const x0 = Number(ch.from), x1 = Number(ch.to);
  let ymax = 1;
  for (const s of ch.series) for (const v of s.values) ymax = Math.max(ymax, Number(v));
  const ys = tickStep(ymax, 4), y1 = Math.ceil(ymax / ys) * ys;
  const yticks = []; for (let v = 0; v <= y1 + ys / 2; v += ys) yticks.push(v);
  const L = 10 + Math.max(...yticks.map((v) => short(v).length)) * CHAR, R = 14, T = 22;
  const P = T + (W < 500 ? 190 : 240); // the plot's bottom
  const x = (v) => L + (W - L - R) * (v - x0) / (x1 - x0 || 1);
  const y = (v) => P - (P - T) * v / y1;
  state.scale = { x, L, R: W - R, T, P, W };
  const text = (px, py, s, anchor, extra) => '<text x="' + px.toFixed(1) + '" y="' + py.toFixed(1) + '" text-anchor="' + anchor + '"' + (extra || "") + ">" + esc(s) + "</text>";
  let out = '<rect class="plot" x="' + L + '" y="' + T + '" width="' + (W - R - L) + '" height="' + (P - T) + '" fill="#fff"/>';
  for (const v of yticks) {
    out += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v).toFixed(1) + '" y2="' + y(v).toFixed(1) + '" stroke="#e5e5e5"/>';
    out += text(L - 5, y(v) + 4, short(v), "end", ' class="ytick"');
  }
  const xs = xStep(x1 - x0, W < 500 ? 3 : 5);
  for (let i = Math.ceil(x0 / xs), v = i * xs; v <= x1 + xs / 1e6; i++, v = i * xs) {
    const label = short(v), half = label.length * CHAR / 2;
    const anchor = x(v) + half > W - 1 ? "end" : x(v) - half < 1 ? "start" : "middle";
    out += text(anchor === "end" ? Math.min(x(v), W - 1) : x(v), P + 16, label, anchor, ' class="xtick" data-v="' + v + '"');
  }
  out += '<line id="axis-x" x1="' + L + '" x2="' + (W - R) + '" y1="' + P + '" y2="' + P + '" stroke="#000"/>';
  out += '<line x1="' + L + '" x2="' + L + '" y1="' + T + '" y2="' + P + '" stroke="#000"/>';
  ch.markers.forEach((m, i) => {
    const px = x(Number(m.exit)).toFixed(1), title = "<title>" + esc("Breakpoint " + (i + 1) + " at " + money(m.exit) + ": " + m.label) + "</title>";
    out += '<line class="bp" x1="' + px + '" x2="' + px + '" y1="' + T + '" y2="' + P + '" stroke="#999" stroke-dasharray="1 2"/>';
    out += text(Number(px) + 3, P - 4 - 12 * (i % 2), String(i + 1), "start", ' class="bp-n" fill="#666"');
    out += '<line class="bp-hit" data-bp="' + i + '" x1="' + px + '" x2="' + px + '" y1="' + T + '" y2="' + P + '" stroke="transparent" stroke-width="18" pointer-events="stroke">' + title + "</line>";
  });
  ch.series.forEach((ser, k) => {
    const pts = ch.exits.map((e, i) => x(Number(e)).toFixed(1) + "," + y(Number(ser.values[i])).toFixed(1)).join(" ");
    const dash = DASHES[Math.floor(k / PALETTE.length) % DASHES.length];
    out += '<polyline class="series" fill="none" stroke-width="2.5" stroke="' + PALETTE[k % PALETTE.length] + '"' + (dash ? ' stroke-dasharray="' + dash + '"' : "") +
      ' points="' + pts + '"><title>' + esc(ser.name) + "</title></polyline>";
  });
  out += '<line id="now" y1="' + T + '" y2="' + P + '" x1="' + L + '" x2="' + L + '" stroke="#000" stroke-width="1.5" stroke-dasharray="5 3"/>';
  out += text(L, T - 8, "", "middle", ' id="now-label" font-weight="bold"');
  ch.series.forEach((ser, k) => {
    const dash = DASHES[Math.floor(k / PALETTE.length) % DASHES.length];
    out += '<g class="legend"><line stroke-width="3" stroke="' + PALETTE[k % PALETTE.length] + '"' + (dash ? ' stroke-dasharray="' + dash + '"' : "") + "/>" +
      text(0, 0, ser.name, "start") + "</g>";
  });
  svg.setAttribute("font-size", FONT);
  svg.setAttribute("font-family", "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif");
  svg.setAttribute("aria-label", ch.title || "payout curve");
  svg.innerHTML = out;
  // The legend, under the axis, in rows as wide as the chart, each entry as
  // wide as its name measures.
  let lx = L, ly = P + 38;
  for (const g of svg.querySelectorAll("g.legend")) {
    const line = g.querySelector("line"), t = g.querySelector("text");
    const w = 25 + (t.getComputedTextLength() || t.textContent.length * CHAR) + 16;
    if (lx + w > W - 4 && lx > L) { lx = L; ly += 18; }
    line.setAttribute("x1", lx); line.setAttribute("x2", lx + 20); line.setAttribute("y1", ly - 4); line.setAttribute("y2", ly - 4);
    t.setAttribute("x", lx + 25); t.setAttribute("y", ly);
    lx += w;
  }
  const H = ly + 8;
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.setAttribute("width", W); svg.setAttribute("height", H);
  // The estimate of a label's width was near enough; where it was not, the
  // label is moved inside.
  for (const t of svg.querySelectorAll("text.xtick")) {
    const b = t.getBBox();
    if (b.width && b.x + b.width > W - 1) { t.setAttribute("text-anchor", "end"); t.setAttribute("x", W - 1); }
    else if (b.width && b.x < 1) { t.setAttribute("text-anchor", "start"); t.setAttribute("x", 1); }
  }
}

function marker(v) {
  const s = state.scale;
  if (!s || !$("now")) return;
  const px = Math.max(s.L, Math.min(s.R, s.x(v)));
  $("now").setAttribute("x1", px.toFixed(1)); $("now").setAttribute("x2", px.toFixed(1));
  const label = $("now-label"), t = short(v);
  label.textContent = t;
  const half = Math.max(label.getComputedTextLength(), t.length * CHAR) / 2;
  label.setAttribute("x", Math.max(half + 1, Math.min(s.W - half - 1, px)).toFixed(1));
}

// Tap or click: on a breakpoint, its cause; elsewhere in the plot, the exit
// moves there.
$("chart").addEventListener("click", (e) => {
  const bp = e.target.dataset ? e.target.dataset.bp : undefined;
  const ch = state.chart, s = state.scale;
  if (!ch || !s) return;
  if (bp !== undefined) {
    const m = ch.markers[Number(bp)];
    $("chart-note").textContent = "Breakpoint " + (Number(bp) + 1) + " at " + money(m.exit) + ": " + m.label;
    return;
  }
  const box = $("chart").getBoundingClientRect();
  const px = (e.clientX - box.left) * s.W / box.width, py = (e.clientY - box.top) * Number($("chart").getAttribute("height")) / box.height;
  if (px < s.L || px > s.R || py < s.T || py > s.P) return;
  const v = round3(Number(ch.from) + (Number(ch.to) - Number(ch.from)) * (px - s.L) / (s.R - s.L));
  if (!(v > 0)) return;
  $("exit").value = short(v);
  exitTyped();
});

// Drawn again at its new width when its box changes (a window resized, a
// phone turned, a scroll bar come or gone), so its text keeps its size.
let resized = null;
new ResizeObserver(() => {
  clearTimeout(resized);
  resized = setTimeout(() => {
    const s = state.scale, w = $("chart").clientWidth;
    if (!w || (s && w === s.W)) return;
    render();
    const x = exitValue();
    if (x !== null) marker(x);
  }, 50);
}).observe($("chart"));

// The chart as a picture file, legend and all, on white.
$("svg").addEventListener("click", () => {
  if (!state.chart) return say("no chart to download");
  const svg = $("chart").cloneNode(true);
  svg.removeAttribute("id");
  svg.querySelectorAll(".bp-hit").forEach((n) => n.remove());
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  bg.setAttribute("width", "100%"); bg.setAttribute("height", "100%"); bg.setAttribute("fill", "#fff");
  svg.insertBefore(bg, svg.firstChild);
  const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
  title.textContent = state.chart.title || "payout curve";
  svg.insertBefore(title, svg.firstChild);
  download(stem() + "-chart.svg", "image/svg+xml", '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg) + "\n");
});

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
  const rows = (list) => list.map((c) => "<tr><td>" + esc(c.name) + '</td><td class="n">' + count(c.shares) +
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

// The expect blocks of the text as edited and of the file's companion
// NAME.charter.test, if the folder has one: each file's blocks, each
// claim passed or failed.
let testing = 0;
async function runTests() {
  const mine = ++testing;
  $("test-summary").textContent = "running…";
  $("test-summary").className = "";
  let v;
  try { v = await api("/api/test", { charter: $("text").value, name: state.name }); } catch (e) { v = { error: e.message, diagnostics: [{ message: e.message }] }; }
  if (mine !== testing) return;
  if (v.error) {
    $("test-summary").textContent = "not run: the charter has errors";
    $("test-summary").className = "fail";
    $("outcomes").innerHTML = problems(v);
    return;
  }
  $("test-summary").textContent = v.passed + " passed, " + v.failed + " failed";
  $("test-summary").className = v.failed ? "fail" : "pass";
  const claim = (c) => '<li class="' + (c.holds ? "pass" : "fail") + '">' + (c.holds ? "✓ " : "✗ ") + esc(c.claim) +
    (c.holds ? "" : c.not_run ? " — not run" : " — expected " + esc(c.expected) + ", got " + esc(c.actual)) + "</li>";
  const block = (b) => '<div class="block"><h4>' + esc(b.name) + ' <span class="cite">' + esc(b.section ? "§ " + b.section : "") + " · " +
    b.passed + " passed, " + b.failed + " failed</span></h4><ul>" + b.claims.map(claim).join("") +
    (b.problems || []).map((p) => '<li class="fail">' + esc(p.message) + "</li>").join("") + "</ul></div>";
  $("outcomes").innerHTML = v.files.map((f) => '<section class="test-file"><h3>' + esc(f.file) + "</h3>" +
    (f.expectations.length ? f.expectations.map(block).join("") : '<p class="cite">no expect blocks in this file</p>') + "</section>").join("");
}
$("run-tests").addEventListener("click", runTests);

// ---- tabs and start -----------------------------------------------------

$("tabs").addEventListener("click", (e) => {
  const t = e.target.dataset.tab;
  if (!t) return;
  document.querySelectorAll("#tabs button, .tab").forEach((n) => n.classList.remove("on"));
  e.target.classList.add("on"); $(t).classList.add("on");
  if (t === "explorer") { render(); const x = exitValue(); if (x !== null) marker(x); }
  if (t === "breakpoints") breakpoints();
  if (t === "scenario") prices();
  if (t === "tests") runTests();
});

(async () => {
  const v = await (await send("/api/files")).json();
  fill($("file"), v.files.map((f) => [f, f]));
  fill($("other"), [["", "the file as saved"]].concat(v.files.map((f) => [f, f])));
  if (v.files.length) await load(v.files[0]);
})();
