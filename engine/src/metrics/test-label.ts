/** Characters of the run id kept in the `test` label. */
const ID_CHARS = 8;

/**
 * The value of the `test` label for a run: `<spec name>/<first 8 characters of the run id>`,
 * e.g. `spike-on-5-pods/1a2b3c4d`.
 *
 * Why both parts: dashboards and alerts key on `test` and people read it, so the name must be in
 * it; but two runs of the same spec (at once, or one after another within the retention period)
 * must not share series: their counters would add up and their gauges overwrite each other.
 * ARCHITECTURE §7 fixes the label set at {test,pod,code}, so there is no separate `run` label;
 * group runs of one spec with `test=~"spike-on-5-pods/.*"`. Eight hex digits of a UUID make a
 * collision between runs alive at the same time negligible (1 in 4·10⁹ per pair).
 *
 * Cardinality stays bounded because a run's series are removed after the retention period:
 * live series ≈ (running + recently ended runs) × pods seen × (2 codes + 16 histogram lines + 1).
 */
export function testLabel(id: string, name: string): string {
  return `${name}/${id.slice(0, ID_CHARS)}`;
}
