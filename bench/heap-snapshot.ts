import { readFileSync } from 'node:fs';

// Reads V8 .heapsnapshot files (v8.writeHeapSnapshot) and compares two of one process: objects,
// self size and retained size per constructor, and the objects of the second snapshot that were
// not in the first (V8 keeps an object's id across the snapshots of one process).

interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface ClassTotals {
  count: number;
  self: number;
  /** Retained size of the class's objects not dominated by another object of the same class. */
  retained: number;
}

export interface HeapSummary {
  totalSelf: number;
  byClass: Map<string, ClassTotals>;
  /** Object ids, for telling which objects of a later snapshot are new. */
  ids: Set<number>;
  /** Per class, the objects not in `before` (when given), with their self size. */
  newByClass: Map<string, { count: number; self: number }>;
  /** Retaining paths (root-ward constructor names) of a few new objects of the largest classes. */
  newSamples: Map<string, string[]>;
}

/** Devtools' class name: the constructor for objects, `(type)` for the rest. */
function classOf(type: string, name: string): string {
  if (type === 'object' || type === 'native') {
    return name;
  }
  if (type === 'closure') {
    return `(closure ${name || 'anonymous'})`.slice(0, 60);
  }
  return `(${type})`;
}

/**
 * Summarizes one snapshot; with `before` (the summary of an earlier snapshot of the same
 * process), also which of its objects are new.
 */
