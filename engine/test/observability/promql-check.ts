import { parser } from '@prometheus-io/lezer-promql';
import { instantQuery, labelValues } from './stack.js';

/** One query to run against the real Prometheus, named for the failure message. */
export interface QueryCase {
  where: string;
  expr: string;
  /** Grafana's label_values(metric, label): asked through the label values API instead. */
  labelValues?: { metric: string; label: string };
  /** False for an alert expression that is empty unless its alert fires (its selectors must still have data). */
  mustReturnData: boolean;
}

/** Replaces Grafana's `$name`, `${name}` and `[[name]]`, longest names first. */
export function substitute(expr: string, vars: Record<string, string>): string {
  let out = expr;
  for (const name of Object.keys(vars).sort((a, b) => b.length - a.length)) out = out.split(`\${${name}}`).join(vars[name]).split(`[[${name}]]`).join(vars[name]).split(`$${name}`).join(vars[name]);
  return out;
}

/** The vector selectors of a PromQL expression (metric name and matchers), by Prometheus's own grammar. */
export function selectorsOf(expr: string): { selectors: string[]; parseError?: number } {
  const selectors = new Set<string>();
  let parseError: number | undefined;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) parseError ??= node.from;
      if (node.name === 'VectorSelector') selectors.add(expr.slice(node.from, node.to));
    },
  });
  return { selectors: [...selectors], ...(parseError !== undefined ? { parseError } : {}) };
}

/**
 * Runs every case and returns the problems, each naming its query: an expression Prometheus
 * rejects, a selector no metric feeds (a misspelt name or label), an expression with no data.
 */
export async function checkQueries(prometheus: string, cases: readonly QueryCase[]): Promise<string[]> {
  const problems: string[] = [];
  for (const c of cases) {
    if (c.labelValues) {
      const values = await labelValues(prometheus, c.labelValues.label, c.labelValues.metric).catch((e: Error) => e);
      if (values instanceof Error) problems.push(`${c.where}: ${c.expr}: ${values.message}`);
      else if (values.length === 0) problems.push(`${c.where}: ${c.expr} lists no values`);
      continue;
    }
    const { selectors, parseError } = selectorsOf(c.expr);
    if (parseError !== undefined) problems.push(`${c.where}: does not parse at character ${parseError}: ${c.expr}`);
    const result = await instantQuery(prometheus, c.expr).catch((e: Error) => e);
    if (result instanceof Error) {
      problems.push(`${c.where}: Prometheus rejects it (${result.message}): ${c.expr}`);
      continue;
    }
    for (const s of selectors) {
      const fed = await instantQuery(prometheus, s).catch(() => []);
      if (fed.length === 0) problems.push(`${c.where}: no metric feeds ${s}`);
    }
    if (c.mustReturnData && result.length === 0) problems.push(`${c.where}: returns no data: ${c.expr}`);
  }
  return problems;
}
