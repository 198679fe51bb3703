// The image config a stage ends with, folded from its steps (ENTRYPOINT clears an inherited CMD
// unless the stage sets CMD itself, as BuildKit does).
import type { StageState } from './stageState';
import type { PlannedImageConfig, PlannedStep } from './types';

export function emptyConfig(state: StageState): PlannedImageConfig {
  return { env: { ...state.env }, workdir: state.workdir, user: state.user, shell: [...state.shell], labels: {}, exposedPorts: [], volumes: [], onbuild: [] };
}

export function foldConfig(base: PlannedImageConfig, steps: readonly PlannedStep[], final: StageState): PlannedImageConfig {
  const config: PlannedImageConfig = { ...base, labels: { ...base.labels }, exposedPorts: [...base.exposedPorts], volumes: [...base.volumes], onbuild: [] };
  let cmdSet = false;
  for (const step of steps) {
    const d = step.details;
    switch (d.kind) {
      case 'label':
        for (const p of d.pairs) config.labels[p.key] = p.value;
        break;
      case 'expose':
        for (const p of d.ports) if (!config.exposedPorts.includes(p)) config.exposedPorts.push(p);
        break;
      case 'volume':
        for (const v of d.paths) if (!config.volumes.includes(v)) config.volumes.push(v);
        break;
      case 'cmd':
        config.cmd = d.argv;
        cmdSet = true;
        break;
      case 'entrypoint':
        config.entrypoint = d.argv;
        if (!cmdSet) config.cmd = undefined;
        break;
      case 'stopsignal':
        config.stopSignal = d.signal;
        break;
      case 'healthcheck':
        config.healthcheck = d;
        break;
      case 'onbuild':
        config.onbuild.push(d.trigger);
        break;
      case 'maintainer':
        config.maintainer = d.name;
        break;
    }
  }
  config.env = { ...final.env };
  config.workdir = final.workdir;
  config.user = final.user;
  config.shell = [...final.shell];
  return config;
}
