// Dependency fields (`Depends: a (>= 1) | b, c:any`) as OR-groups of package names.

export interface Relation {
  name: string;
  /** `>=`, `<<`, ... with the version, when given. */
  op?: string;
  version?: string;
}

/** Parses a relationship field into AND-ed groups of OR-ed alternatives. */
export function parseRelations(field: string | undefined): Relation[][] {
  if (!field) return [];
  return field
    .split(',')
    .map((group) =>
      group
        .split('|')
        .map((alt): Relation | undefined => {
          const m = /^\s*([a-z0-9][a-z0-9+.-]*)(?::[a-z0-9-]+)?\s*(?:\(\s*([<>=]+)\s*([^)\s]+)\s*\))?/i.exec(alt.replace(/\[[^\]]*\]|<[^>]*>/g, ''));
          return m ? { name: m[1].toLowerCase(), op: m[2], version: m[3] } : undefined;
        })
        .filter((r): r is Relation => r !== undefined),
    )
    .filter((g) => g.length > 0);
}
