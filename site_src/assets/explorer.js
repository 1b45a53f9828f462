// juesuan SQL explorer: DuckDB-WASM (self-hosted, pinned) over the published Parquet files.
// Loaded only by data/explorer.html. Each table is fetched once, when a query first names it.
import * as duckdb from "../data/assets/duckdb/duckdb-browser.mjs";

const config = JSON.parse(document.getElementById("explorer-config").textContent);
const sqlBox = document.getElementById("explorer-sql");
const ready = document.getElementById("explorer-ready");
const runButton = document.getElementById("explorer-run");
const status = document.getElementById("explorer-status");
const result = document.getElementById("explorer-result");
const csvLink = document.getElementById("explorer-csv");
const asset = (name) => new URL(`../data/assets/duckdb/${name}`, import.meta.url).href;
// The Parquet bytes this page fetched (the engine's size is in the config), for readers and tests.
const state = (window.juesuanExplorer = { bytes: 0, tables: [], rows: null, error: null });
const FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"];

let dbPromise = null;
const loaded = new Map();

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  state.bytes += bytes.byteLength;
  return bytes;
}

async function database() {
  if (!dbPromise) {
    dbPromise = (async () => {
      // A same-origin worker: no CDN, no blob: URL.
      const worker = new Worker(asset("duckdb-browser-eh.worker.js"));
      const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
      await db.instantiate(asset("duckdb-eh.wasm"));
      return { db, conn: await db.connect() };
    })();
  }
  return dbPromise;
}

function tablesIn(sql) {
  const text = sql.toLowerCase();
  return Object.keys(config.tables).filter((name) => new RegExp(`(^|[^a-z0-9_])${name}([^a-z0-9_]|$)`).test(text));
}

async function ensureTables(db, conn, names) {
  for (const name of names) {
    if (loaded.has(name)) continue;
    const bytes = await fetchBytes(new URL(config.tables[name].url, document.baseURI).href);
    await db.registerFileBuffer(`${name}.parquet`, bytes);
    await conn.query(`CREATE OR REPLACE VIEW "${name}" AS SELECT * FROM read_parquet('${name}.parquet')`);
    loaded.set(name, bytes.byteLength);
    state.tables.push(name);
  }
}

// Decimals come back as exact text; trim the scale's zeros down to two places.
function showDecimal(text) {
  if (text === null || !text.includes(".")) return text;
  return text.replace(/(\.\d\d\d*?)0+$/, "$1");
}

async function run() {
  const sql = sqlBox.value.trim().replace(/;\s*$/, "");
  state.rows = null;
  state.error = null;
  csvLink.hidden = true;
  result.replaceChildren();
  status.textContent = "正在加载……";
  runButton.disabled = true;
  try {
    const { db, conn } = await database();
    await ensureTables(db, conn, tablesIn(sql));
    status.textContent = "正在查询……";
    // Materialize, then read every column as text: exact decimals, no float, no BigInt.
    await conn.query(`CREATE OR REPLACE TEMP TABLE __juesuan_result AS ${sql}`);
    const described = (await conn.query("DESCRIBE __juesuan_result")).toArray().map((r) => r.toJSON());
    const columns = described.map((d) => ({ name: String(d.column_name), type: String(d.column_type) }));
    const select = columns.map((c) => `CAST("${c.name.replaceAll('"', '""')}" AS VARCHAR)`).join(", ");
    const table = await conn.query(`SELECT ${select || "1"} FROM __juesuan_result`);
    const rows = table.toArray().map((r) => {
      const values = Object.values(r.toJSON());
      return columns.map((c, i) => (c.type.startsWith("DECIMAL") ? showDecimal(values[i]) : values[i]));
    });
    state.rows = rows;
    render(columns, rows);
    offerCsv(columns, rows);
    const mb = ((state.bytes + config.engine_bytes) / 1e6).toFixed(1);
    status.textContent = `${rows.length} 行。查询引擎与 ${state.tables.length} 个 Parquet 文件共 ${mb} MB（未压缩）。`;
  } catch (err) {
    state.error = String(err && err.message ? err.message : err);
    status.textContent = `查询出错：${state.error}`;
  } finally {
    runButton.disabled = false;
  }
}

const NUMERIC = /^(DECIMAL|BIGINT|INTEGER|HUGEINT|SMALLINT|TINYINT|DOUBLE|FLOAT|UBIGINT|UINTEGER)/;

function render(columns, rows) {
  const tableEl = document.createElement("table");
  const head = tableEl.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement("th");
    th.textContent = c.name;
    head.append(th);
  }
  const body = tableEl.createTBody();
  for (const row of rows.slice(0, 5000)) {
    const tr = body.insertRow();
    row.forEach((value, i) => {
      const td = tr.insertCell();
      td.textContent = value === null ? "" : value;
      if (NUMERIC.test(columns[i].type)) td.className = "num";
    });
  }
  const wrap = document.createElement("div");
  wrap.className = "juesuan-table";
  wrap.append(tableEl);
  result.append(wrap);
  if (rows.length > 5000) {
    const note = document.createElement("p");
    note.textContent = `只显示前 5000 行；CSV 含全部 ${rows.length} 行。`;
    result.append(note);
  }
}

function csvCell(value, numeric) {
  if (value === null) return "";
  let text = String(value);
  // The package's spreadsheet policy: text a spreadsheet would run as a formula gets a leading '.
  if (!numeric && FORMULA_STARTS.some((s) => text.startsWith(s))) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function offerCsv(columns, rows) {
  const lines = [columns.map((c) => csvCell(c.name, false)).join(",")];
  for (const row of rows) lines.push(row.map((v, i) => csvCell(v, NUMERIC.test(columns[i].type))).join(","));
  // UTF-8 with BOM: spreadsheet programs then read the Chinese text correctly.
  const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  if (csvLink.href) URL.revokeObjectURL(csvLink.href);
  csvLink.href = URL.createObjectURL(blob);
  csvLink.hidden = false;
}

ready.addEventListener("change", () => {
  const query = config.queries.find((q) => q.id === ready.value);
  if (query) sqlBox.value = query.sql;
});
runButton.addEventListener("click", run);
sqlBox.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run();
});
