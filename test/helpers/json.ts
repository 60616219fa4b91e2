import { readFileSync } from 'node:fs';

/** Parses a JSON file the run wrote (run-info.json and the like). */
export function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}
