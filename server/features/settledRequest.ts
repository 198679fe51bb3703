// The custom `layerlens/settled` request: answers once the server has nothing left to do for a
// document (its validations, sizes, shellcheck, build-context and size lookups, and the news they
// bring), with the version it settled at. For tests and benchmarks that compare what the server
// answers after background work, instead of sleeping.
import { sizesPredicted } from '../documentModels';
import { filePathOf } from '../rules/documentLinter';
import { sharedBuildContextInfo } from '../rules/workspace/buildContextInfo';
import { sharedShellcheck } from '../shellcheck/shellcheckService';
import { runSafelyInTurns } from '../requestRunner';
import type { Feature } from './feature';
import { sharedWorkUnderway } from './workUnderway';

/** `layerlens/settled` {uri}: answers {version} once nothing is left to do for the open document; null when it is not open. */
export const settledMethod = 'layerlens/settled';

export interface SettledParams {
  uri: string;
}

export interface SettledResult {
  /** The version of the document that nothing is left to do for. */
  version: number;
}

export const settledFeature: Feature = {
  name: 'settled request',
  capabilities: () => ({}),
  register({ connection, documents, models, inputsSettled }) {
    const work = sharedWorkUnderway();
    const shellcheck = sharedShellcheck();
    connection.onRequest(settledMethod, (params: SettledParams, token) =>
      runSafelyInTurns(connection, 'settled', null, token, async (): Promise<SettledResult | null> => {
        const keys = [params.uri, 'inputs'];
        const file = filePathOf(params.uri);
        // Each wait may start more work (news schedules a validation, a validation queues scripts):
        // settled once a pass over all of them saw no work begin and none open.
        for (;;) {
          if (token.isCancellationRequested) return null;
          const document = documents.get(params.uri);
          if (!document) return null;
          const generation = work.generation;
          const model = models.get(document);
          await sizesPredicted(model, () => !token.isCancellationRequested);
          await inputsSettled?.(params.uri);
          if (file) await sharedBuildContextInfo().loaded(file);
          await shellcheck.idle();
          await work.idle(keys);
          if (work.generation === generation && work.isIdle(keys) && !shellcheck.busy && documents.get(params.uri)?.version === model.version && !model.sizesPending?.()) {
            return { version: model.version };
          }
        }
      }));
  },
};
