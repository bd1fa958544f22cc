import type { RouteDef } from '../../shared/http/route.ts';

// Matches a request against the route table the way API Gateway HTTP APIs do: `{name}` takes
// exactly one path segment, `{name+}` the rest of the path, and the most specific route wins.

export type Match =
  | { kind: 'route'; route: RouteDef; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'none' };

interface Compiled {
  route: RouteDef;
  segments: string[];
  /** Literal segments count more than parameters when two templates fit one path. */
  specificity: number;
}

export function createMatcher(routes: readonly RouteDef[]) {
  const compiled: Compiled[] = routes.map((route) => {
    const segments = route.path.split('/').slice(1);
    return { route, segments, specificity: segments.filter((s) => !s.startsWith('{')).length * 2 + (segments.some(isGreedy) ? 0 : 1) };
  });
  compiled.sort((a, b) => b.specificity - a.specificity);

  return (method: string, rawPath: string): Match => {
    const parts = rawPath.split('/').slice(1);
    const allow = new Set<string>();
    for (const c of compiled) {
      const pathParameters = matchSegments(c.segments, parts);
      if (!pathParameters) continue;
      if (c.route.method === method) return { kind: 'route', route: c.route, pathParameters };
      allow.add(c.route.method);
    }
    return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'none' };
  };
}

const isGreedy = (s: string) => /^\{\w+\+\}$/.test(s);

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  // `/` itself: the one route whose only segment is empty.
  if (template.length === 1 && template[0] === '') return parts.length === 1 && parts[0] === '' ? {} : undefined;
  const params: Record<string, string> = {};
  for (const [i, t] of template.entries()) {
    const part = parts[i];
    if (isGreedy(t)) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      params[t.slice(1, -2)] = decode(rest.join('/'));
      return params;
    }
    if (part === undefined || part === '') return undefined;
    if (t.startsWith('{') && t.endsWith('}')) params[t.slice(1, -1)] = decode(part);
    else if (t !== part) return undefined;
  }
  return parts.length === template.length ? params : undefined;
}

/** API Gateway hands handlers decoded path parameters; a malformed escape is passed on as sent. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
