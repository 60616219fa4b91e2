import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeError } from '../errors.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { runSubmit } from '../pipeline/submit.js';
import { auditJson, formatAudit } from './audit-table.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { SubmitCliOptions, toSubmitOptions } from './submit.js';

export interface AuditCliOptions extends Omit<SubmitCliOptions, 'output' | 'labels' | 'smoothing' | 'ensemble' | 'timeLimit' | 'strict'> {
  project: number;
  minutes: number;
  json?: string;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A full run into a scratch folder, reported stage by stage. */
export async function auditCommand(o: AuditCliOptions): Promise<number> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'aviary-audit-'));
  try {
    const report = await runSubmit(
      toSubmitOptions({ ...o, output: scratch, smoothing: 1, ensemble: 'mean', timeLimit: 1e9, strict: false }),
      log,
    );
    process.stdout.write(formatAudit(report, o.project, o.minutes) + '\n');
    if (o.json) await writeFileAtomic(o.json, JSON.stringify(auditJson(report, o.project, o.minutes), null, 2) + '\n');
    return EXIT.ok;
  } catch (err) {
    log(`aviary audit: ${describeError(err)}`);
    return exitCodeFor(err);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
