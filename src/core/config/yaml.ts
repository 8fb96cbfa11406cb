import { isMap, isScalar, isSeq, type Node, parseDocument, Scalar, visit, type YAMLSeq } from 'yaml';

const PY = 'tag:yaml.org,2002:python/';
const NUMPY_SCALAR = `${PY}object/apply:numpy.core.multiarray.scalar`;
const NUMPY2_SCALAR = `${PY}object/apply:numpy._core.multiarray.scalar`;

/**
 * Parses a YAML config as training code writes it. PyYAML's `yaml.dump` of Python objects (Lightning's
 * hparams.yaml, many `args.yaml`) carries tags such as `!!python/tuple`, `!!python/name:torch.bfloat16` and
 * `!!python/object/apply:numpy.core.multiarray.scalar`. None is an error: unknown tags are read as the plain
 * value under them, silently (no warning per tag); `python/name:X` becomes the string "X"; a numpy scalar becomes
 * its number (decoded from the dtype and the `!!binary` bytes). Throws only on YAML syntax errors.
 */
export function parseConfigYaml(text: string): unknown {
  const doc = parseDocument(text, { logLevel: 'error' });
  if (doc.errors.length) throw doc.errors[0];
  visit(doc, {
    Scalar(_, node) {
      if (node.tag?.startsWith(`${PY}name:`)) return new Scalar(node.tag.slice(PY.length + 5));
      return undefined;
    },
    Seq(_, node) {
      if (node.tag !== NUMPY_SCALAR && node.tag !== NUMPY2_SCALAR) return undefined;
      const v = numpyScalar(node);
      return v === undefined ? undefined : new Scalar(v);
    },
  });
  // Bytes of a !!binary that is not a numpy scalar mean nothing as config.
  return dropBinary(doc.toJS({ maxAliasCount: 1000 }));
}

/** `[!!python/object/apply:numpy.dtype {args: [f8, …], state: !!python/tuple [3, <, …]}, !!binary <bytes>]`. */
function numpyScalar(seq: YAMLSeq): number | boolean | undefined {
  const [dtypeNode, dataNode] = seq.items as Node[];
  if (!isMap(dtypeNode) || !isScalar(dataNode)) return undefined;
  const args = dtypeNode.get('args');
  const state = dtypeNode.get('state');
  const code = isSeq(args) && isScalar(args.items[0]) ? String(args.items[0].value) : '';
  const order = isSeq(state) && isScalar(state.items[1]) ? String(state.items[1].value) : '<';
  const raw = dataNode.value;
  const bytes =
    raw instanceof Uint8Array
      ? raw
      : typeof raw === 'string'
        ? Buffer.from(raw.replace(/\s+/g, ''), 'base64')
        : undefined;
  const m = /^[<>|=]?([fiub])(\d)$/.exec(code);
  if (!bytes || !m || bytes.length !== Number(m[2])) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = order !== '>';
  switch (`${m[1]}${m[2]}`) {
    case 'f8':
      return view.getFloat64(0, le);
    case 'f4':
      return view.getFloat32(0, le);
    case 'i8':
      return Number(view.getBigInt64(0, le));
    case 'u8':
      return Number(view.getBigUint64(0, le));
    case 'i4':
      return view.getInt32(0, le);
    case 'u4':
      return view.getUint32(0, le);
    case 'i2':
      return view.getInt16(0, le);
    case 'u2':
      return view.getUint16(0, le);
    case 'i1':
      return view.getInt8(0);
    case 'u1':
      return view.getUint8(0);
    case 'b1':
      return view.getUint8(0) !== 0;
    default:
      return undefined;
  }
}

function dropBinary(v: unknown): unknown {
  if (v instanceof Uint8Array) return null;
  if (Array.isArray(v)) return v.map(dropBinary);
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = dropBinary(x);
    return out;
  }
  return v;
}
