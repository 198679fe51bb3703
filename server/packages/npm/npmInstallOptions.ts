// Which dependency types `npm ci` / `npm install` leave out, as npm 7+ decides from its flags and
// environment: `--omit=dev|optional|peer` (repeatable, comma lists allowed), `--production`,
// `--only=prod[uction]`, `--include=...` (wins over omit), `NODE_ENV=production`, `npm_config_omit`.

export interface NpmInstallOptions {
  omitDev: boolean;
  omitOptional: boolean;
  omitPeer: boolean;
  /** `-g` / `--global`: installs into the global prefix, not the project. */
  global: boolean;
  /** `npm ci` (requires a lock file) rather than `npm install`. */
  clean: boolean;
}

function words(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

export function parseNpmInstallOptions(command: string, env: Record<string, string>): NpmInstallOptions {
  const args = command.split(/\s+/).filter(Boolean);
  const omit = new Set(words(env.npm_config_omit ?? env.NPM_CONFIG_OMIT));
  const include = new Set(words(env.npm_config_include ?? env.NPM_CONFIG_INCLUDE));
  if ((env.NODE_ENV ?? '') === 'production') omit.add('dev');
  const production = (env.npm_config_production ?? env.NPM_CONFIG_PRODUCTION ?? '').toLowerCase();
  if (production === 'true') omit.add('dev');
  let global = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => inline ?? args[++i] ?? '';
    if (flag === '--omit') for (const w of words(value())) omit.add(w);
    else if (flag === '--include') for (const w of words(value())) include.add(w);
    else if (flag === '--only' && /^prod(uction)?$/.test(value())) omit.add('dev');
    else if (flag === '--production' && inline !== 'false') omit.add('dev');
    else if (flag === '--no-optional') omit.add('optional');
    else if (flag === '-g' || flag === '--global') global = true;
  }
  const sub = args.find((a, i) => i > 0 && !a.startsWith('-'));
  return {
    omitDev: omit.has('dev') && !include.has('dev'),
    omitOptional: omit.has('optional') && !include.has('optional'),
    omitPeer: omit.has('peer') && !include.has('peer'),
    global,
    clean: sub === 'ci' || sub === 'clean-install' || sub === 'install-clean' || sub === 'ic',
  };
}
