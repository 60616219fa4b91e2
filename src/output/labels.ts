import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AviaryError } from '../errors.js';

const LABEL_FILE_HINT =
  'give a BirdCLEF sample_submission.csv (row_id,<labels…>), a taxonomy CSV with a ' +
  'primary_label or species_code column, or a text file with one label per line';

/** Taxonomy columns that hold the class name, in order of preference (matched ignoring case). */
const TAXONOMY_COLUMNS = ['primary_label', 'species_code'];

/**
 * Reads the output label order (the submission's columns) from one of three formats:
 * - a BirdCLEF `sample_submission.csv`: the header's columns after `row_id`;
 * - a taxonomy CSV: the values of its `primary_label` column (else `species_code`), in row order;
 * - a plain text file: one label per line, blank lines skipped.
 * The format is told from the first row. Labels are trimmed; a file that yields no label, an
 * empty label, or the same label twice is refused with E_LABELS naming the file.
 */
export async function readLabelOrder(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AviaryError(
      'E_LABELS',
      `cannot read label file ${file} (${code ?? (err as Error).message})`,
      LABEL_FILE_HINT,
    );
  }

  let rows: string[][];
  try {
    rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
    });
  } catch (err) {
    throw new AviaryError('E_LABELS', `label file ${file} is not valid CSV: ${(err as Error).message}`, LABEL_FILE_HINT);
  }
  if (rows.length === 0) {
    throw new AviaryError('E_LABELS', `label file ${file} has no labels (it is empty)`, LABEL_FILE_HINT);
  }

  const header = rows[0];
  let labels: string[];
  let format: string;
  const taxonomyColumn = findTaxonomyColumn(header);
  if (header[0] === 'row_id') {
    format = 'sample submission';
    labels = header.slice(1);
  } else if (taxonomyColumn >= 0) {
    format = `taxonomy (column ${header[taxonomyColumn]})`;
    labels = rows.slice(1).map((row) => row[taxonomyColumn] ?? '');
  } else if (rows.every((row) => row.length === 1)) {
    format = 'one label per line';
    labels = rows.map((row) => row[0]);
  } else {
    throw new AviaryError(
      'E_LABELS',
      `label file ${file} has no labels: its header "${header.join(',')}" starts with no row_id ` +
        `and has no ${TAXONOMY_COLUMNS.join(' or ')} column`,
      LABEL_FILE_HINT,
    );
  }

  if (labels.length === 0) {
    throw new AviaryError('E_LABELS', `label file ${file} has no labels (${format} format)`, LABEL_FILE_HINT);
  }
  const empty = labels.findIndex((label) => label === '');
  if (empty >= 0) {
    throw new AviaryError('E_LABELS', `label file ${file} has an empty label at position ${empty + 1} (${format} format)`, LABEL_FILE_HINT);
  }
  const repeated = duplicates(labels);
  if (repeated.length > 0) {
    throw new AviaryError('E_LABELS', `label file ${file} repeats ${listNames(repeated)}`, 'each label may appear once');
  }
  return labels;
}

function findTaxonomyColumn(header: string[]): number {
  const lower = header.map((name) => name.toLowerCase());
  for (const wanted of TAXONOMY_COLUMNS) {
    const at = lower.indexOf(wanted);
    if (at >= 0) return at;
  }
  return -1;
}

/**
 * For each model, the position in that model's own output of each output label, so that
 * `result[m][j]` is the column of model `m` that feeds output column `j`. Models are matched by
 * name, never by position. Labels a model has that the output lacks are ignored (a model may be
 * trained on a superset). A label missing from any model is refused up front, before any audio is
 * read, with one E_LABELS error that lists every model's missing labels.
 */
export function alignModels(outputLabels: string[], models: { name: string; labels: string[] }[]): number[][] {
  const repeatedOutput = duplicates(outputLabels);
  if (repeatedOutput.length > 0) {
    throw new AviaryError('E_LABELS', `the output label list repeats ${listNames(repeatedOutput)}`, 'each label may appear once');
  }

  const problems: string[] = [];
  const result = models.map((model) => {
    const repeated = duplicates(model.labels);
    if (repeated.length > 0) {
      problems.push(`model "${model.name}" lists ${listNames(repeated)} more than once`);
      return [];
    }
    const position = new Map(model.labels.map((label, index) => [label, index]));
    const missing = outputLabels.filter((label) => !position.has(label));
    if (missing.length > 0) {
      problems.push(`model "${model.name}" lacks ${missing.length} of the ${outputLabels.length} output labels: ${listNames(missing)}`);
      return [];
    }
    return outputLabels.map((label) => position.get(label) as number);
  });

  if (problems.length > 0) {
    throw new AviaryError(
      'E_LABELS',
      problems.join('; '),
      'use a label file that every model covers, or leave out the model that lacks these labels',
    );
  }
  return result;
}

function duplicates(labels: string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const label of labels) {
    if (seen.has(label)) repeated.add(label);
    seen.add(label);
  }
  return [...repeated];
}

/** A readable list that stays one line even when hundreds of labels are missing. */
function listNames(names: string[], limit = 20): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
