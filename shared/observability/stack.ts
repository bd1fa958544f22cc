import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

// Stack frames as file and line of our source, for the log of an unexpected error. Node could map every
// stack itself (--enable-source-maps), but it then reads and parses the whole source map as the function
// loads: 8 ms of each cold start, measured (decision 006), for something needed only when a 500 is logged.
// So the map beside the bundle (index.mjs.map) is read here, the first time it is needed.

let map: SourceMap | null | undefined;

function bundleMap(): SourceMap | null {
  if (map === undefined) {
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${import.meta.filename}.map`, 'utf8')));
    } catch {
      // Not bundled (tsx, tests) or no map shipped: frames already name the source, or stay as they are.
      map = null;
    }
  }
  return map;
}

/** A source path from the map, from the project's own folders down (the map's are relative to wherever it was built). */
const fromProject = (source: string) => source.replace(/^.*?(?=(shared|functions|infra|node_modules)\/)/, '');

/** One `at … file.mjs:line:column` frame, mapped to the source it was bundled from. */
function mapped(frame: string, m: SourceMap): string {
  return frame.replace(/\(?([^\s()]+\.mjs):(\d+):(\d+)\)?$/, (whole, _file, line, column) => {
    const entry = m.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    return entry.originalSource ? `${fromProject(entry.originalSource)}:${entry.originalLine! + 1}:${entry.originalColumn! + 1}` : whole;
  });
}

/**
 * Where an error was thrown and the frames of our own code it passed through (the SDK's middleware
 * would fill a short stack otherwise), mapped to source files where a bundle's map is at hand.
 */
export function topFrames(error: unknown, ours = 5): string {
  const frames = ((error as Error)?.stack ?? '').split('\n').filter((l) => l.trimStart().startsWith('at '));
  const m = frames.some((f) => /\.mjs:\d+:\d+/.test(f)) ? bundleMap() : null;
  const all = m ? frames.map((f) => mapped(f, m)) : frames;
  const own = all.slice(1).filter((f) => !/node_modules|node:internal/.test(f)).slice(0, ours);
  return [all[0], ...own].filter(Boolean).map((f) => f!.trim()).join('\n');
}
