/**
 * How a law file declares its law: `defineLaw` takes only what is particular to the law and derives the rest
 * (`paramCount` from `params`, the keyed `evaluate` from `f`), and the parameter builders name the role a parameter
 * plays, so its bounds are stated once here rather than in every law that has, say, an irreducible loss.
 */
import { toVector, toX, type LawDef, type ParamDef } from './types';

/** Plausible starting range [lo, hi] in raw units. */
export type StartRange = [number, number];

/** A law as declared: everything but what follows from its parameters and its positional f. */
export type LawDeclaration = Omit<LawDef, 'paramCount' | 'evaluate'>;

export function defineLaw(declaration: LawDeclaration): LawDef {
  const law: LawDef = { ...declaration, paramCount: declaration.params.length, evaluate: keyed(() => law) };
  return law;
}

/** Builds the keyed evaluate from the positional f of the law `getLaw` returns when called. */
export function keyed(getLaw: () => LawDef): LawDef['evaluate'] {
  return (params, x) => {
    const law = getLaw();
    return law.f(toVector(law, params), toX(law, x));
  };
}

/** A non-negative multiplier or level with no upper bound (A and B in A/N^alpha + B/D^beta). */
export function coefficient(name: string, start: StartRange): ParamDef {
  return { name, min: 0, max: Infinity, start };
}

/** The loss no amount of scale removes (E in E + A/N^alpha): a non-negative floor. */
export function irreducible(start: StartRange, name = 'E'): ParamDef {
  return coefficient(name, start);
}

/** The exponent of a decaying power term, x^(−name), from 0 (flat) to `max`. */
export function exponent(name: string, max: number, start: StartRange): ParamDef {
  return { name, min: 0, max, start };
}

/** A power-law exponent allowed either sign within ±bound: the metric may grow or shrink with scale. */
export function signedExponent(name: string, bound: number, start: StartRange): ParamDef {
  return { name, min: -bound, max: bound, start };
}

/** A parameter with no bounds at all (an offset on a log scale, a position along x). */
export function free(name: string, start: StartRange): ParamDef {
  return { name, min: -Infinity, max: Infinity, start };
}

/** A positive scale spanning decades (Nc, Dc, a break point): optimised on ln(value). */
export function logScale(name: string, start: StartRange): ParamDef {
  return { name, min: 0, max: Infinity, start, log: true };
}
