// FitSource tells a JSON file that is not a fit artifact (passed over quietly) from a damaged artifact (reported),
// by the error's type rather than its message.
import '../../../support/vscode/register';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { Config } from '../../../../src/extension/config';
import type { FitService } from '../../../../src/extension/fit/fitService';
import { FitSource } from '../../../../src/extension/hover/fitSource';
import { tmpDir } from '../../../support/tmp';
import { EventEmitter, fake, Uri } from '../../../support/vscode/fake';
import { logged, quietLog } from '../../../support/vscode/hosts';

function sourceFor(artifact: string): FitSource {
  const fits = { active: undefined, onDidChangeFit: new EventEmitter<unknown>().event } as unknown as FitService;
  const config = { fitArtifact: () => artifact } as unknown as Config;
  return new FitSource(fits, config, quietLog);
}

const doc = Uri.file('/work/config.yaml') as unknown as vscode.Uri;

describe('FitSource', () => {
  afterEach(() => {
    fake.reset();
    logged.length = 0;
  });

  it('passes over a JSON file that is some other kind of document', () => {
    const file = join(tmpDir(), 'fit-settings.json');
    writeFileSync(file, JSON.stringify({ kind: 'training-config', lr: 3e-4 }));
    const source = sourceFor(file);
    assert.equal(source.fitFor(doc), undefined);
    assert.deepEqual(
      logged.filter((l) => l.includes('fit artifact:')),
      [],
    );
    source.dispose();
  });

  it('reports a damaged fit artifact, naming the file and the problem', () => {
    const file = join(tmpDir(), 'fit.json');
    writeFileSync(file, JSON.stringify({ kind: 'scaling-lens-fit', law: 'chinchilla' }));
    const source = sourceFor(file);
    assert.equal(source.fitFor(doc), undefined);
    const reports = logged.filter((l) => l.includes('fit artifact:'));
    assert.equal(reports.length, 1);
    assert.ok(reports[0].includes(file) && reports[0].includes('"params"'), reports[0]);
    source.dispose();
  });
});
