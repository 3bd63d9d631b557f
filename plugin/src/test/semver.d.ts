// semver ships no types and @types/semver is not a dependency; the one function the tests use.
declare module 'semver' {
  export function validRange(range: string): string | null;
  const semver: { validRange: typeof validRange };
  export default semver;
}
