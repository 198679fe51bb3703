// The `layerlens.*` settings the server reads, with their defaults.
export interface ServerSettings {
  build: { args: Record<string, string>; target: string };
  sizePrediction: { enabled: boolean };
  /** Severity per rule code; 'off' disables the rule. */
  diagnostics: { severity: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'> };
  /** Formatting re-indents hand-formatted continuation lines only when asked. */
  formatting: { reflowContinuations: boolean };
}

export const defaultSettings: ServerSettings = {
  build: { args: {}, target: '' },
  sizePrediction: { enabled: true },
  diagnostics: { severity: {} },
  formatting: { reflowContinuations: false },
};

/** Merges what the client sent (possibly partial or malformed) over the defaults. */
export function readSettings(value: unknown): ServerSettings {
  const section = isRecord(value) ? value : {};
  const build = isRecord(section.build) ? section.build : {};
  const size = isRecord(section.sizePrediction) ? section.sizePrediction : {};
  const diagnostics = isRecord(section.diagnostics) ? section.diagnostics : {};
  const formatting = isRecord(section.formatting) ? section.formatting : {};
  return {
    build: {
      args: stringRecord(build.args),
      target: typeof build.target === 'string' ? build.target : '',
    },
    sizePrediction: { enabled: typeof size.enabled === 'boolean' ? size.enabled : true },
    diagnostics: { severity: stringRecord(diagnostics.severity) as ServerSettings['diagnostics']['severity'] },
    formatting: { reflowContinuations: formatting.reflowContinuations === true },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
