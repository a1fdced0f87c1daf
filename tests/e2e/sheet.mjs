// Reads back the spreadsheets the app writes, independently of the Rust code that wrote them: an
// .xlsx is a zip of XML parts (read here with node's zlib), a .csv is RFC 4180 text.
import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

/** The files inside a zip archive, by name, found through its central directory. */
function unzip(buf) {
  let end = buf.length - 22;
  while (end >= 0 && buf.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("not a zip file (no end of central directory)");
  const entries = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const files = {};
  for (let n = 0; n < entries; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error("a broken central directory");
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    at += 46 + skip;
  }
  return files;
}

const unescape = (s) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[e.toLowerCase()];
  });

const column = (ref) => [...ref.replace(/\d+$/, "")].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;

/**
 * The first worksheet of an .xlsx as rows of cells: `{ value, type }`, where type is the cell's
 * `t` attribute ("s" for a shared string, "str"/"inlineStr" for text, "n" for a number).
 */
export function readXlsx(path) {
  const files = unzip(readFileSync(path));
  const text = (name) => files[name]?.toString("utf8");
  const shared = [...(text("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g)].map(([, si]) =>
    [...si.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map(([, t]) => unescape(t)).join(""),
  );
  const sheet = text("xl/worksheets/sheet1.xml");
  if (!sheet) throw new Error(`no first worksheet in ${path}: ${Object.keys(files).join(", ")}`);
  const rows = [];
  for (const [, attrs, body] of sheet.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
    const r = Number(/\br="(\d+)"/.exec(attrs)[1]) - 1;
    const cells = [];
    for (const [, cellAttrs, inner = ""] of body.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const c = column(/\br="([A-Z]+\d+)"/.exec(cellAttrs)[1]);
      const type = /\bt="(\w+)"/.exec(cellAttrs)?.[1] ?? "n";
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
      const value =
        type === "s" ? shared[Number(v)] : type === "inlineStr" ? unescape(/<t[^>]*>([\s\S]*?)<\/t>/.exec(inner)?.[1] ?? "") : unescape(v ?? "");
      cells[c] = { value, type };
    }
    rows[r] = cells;
  }
  return rows;
}

/** The rows of a .csv file (quoted fields, doubled quotes, commas and newlines inside quotes). */
export function readCsv(path) {
  const s = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && s[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += ch;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
