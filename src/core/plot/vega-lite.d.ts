// vega-lite publishes its types only under package.json "exports", which this project's `moduleResolution: node`
// does not read; point the bare specifier at the same declarations so `import('vega-lite')` is typed.
declare module 'vega-lite' {
  export * from 'vega-lite/build/index';
}
