/**
 * What the panel's view builders take: the latest fit and its data, the points the user excluded, the runs'
 * learning curves, and the predictions the user asked for. The extension host assembles it from the workspace's
 * runs and the fit worker's result; the builders turn it into the contract's PanelState.
 */
import type { PanelStatus } from '../../contract/panel';
import type { FitDataset, FitPoint, FitResult, Prediction } from '../../contract/fit';
import type { PlanInput } from './planInput';

/** One run's learning curve of one metric, in columns (a run logs up to hundreds of thousands of points). */
export interface CurveInput {
  runId: string;
  /** The metric plotted (e.g. "train/loss"). */
  metric: string;
  step: ArrayLike<number>;
  value: ArrayLike<number>;
  /** Tokens seen at each point; NaN (or absent) where the log does not say. */
  tokens?: ArrayLike<number>;
  /** The run's scale: parameters, planned tokens at the end of training, compute. */
  N?: number;
  D?: number;
  C?: number;
  /**
   * Tokens the run is planned to reach (its max steps × tokens per step), when the config says. Beyond the last
   * logged tokens it marks a run still training, whose final loss the panel predicts.
   */
  targetTokens?: number;
  /** Log format, e.g. "hf-trainer", shown in tooltips. */
  format?: string;
  /** A few config values worth seeing in a tooltip (model width, depth, learning rate, batch size). */
  config?: Record<string, string | number | boolean | null>;
}

export interface PanelInput {
  /** The latest fit; absent before the first one. */
  fit?: FitResult;
  /** The points that fit used. */
  dataset?: FitDataset;
  /** Points the user excluded from the fit; drawn hollow so a click can include them again. */
  excluded?: FitPoint[];
  /** Predictions the user asked for (Predict…), drawn on the scaling plot and listed under it. */
  predictions?: Prediction[];
  curves?: CurveInput[];
  status?: PanelStatus;
  /** The Plan view's state (the host runs the planner in the fit worker on request). */
  plan?: PlanInput;
}
