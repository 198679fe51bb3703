import * as assert from 'assert';
import { applyChange } from '../../../runner/store/importChanges';
import { ContainerConfig } from '../../../runner/store/ociTypes';

describe('import --change', () => {
  it('applies the runtime instructions docker import accepts', () => {
    const config: ContainerConfig = {};
    for (const change of [
      'CMD ["/bin/sh", "-c", "echo hi"]', 'ENTRYPOINT /entry.sh', 'ENV A=1 B="two words"', 'ENV C 3', 'ENV A=changed',
      'EXPOSE 80 443/udp', 'LABEL org.x=y', 'USER nobody', 'WORKDIR /srv', 'VOLUME ["/data"]', 'STOPSIGNAL SIGINT', 'ONBUILD RUN true',
    ]) applyChange(config, change);
    assert.deepStrictEqual(config, {
      Cmd: ['/bin/sh', '-c', 'echo hi'],
      Entrypoint: ['/bin/sh', '-c', '/entry.sh'],
      Env: ['A=changed', 'B=two words', 'C=3'],
      ExposedPorts: { '80/tcp': {}, '443/udp': {} },
      Labels: { 'org.x': 'y' },
      User: 'nobody',
      WorkingDir: '/srv',
      Volumes: { '/data': {} },
      StopSignal: 'SIGINT',
      OnBuild: ['RUN true'],
    });
  });
  it('refuses what import cannot change, with the change in the message', () => {
    assert.throws(() => applyChange({}, 'RUN rm -rf /'), /--change 'RUN rm -rf \/': RUN cannot be changed on import/);
    assert.throws(() => applyChange({}, 'CMD ["unterminated"'), /exec form must be a JSON array/);
    assert.throws(() => applyChange({}, 'EXPOSE http'), /invalid port 'http'/);
    assert.throws(() => applyChange({}, 'ENV novalue x=1 y'), /expected ENV as key=value/);
  });
});
