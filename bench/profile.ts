import { readFileSync } from 'node:fs';

// Reading a V8 .cpuprofile (what `node --cpu-prof` and the inspector's Profiler write) as µs per
// request: self time by function, and inclusive time of named frames.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface FunctionTime {
  /** `name (file:line)` */
  frame: string;
  /** µs per request. */
  self: number;
}

export interface ProfileSummary {
  /** Sampled time not idle, µs per request (≈ the main thread's CPU per request). */
  busy: number;
  /** Functions by self time, largest first. */
  top: FunctionTime[];
  /** Inclusive time of frames whose name matches each focus, µs per request (outermost only). */
  focus: Record<string, number>;
}

function frameOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url
    .replace(/^.*\/node_modules\//, '')
    .replace(/^file:\/\/.*\/(bench|libs)\//, '$1/');
  return url === ''
    ? functionName || '(anonymous)'
    : `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})`;
}

/** Summarizes a profile of `requests` requests; `focus` names frames to time inclusively. */
export function summarizeProfile(
  file: string,
  requests: number,
  focus: readonly string[] = [],
  top = 25,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const selfById = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; the time a sample stands for is the next delta.
  for (let index = 0; index < profile.samples.length; index++) {
    const delta = profile.timeDeltas[index + 1] ?? 0;
    const id = profile.samples[index]!;
    selfById.set(id, (selfById.get(id) ?? 0) + delta);
  }
  const selfByFrame = new Map<string, number>();
  const focusTime: Record<string, number> = Object.fromEntries(focus.map((name) => [name, 0]));
  let busy = 0;
  for (const [id, time] of selfById) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      continue;
    }
    busy += time;
    const frame = frameOf(node);
    selfByFrame.set(frame, (selfByFrame.get(frame) ?? 0) + time);
    // Inclusive: charge the sample once to each focus whose name appears on its stack.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName;
      for (const wanted of focus) {
        if (name === wanted) {
          onStack.add(wanted);
        }
      }
    }
    for (const wanted of onStack) {
      focusTime[wanted]! += time;
    }
  }
  const perRequest = (time: number) => time / requests;
  return {
    busy: perRequest(busy),
    top: [...selfByFrame]
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
      .map(([frame, time]) => ({ frame, self: perRequest(time) })),
    focus: Object.fromEntries(
      Object.entries(focusTime).map(([name, time]) => [name, perRequest(time)]),
    ),
  };
}

/** The summary as Markdown. */
export function profileTable(title: string, summary: ProfileSummary): string {
  return [
    `### ${title}: ${summary.busy.toFixed(1)} µs/request sampled (main thread, not idle)`,
    '',
    '| self µs/req | function |',
    '|---:|---|',
    ...summary.top.map(({ frame, self }) => `| ${self.toFixed(2)} | \`${frame}\` |`),
    ...(Object.keys(summary.focus).length === 0
      ? []
      : [
          '',
          '| inclusive µs/req | frame |',
          '|---:|---|',
          ...Object.entries(summary.focus).map(
            ([name, time]) => `| ${time.toFixed(2)} | \`${name}\` |`,
          ),
        ]),
    '',
  ].join('\n');
}
