import { csvFormat } from './readers/csv';
import { jsonlFormat } from './readers/jsonl';
import { summaryTableFormat } from './readers/summaryTable';
import type { FormatDef } from './types';

/**
 * Every log family, most specific first: a format that recognises a layout (MLflow's tree, a Lightning version
 * folder, a dvclive folder) claims its files before the generic CSV/JSONL readers see them.
 */
export const FORMATS: FormatDef[] = [summaryTableFormat, jsonlFormat, csvFormat];