export function summarizeSnapshot(file: string, before?: HeapSummary): HeapSummary {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
  const { meta } = raw.snapshot;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const typeOffset = meta.node_fields.indexOf('type');
  const nameOffset = meta.node_fields.indexOf('name');
  const idOffset = meta.node_fields.indexOf('id');
  const selfOffset = meta.node_fields.indexOf('self_size');
  const edgeCountOffset = meta.node_fields.indexOf('edge_count');
  const edgeTypeOffset = meta.edge_fields.indexOf('type');
  const toOffset = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const shortcut = edgeTypes.indexOf('shortcut');
  const { nodes, edges, strings } = raw;
  const count = nodes.length / nodeFields;

  // Classes, and the first edge of each node.
  const classIds = new Int32Array(count);
  const classNames: string[] = [];
  const classIndex = new Map<string, number>();
  const firstEdge = new Int32Array(count + 1);
  for (let node = 0, edge = 0; node < count; node++) {
    firstEdge[node] = edge;
    edge += nodes[node * nodeFields + edgeCountOffset]! * edgeFields;
    const name = classOf(
      nodeTypes[nodes[node * nodeFields + typeOffset]!]!,
      strings[nodes[node * nodeFields + nameOffset]!]!,
    );
    let id = classIndex.get(name);
    if (id === undefined) {
      id = classNames.length;
      classNames.push(name);
      classIndex.set(name, id);
    }
    classIds[node] = id;
  }
  firstEdge[count] = edges.length;
  const strong = (edge: number) => {
    const type = edges[edge + edgeTypeOffset];
    return type !== weak && type !== shortcut;
  };

  // Depth-first post order from the root (node 0) over strong edges.
  const postOrder = new Int32Array(count).fill(-1);
  const order: number[] = [];
  const visited = new Uint8Array(count);
  const stack: number[] = [0];
  const cursor = new Int32Array(count);
  visited[0] = 1;
  cursor[0] = firstEdge[0]!;
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    let pushed = false;
    while (cursor[node]! < firstEdge[node + 1]!) {
      const edge = cursor[node]!;
      cursor[node] = edge + edgeFields;
      if (!strong(edge)) continue;
      const target = edges[edge + toOffset]! / nodeFields;
      if (visited[target] === 0) {
        visited[target] = 1;
        cursor[target] = firstEdge[target]!;
        stack.push(target);
        pushed = true;
        break;
      }
    }
    if (!pushed) {
      stack.pop();
      postOrder[node] = order.length;
      order.push(node);
    }
  }

  // Predecessors (reachable nodes only), then Cooper–Harvey–Kennedy's iterative dominators.
  const predecessorCount = new Int32Array(count + 1);
  for (let node = 0; node < count; node++) {
    if (visited[node] === 0) continue;
    for (let edge = firstEdge[node]!; edge < firstEdge[node + 1]!; edge += edgeFields) {
      if (strong(edge)) predecessorCount[edges[edge + toOffset]! / nodeFields + 1]!++;
    }
  }
  for (let node = 0; node < count; node++) {
    predecessorCount[node + 1]! += predecessorCount[node]!;
  }
  const predecessors = new Int32Array(predecessorCount[count]!);
  const fill = predecessorCount.slice(0, count);
  for (let node = 0; node < count; node++) {
    if (visited[node] === 0) continue;
    for (let edge = firstEdge[node]!; edge < firstEdge[node + 1]!; edge += edgeFields) {
      if (strong(edge)) predecessors[fill[edges[edge + toOffset]! / nodeFields]!++] = node;
    }
  }
  const dominator = new Int32Array(count).fill(-1);
  dominator[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (postOrder[a]! < postOrder[b]!) a = dominator[a]!;
      while (postOrder[b]! < postOrder[a]!) b = dominator[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let index = order.length - 2; index >= 0; index--) {
      const node = order[index]!;
      let idom = -1;
      for (let p = predecessorCount[node]!; p < predecessorCount[node + 1]!; p++) {
        const predecessor = predecessors[p]!;
        if (dominator[predecessor] === -1) continue;
        idom = idom === -1 ? predecessor : intersect(predecessor, idom);
      }
      if (idom !== -1 && dominator[node] !== idom) {
        dominator[node] = idom;
        changed = true;
      }
    }
  }

  // Retained sizes: children come before their dominator in post order.
  const retained = new Float64Array(count);
  for (const node of order) retained[node] = nodes[node * nodeFields + selfOffset]!;
  for (const node of order) {
    if (node !== 0) retained[dominator[node]!]! += retained[node]!;
  }

  // Per class: objects and self size of every reachable object; retained size of those with no
  // object of their own class above them in the dominator tree.
  const children = new Int32Array(count + 1);
  for (const node of order) if (node !== 0) children[dominator[node]! + 1]!++;
  for (let node = 0; node < count; node++) children[node + 1]! += children[node]!;
  const childList = new Int32Array(children[count]!);
  const childFill = children.slice(0, count);
  for (const node of order) if (node !== 0) childList[childFill[dominator[node]!]!++] = node;
  const onPath = new Int32Array(classNames.length);
  const byClass = new Map<string, ClassTotals>();
  const totalsOf = (node: number) => {
    const name = classNames[classIds[node]!]!;
    let totals = byClass.get(name);
    if (totals === undefined) {
      totals = { count: 0, self: 0, retained: 0 };
      byClass.set(name, totals);
    }
    return totals;
  };
  const walk: number[] = [0];
  const leaving = new Uint8Array(count);
  while (walk.length > 0) {
    const node = walk.pop()!;
    const classId = classIds[node]!;
    if (leaving[node] === 1) {
      onPath[classId]!--;
      continue;
    }
    const totals = totalsOf(node);
    totals.count++;
    totals.self += nodes[node * nodeFields + selfOffset]!;
    if (onPath[classId] === 0) totals.retained += retained[node]!;
    onPath[classId]!++;
    leaving[node] = 1;
    walk.push(node);
    for (let c = children[node]!; c < children[node + 1]!; c++) walk.push(childList[c]!);
  }

  const ids = new Set<number>();
  const newByClass = new Map<string, { count: number; self: number }>();
  const newNodes: number[] = [];
  for (const node of order) {
    const id = nodes[node * nodeFields + idOffset]!;
    ids.add(id);
    if (before !== undefined && !before.ids.has(id)) {
      const name = classNames[classIds[node]!]!;
      const entry = newByClass.get(name) ?? { count: 0, self: 0 };
      entry.count++;
      entry.self += nodes[node * nodeFields + selfOffset]!;
      newByClass.set(name, entry);
      newNodes.push(node);
    }
  }

  // For the classes with the most new bytes: the dominator chain of three of their new objects.
  const newSamples = new Map<string, string[]>();
  const largest = [...newByClass.entries()]
    .sort((a, b) => b[1].self - a[1].self)
    .slice(0, 8)
    .map(([name]) => name);
  for (const name of largest) {
    const paths: string[] = [];
    for (const node of newNodes) {
      if (classNames[classIds[node]!] !== name) continue;
      const chain: string[] = [];
      for (let up = dominator[node]!; up !== 0 && chain.length < 8; up = dominator[up]!) {
        const upName = strings[nodes[up * nodeFields + nameOffset]!]!;
        chain.push(
          `${classNames[classIds[up]!]}${upName && !classNames[classIds[up]!]!.includes(upName) ? `:${upName.slice(0, 40)}` : ''}`,
        );
      }
      paths.push(chain.join(' < '));
      if (paths.length === 3) break;
    }
    newSamples.set(name, paths);
  }
  let totalSelf = 0;
  for (const node of order) totalSelf += nodes[node * nodeFields + selfOffset]!;
  return { totalSelf, byClass, ids, newByClass, newSamples };
}

export interface ClassDiff {
  name: string;
  countBefore: number;
  countAfter: number;
  retainedBefore: number;
  retainedAfter: number;
  selfBefore: number;
  selfAfter: number;
}

/** Classes by growth of retained size (then of self size), largest first. */
export function diffSummaries(before: HeapSummary, after: HeapSummary, top = 15): ClassDiff[] {
  const names = new Set([...before.byClass.keys(), ...after.byClass.keys()]);
  const zero: ClassTotals = { count: 0, self: 0, retained: 0 };
  return [...names]
    .map((name) => {
      const a = before.byClass.get(name) ?? zero;
      const b = after.byClass.get(name) ?? zero;
      return {
        name,
        countBefore: a.count,
        countAfter: b.count,
        retainedBefore: a.retained,
        retainedAfter: b.retained,
        selfBefore: a.self,
        selfAfter: b.self,
      };
    })
    .sort(
      (x, y) =>
        Math.abs(y.selfAfter - y.selfBefore) - Math.abs(x.selfAfter - x.selfBefore) ||
        Math.abs(y.retainedAfter - y.retainedBefore) - Math.abs(x.retainedAfter - x.retainedBefore),
    )
    .slice(0, top);
}
