/**
 * The config-hover core (pure: no vscode). Typical wiring in a HoverProvider:
 *   const a = cache.get({ text: doc.getText(), fileName: doc.fileName, languageId: doc.languageId, version: doc.version }, { settings, readFile });
 *   const h = a && hoverAt(a, { line: pos.line, character: pos.character }, { fit, fitLabel, panelLink });
 *   return h && new Hover(trustedMarkdown(h.markdown), toRange(h.range));
 */
export {
  analyseConfig,
  ConfigAnalysis,
  type AnalyseOptions,
  type ConfigDocument,
  type HoverSettings,
  type ScaleTarget,
} from './analysis';
export { ConfigAnalysisCache } from './cache';
export { detectFormat } from './format';
export {
  codeLensFor,
  hoverAt,
  optimalityCheck,
  type CodeLensResult,
  type EditorRange,
  type FitContext,
  type HoverResult,
  type OptimalityHint,
  type PanelPoint,
} from './hover';
export { findIncludes, mergeWithIncludes, type IncludeRef, type MergedConfig, type ReadFile } from './includes';
export { locateEntries } from './locate/index';
export { fmtFlop, fmtInterval, fmtLoss, fmtPfDays, fmtRatio, PF_DAY_FLOP } from './markdown';
export {
  fitCountsEmbeddings,
  fitIdentity,
  predictPoint,
  type FitIdentity,
  type HoverFit,
  type OptimalSplit,
  type PointPrediction,
} from './predictPoint';
export { resolveScale, type ParamCount, type Quantity, type ScaleResolution } from './resolveScale';
export { hoverAliasTable, scaleRoleOf, type ScaleRole } from './scaleKeys';
export type { ConfigEntry, ConfigFormat, LineCharacter, ParsedConfig, Span } from './types';
