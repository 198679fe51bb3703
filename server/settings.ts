// The `layerlens.*` settings the server reads, with their defaults.
export interface ServerSettings {
  build: { args: Record<string, string>; target: string };
  sizePrediction: { enabled: boolean };
  /** Severity per rule code; 'off' disables the rule. */
  diagnostics: { severity: Record<string, 'error' | 'warning' | 'information' | 'hint' | 'off'> };
  /** Formatting re-indents hand-formatted continuation lines only when asked. */
  formatting: { reflowContinuations: boolean };
  /** Registries (`host:port`) that may be reached over plain HTTP. */
  registries: { insecure: string[] };
}

export const defaultSettings: ServerSettings = {
  build: { args: {}, target: '' },
  sizePrediction: { enabled: true },
  diagnostics: { severity: {} },
  formatting: { reflowContinuations: false },
  registries: { insecure: [] },
};

/** Merges what the client sent (possibly partial or malformed) over the defaults. */
export function readSettings(value: unknown): ServerSettings {
  const section = isRecord(value) ? value : {};
  const build = isRecord(section.build) ? section.build : {};
  const size = isRecord(section.sizePrediction) ? section.sizePrediction : {};
  const diagnostics = isRecord(section.diagnostics) ? section.diagnostics : {};
  const formatting = isRecord(section.formatting) ? section.formatting : {};
  const registries = isRecord(section.registries) ? section.registries : {};
  return {
    build: {
      args: stringRecord(build.args),
      target: typeof build.target === 'string' ? build.target : '',
    },
    sizePrediction: { enabled: typeof size.enabled === 'boolean' ? size.enabled : true },
    diagnostics: { severity: stringRecord(diagnostics.severity) as ServerSettings['diagnostics']['severity'] },
    formatting: { reflowContinuations: formatting.reflowContinuations === true },
    registries: { insecure: Array.isArray(registries.insecure) ? registries.insecure.filter((r): r is string => typeof r === 'string') : [] },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
