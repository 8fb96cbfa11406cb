import type { ConfigFormat, ParsedConfig } from '../types';
import { locateJson } from './json';
import { locatePython } from './python';
import { locateToml } from './toml';
import { locateYaml } from './yaml';

/** Reads a config document of a known format into positioned, flattened entries. Never throws on bad syntax. */
export function locateEntries(text: string, format: ConfigFormat): ParsedConfig {
  switch (format) {
    case 'yaml':
      return locateYaml(text);
    case 'json':
      return locateJson(text);
    case 'toml':
      return locateToml(text);
    case 'python':
      return locatePython(text);
  }
}
