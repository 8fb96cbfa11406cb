import type { ConfigFormat } from './types';

const BY_LANGUAGE: Partial<Record<string, ConfigFormat>> = {
  yaml: 'yaml',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  toml: 'toml',
  python: 'python',
};

const BY_EXTENSION: Record<string, ConfigFormat> = {
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  jsonc: 'json',
  json5: 'json',
  toml: 'toml',
  py: 'python',
};

/**
 * Which reader a document needs. The editor's language id wins (a user may map `*.cfg` to YAML);
 * the file extension decides otherwise. Undefined: not a config format we read.
 */
export function detectFormat(fileName: string, languageId?: string): ConfigFormat | undefined {
  const byLanguage = languageId === undefined ? undefined : BY_LANGUAGE[languageId];
  if (byLanguage) return byLanguage;
  const dot = fileName.lastIndexOf('.');
  const slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
  if (dot <= slash) return undefined;
  return BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()];
}
