/**
 * Types for `ml-levenberg-marquardt` (v5). The package ships its own declarations behind an `exports` map, which
 * this repository's `moduleResolution: node` does not read; this declares the part we use (see mlLm.ts).
 */
declare module 'ml-levenberg-marquardt' {
  export interface Data2D {
    x: ArrayLike<number>;
    y: ArrayLike<number>;
  }
  export type ParameterizedFunction = (params: number[]) => (x: number) => number;
  export interface LevenbergMarquardtOptions {
    initialValues: ArrayLike<number>;
    weights?: number | ArrayLike<number>;
    damping?: number;
    dampingStepDown?: number;
    dampingStepUp?: number;
    improvementThreshold?: number;
    gradientDifference?: number | ArrayLike<number>;
    centralDifference?: boolean;
    minValues?: ArrayLike<number>;
    maxValues?: ArrayLike<number>;
    maxIterations?: number;
    errorTolerance?: number;
    timeout?: number;
  }
  export interface LevenbergMarquardtReturn {
    parameterValues: number[];
    parameterError: number;
    iterations: number;
  }
  export function levenbergMarquardt(
    data: Data2D,
    fn: ParameterizedFunction,
    options: LevenbergMarquardtOptions,
  ): LevenbergMarquardtReturn;
}
