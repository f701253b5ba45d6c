/**
 * Reads a V8 `.heapsnapshot` and sums self sizes by what each object is (its constructor, a
 * closure's function name, `(string)`, `(array)`...) and by what holds it (the first strong
 * retainer's kind and the edge's name), so two snapshots can be compared class by class
 * (bench/fanout-heap.ts).
 */
import fs from 'node:fs';

/** Count and self size (bytes) of one kind of object. */
export interface Tally {
  count: number;
  bytes: number;
}

export interface HeapSummary {
  totalBytes: number;
  /** By kind: `Foo` for objects, `Foo()` for closures, `(string)`, `(code)`, `(array)`... */
  byKind: Map<string, Tally>;
  /** By holder: `Holder.edge > Kind`, from the first strong retainer of each object. */
  byHolder: Map<string, Tally>;
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const add = (m: Map<string, Tally>, key: string, bytes: number) => {
  const t = m.get(key);
  if (t) {
    t.count += 1;
    t.bytes += bytes;
  } else m.set(key, { count: 1, bytes });
};

/** Sums a snapshot's self sizes by kind and by holder. */
export function summarizeHeap(file: string): HeapSummary {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const { meta } = snap.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [nType, nName, nSize, nEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number];
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const { nodes, edges, strings } = snap;
  const count = nodes.length / nf;

  const kinds: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const type = nodeTypes[nodes[i * nf + nType]!]!;
    const name = strings[nodes[i * nf + nName]!]!;
    kinds[i] = type === 'object' || type === 'native' ? name : type === 'closure' ? `${name || '(anonymous)'}()` : `(${type})`;
  }
  // The first strong retainer of each node (weak and shortcut edges do not keep anything alive).
  const holder = new Int32Array(count).fill(-1);
  const holderEdge: string[] = new Array(count);
  let e = 0;
  for (let i = 0; i < count; i++) {
    const n = nodes[i * nf + nEdges]!;
    for (let k = 0; k < n; k++, e += ef) {
      const et = edgeTypes[edges[e + eType]!]!;
      if (et === 'weak' || et === 'shortcut') continue;
      const to = edges[e + eTo]! / nf;
      if (holder[to] !== -1) continue;
      holder[to] = i;
      holderEdge[to] = et === 'element' || et === 'hidden' ? `[${et}]` : String(strings[edges[e + eName]!]);
    }
  }
  const byKind = new Map<string, Tally>();
  const byHolder = new Map<string, Tally>();
  let totalBytes = 0;
  for (let i = 0; i < count; i++) {
    const bytes = nodes[i * nf + nSize]!;
    totalBytes += bytes;
    add(byKind, kinds[i]!, bytes);
    const h = holder[i]!;
    add(byHolder, h === -1 ? `(root) > ${kinds[i]}` : `${kinds[h]}.${holderEdge[i]} > ${kinds[i]}`, bytes);
  }
  return { totalBytes, byKind, byHolder };
}

/** Rows `key, count, bytes` of `after - before`, largest growth first. */
export function diffTallies(before: Map<string, Tally>, after: Map<string, Tally>, top: number): { key: string; count: number; bytes: number }[] {
  const rows = [...after].map(([key, t]) => ({ key, count: t.count - (before.get(key)?.count ?? 0), bytes: t.bytes - (before.get(key)?.bytes ?? 0) }));
  return rows.sort((a, b) => b.bytes - a.bytes).slice(0, top);
}
