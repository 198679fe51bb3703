// RUN --mount: the fields of each mount expanded and checked the way BuildKit's parseMount does.
import type { FlagNode, FlagOptionNode } from '../parser/types';
import { fitted } from './fitted';
import type { StepContext } from './stepContext';
import type { RunMount } from './types';

const mountTypes = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);
const sharingModes = new Set(['shared', 'private', 'locked']);
const knownKeys = ['type', 'from', 'source', 'src', 'target', 'dst', 'destination', 'readonly', 'ro', 'readwrite', 'rw', 'id', 'sharing', 'required', 'size', 'mode', 'uid', 'gid', 'env'];

export function planMounts(ctx: StepContext): RunMount[] {
  const mounts: RunMount[] = [];
  let secretCount = 0;
  let sshCount = 0;
  for (const flag of ctx.instruction.flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    const mount = planMount(ctx, flag);
    if (!mount) continue;
    if (mount.type === 'secret' && mount.target === undefined) mount.target = `/run/secrets/${mount.id ?? baseName(mount.source ?? '') ?? `secret${secretCount}`}`;
    if (mount.type === 'ssh' && mount.target === undefined) mount.target = `/run/buildkit/ssh_agent.${sshCount}`;
    if (mount.type === 'secret') secretCount++;
    if (mount.type === 'ssh') sshCount++;
    mounts.push(mount);
  }
  return fitted(mounts);
}

function baseName(path: string): string | undefined {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 0 ? parts[parts.length - 1] : undefined;
}

function planMount(ctx: StepContext, flag: FlagNode): RunMount | undefined {
  const fail = (where: FlagOptionNode | FlagNode, message: string) => {
    ctx.problems.push({ range: where.range, message, code: 'invalid-mount', severity: 'error' });
    return undefined;
  };
  const mount: RunMount = { type: 'bind', options: {} };
  let roAuto = true;
  let hasMode = false;
  let hasUid = false;
  let hasGid = false;
  let hasSharing = false;
  for (const field of flag.options ?? []) {
    const key = field.key.toLowerCase();
    if (field.value === undefined) {
      if (key === 'readonly' || key === 'ro') { mount.readOnly = true; roAuto = false; continue; }
      if (key === 'readwrite' || key === 'rw') { mount.readOnly = false; roAuto = false; continue; }
      if (key === 'required') {
        if (mount.type !== 'secret' && mount.type !== 'ssh') return fail(field, `unexpected key '${key}' for mount type '${mount.type}'`);
        mount.required = true;
        continue;
      }
      return fail(field, `invalid field '${field.key}' must be a key=value pair`);
    }
    let value: string;
    if (key === 'from') {
      const dollar = field.value.indexOf('$');
      if (dollar !== -1 && dollar !== field.value.length - 1) return fail(field, "'from' doesn't support variable expansion, define alias stage instead");
      value = field.value;
    } else {
      value = ctx.expander.value(field.value, () => field.valueRange ?? field.range, ctx.scope);
    }
    mount.options[key] = value;
    const bool = () => (/^(1|t|T|TRUE|true|True)$/.test(value) ? true : /^(0|f|F|FALSE|false|False)$/.test(value) ? false : undefined);
    switch (key) {
      case 'type':
        if (!mountTypes.has(value.toLowerCase())) return fail(field, `unsupported mount type "${value}"`);
        mount.type = value.toLowerCase() as RunMount['type'];
        break;
      case 'from': {
        const stage = /^[0-9]+$/.test(value) ? ctx.stageByIndex(Number(value)) : ctx.stageByName(value);
        if (stage) {
          mount.fromStage = stage.index;
          if (stage.index >= ctx.stageIndex) return fail(field, `cannot mount from stage "${value}", it needs to be defined before current stage`);
          ctx.dependencies.push({ stageIndex: stage.index, via: 'mount', stepIndex: ctx.stepIndex, range: field.range });
        } else mount.fromImage = value;
        break;
      }
      case 'source':
      case 'src':
        mount.source = value;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        mount.target = value;
        break;
      case 'readonly':
      case 'ro':
      case 'readwrite':
      case 'rw': {
        const b = bool();
        if (b === undefined) return fail(field, `invalid value for ${key}: ${value}`);
        mount.readOnly = key === 'readonly' || key === 'ro' ? b : !b;
        roAuto = false;
        break;
      }
      case 'required': {
        if (mount.type !== 'secret' && mount.type !== 'ssh') return fail(field, `unexpected key '${key}' for mount type '${mount.type}'`);
        const b = bool();
        if (b === undefined) return fail(field, `invalid value for ${key}: ${value}`);
        mount.required = b;
        break;
      }
      case 'size':
        if (mount.type !== 'tmpfs') return fail(field, `unexpected key '${key}' for mount type '${mount.type}'`);
        if (!/^[0-9]+(\.[0-9]+)?\s*([kKmMgGtTpP][iI]?[bB]?|[bB])?$/.test(value)) return fail(field, `invalid value for ${key}: ${value}`);
        mount.size = value;
        break;
      case 'id':
        mount.id = value;
        break;
      case 'sharing':
        if (!sharingModes.has(value.toLowerCase())) return fail(field, `unsupported sharing value "${value}"`);
        mount.sharing = value.toLowerCase() as RunMount['sharing'];
        hasSharing = true;
        break;
      case 'mode':
        if (!/^[0-7]+$/.test(value)) return fail(field, `invalid value ${value} for mode`);
        mount.mode = value;
        hasMode = true;
        break;
      case 'uid':
      case 'gid':
        if (!/^[0-9]+$/.test(value) || Number(value) > 4294967295) return fail(field, `invalid value ${value} for ${key}`);
        if (key === 'uid') { mount.uid = value; hasUid = true; } else { mount.gid = value; hasGid = true; }
        break;
      case 'env':
        mount.env = value;
        break;
      default:
        return fail(field, `unexpected key '${field.key}' in '${field.key}=${field.value}' (known keys: ${knownKeys.join(', ')})`);
    }
  }
  const fileInfoAllowed = mount.type === 'secret' || mount.type === 'ssh' || mount.type === 'cache';
  if (!fileInfoAllowed && (hasMode || hasUid || hasGid)) return fail(flag, `${hasMode ? 'mode' : hasUid ? 'uid' : 'gid'} not allowed for "${mount.type}" type mounts`);
  if (roAuto) mount.readOnly = !(mount.type === 'cache' || mount.type === 'tmpfs');
  if (mount.type === 'secret') {
    if (mount.fromStage !== undefined || mount.fromImage !== undefined) return fail(flag, 'secret mount should not have a from');
    if (hasSharing) return fail(flag, 'secret mount should not define sharing');
    if (mount.source === undefined && mount.target === undefined && mount.id === undefined) return fail(flag, 'invalid secret mount. one of source, target required');
    if (mount.source !== undefined && mount.id !== undefined) return fail(flag, "both source and id can't be set");
  }
  if (hasSharing && mount.type !== 'cache') return fail(flag, `invalid cache sharing set for ${mount.type} mount`);
  if (mount.type !== 'secret' && mount.type !== 'ssh' && (mount.target === undefined || mount.target === '')) return fail(flag, `mount target is required for ${mount.type} mounts`);
  if (mount.type === 'cache') {
    if (mount.id === undefined) mount.id = mount.target;
    if (mount.sharing === undefined) mount.sharing = 'shared';
  }
  return mount;
}
