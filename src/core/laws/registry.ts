/**
 * The law library: one entry per built-in law name, plus `lawFor` which also builds the dataset-dependent ones
 * (custom from its declaration, loglinear over the chosen variables, bnsl with 2 breaks).
 */
import type { CustomLawSpec, LawName } from '../../contract/fit';
import { bnsl, bnsl2 } from './bnsl';
import { chinchilla } from './chinchilla';
import { makeCustom } from './custom';
import { kaplan } from './kaplan';
import { loglinear, makeLoglinear } from './loglinear';
import { lrAnnealing } from './lrAnnealing';
import { passk } from './passk';
import { power } from './power';
import { saturating } from './saturating';
import { sigmoid, sigmoidBounded } from './sigmoid';
import type { LawDef } from './types';

export type { LawDef, ParamDef, VpSpec } from './types';

export const LAWS: Record<Exclude<LawName, 'custom'>, LawDef> = {
  power,
  saturating,
  chinchilla,
  kaplan,
  bnsl,
  lr_annealing: lrAnnealing,
  sigmoid,
  passk,
  loglinear,
};

/** Every law name the engine accepts, in the registry's order (the built-in laws, then `custom`). */
export const LAW_NAMES: readonly LawName[] = [...(Object.keys(LAWS) as Exclude<LawName, 'custom'>[]), 'custom'];

export interface LawOptions {
  /** bnsl: 1 (default) or 2 breaks. */
  breaks?: 1 | 2;
  /** loglinear: the variables to regress on (default ['x']). */
  xNames?: string[];
  /** sigmoid: floor and ceiling within [0, 1] (accuracy-like metrics). */
  bounded?: boolean;
}

export function isLawName(s: string): s is LawName {
  return s === 'custom' || Object.prototype.hasOwnProperty.call(LAWS, s);
}

export function lawFor(name: LawName, custom?: CustomLawSpec, opts: LawOptions = {}): LawDef {
  if (name === 'custom') {
    if (!custom) throw new Error('law custom needs a declaration (formula, variables, params)');
    return makeCustom(custom);
  }
  if (name === 'bnsl') return opts.breaks === 2 ? bnsl2 : bnsl;
  if (name === 'sigmoid' && opts.bounded) return sigmoidBounded;
  if (name === 'loglinear' && opts.xNames && opts.xNames.length > 0) return makeLoglinear(opts.xNames);
  // The name may come from an untrusted file; check it against the table rather than trusting the type.
  if (!Object.hasOwn(LAWS, name))
    throw new Error(`unknown law ${name}; known: ${Object.keys(LAWS).join(', ')}, custom`);
  return LAWS[name];
}
