#!/usr/bin/env python3
"""The house rules a compiler does not check (issue #16), run by `make test`:

1. No import cycle between the files of one crate: every `crate::a::b` path (and `super::`) in a
   file is an edge to the module file it names; a strongly connected group of two or more files
   is a cycle and fails the check.
2. The store's folders are layers: `kernel` imports nothing above it; `register` only `kernel`;
   the domains (`security`, `appraisal`, `training`, `survey`, `sync`) import `kernel` and
   `register`, never each other; `fixtures` sits on top and may use any domain.
3. No product file over 600 lines (tests, generated bindings and message tables excepted).

Prints what is wrong and exits 1, or prints a one-line summary.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 600
# Generated from Rust, or text tables; their length is not code.
LONG_ALLOWED = {"ui/src/lib/bindings.ts"}
# The store's folders by layer: a folder may import its own and lower layers, and within the
# domain layer only itself.
STORE_LAYERS = {"kernel": 0, "register": 1, "security": 2, "appraisal": 2, "training": 2,
                "survey": 2, "sync": 2, "fixtures": 3}
DOMAIN = 2

PATH_RE = re.compile(r"\b(crate|super|self)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
USE_GROUP_RE = re.compile(r"\buse\s+(crate|super|self)::\{([^;]*)\};", re.S)


def module_of(src: Path, file: Path) -> tuple[str, ...]:
    rel = file.relative_to(src).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] in ("lib", "main", "mod"):
        parts = parts[:-1]
    return tuple(parts)


def strip_comments(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def test_free(text: str) -> str:
    """The file without its `#[cfg(test)] mod tests { ... }` block (tests may import anything)."""
    m = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)
    return text[: m.start()] if m else text


def paths_in(text: str) -> list[tuple[str, list[str]]]:
    found = []
    for m in USE_GROUP_RE.finditer(text):
        root, body = m.group(1), m.group(2)
        # `use crate::{a::X, b::{Y, Z}}`: each top-level item is a path of its own.
        depth, item = 0, ""
        for ch in body + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                head = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", item.split("{")[0])
                if head:
                    found.append((root, head))
                item = ""
            else:
                item += ch
    text = USE_GROUP_RE.sub("", text)
    for m in PATH_RE.finditer(text):
        found.append((m.group(1), m.group(2).strip(":").split("::")))
    return found


def crate_graph(src: Path):
    files = {module_of(src, f): f for f in src.rglob("*.rs")}
    edges: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in files}
    for mod, file in files.items():
        text = test_free(strip_comments(file.read_text()))
        for root, segs in paths_in(text):
            # In a/b.rs and in a/b/mod.rs alike, `self` is a::b and `super` is a.
            base = () if root == "crate" else mod[:-1] if root == "super" else mod
            # A path through `super::super` etc.
            while segs and segs[0] == "super":
                base, segs = base[:-1], segs[1:]
            target = base
            for seg in segs:
                if target + (seg,) in files:
                    target = target + (seg,)
                else:
                    break
            if target != mod and target in files and target != ():
                edges[mod].add(target)
    return files, edges


def cycles(edges):
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(group)

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def name(mod):
    return "::".join(mod) or "lib"


def main() -> int:
    problems: list[str] = []
    crates = sorted(p for p in (ROOT / "crates").glob("*/src") if p.is_dir())
    crates += [p for p in [ROOT / "src-tauri" / "src"] if p.is_dir()]
    checked = 0
    for src in crates:
        files, edges = crate_graph(src)
        checked += len(files)
        for group in cycles(edges):
            problems.append(
                f"{src.relative_to(ROOT)}: berkas saling mengimpor (siklus): "
                + ", ".join(sorted(name(m) for m in group))
            )
        if src.parent.name == "store":
            for mod, targets in edges.items():
                if not mod:
                    continue
                if mod[0] not in STORE_LAYERS:
                    if len(mod) > 0 and files[mod].parent == src and mod[0] != "error":
                        problems.append(f"crates/store: {name(mod)} tidak berada di folder lapisan")
                    continue
                here = STORE_LAYERS[mod[0]]
                for t in targets:
                    there = STORE_LAYERS.get(t[0], 0)
                    if t[0] == mod[0]:
                        continue
                    if there > here or (there == here == DOMAIN):
                        problems.append(
                            f"crates/store: {name(mod)} mengimpor {name(t)} — lapisan "
                            "hanya mengimpor yang di bawahnya (kernel < register < domain < fixtures)"
                        )
    product = [p for p in (ROOT / "crates").glob("*/src/**/*.rs")]
    product += list((ROOT / "src-tauri" / "src").glob("**/*.rs"))
    product += [p for p in (ROOT / "ui" / "src").glob("**/*") if p.suffix in (".ts", ".svelte")]
    for p in sorted(product):
        rel = str(p.relative_to(ROOT))
        if rel in LONG_ALLOWED or p.name.endswith(".test.ts"):
            continue
        n = sum(1 for _ in p.open())
        if n > MAX_LINES:
            problems.append(f"{rel}: {n} baris (batas {MAX_LINES})")
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} pelanggaran struktur")
        return 1
    print(f"struktur: {checked} berkas Rust tanpa siklus impor; tidak ada berkas produk > {MAX_LINES} baris")
    return 0


if __name__ == "__main__":
    sys.exit(main())
