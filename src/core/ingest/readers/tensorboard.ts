import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveScale } from '../../config/derive';
import { ChunkedReader } from '../binary/chunked';
import { maskedCrc32c } from '../binary/crc';
import { decodeEvent } from '../binary/tfevent';
import { errorMessage, loadConfigs, setLogFiles, SingleRunReader } from '../common';
import { RunFolders } from '../runFolders';
import type { FileEntry, FormatDef, ReaderOptions, RunSource, ScanContext } from '../types';

/** `events.out.tfevents.<ts>.<host>[.<pid>.<n>][suffix]`, as written by TF, PyTorch and tensorboardX. */
export const TF_EVENTS = /^events\.out\.tfevents\./;

const HEADER = 12; // uint64 length + uint32 masked crc32c(length)
const FOOTER = 4; // uint32 masked crc32c(data)
/** Records above this are graphs or embeddings, never scalars: they are stepped over without being read. */
const MAX_DECODED = 64 << 20;
/** Plugins whose values are never scalar curves, even when stored as a one-element float tensor. */
const NON_SCALAR_PLUGINS = new Set([
  'hparams',
  'text',
  'images',
  'audio',
  'histograms',
  'distributions',
  'pr_curves',
  'mesh',
  'graph_run_metadata',
  'custom_scalars',
]);

interface FileState {
  path: string;
  /** Start of the first record not yet consumed. */
  offset: number;
  /** A record's length checksum failed: nothing after it can be trusted, so the file is not read further. */
  stopped: boolean;
}

/**
 * TensorBoard event files (TFRecord framing of `Event` protos). One run per folder; several event files in a
 * folder (restarts) are one run, read in name order. Scalars come from `simple_value` (PyTorch, tensorboardX, TF1)
 * and from one-element float/double/int tensors (TF2 `tf.summary.scalar`). Reading is incremental: each file
 * keeps the offset of its first unread record, and a record still being written is left for the next update.
 */
export class TensorBoardReader extends SingleRunReader {
  private states: FileState[];
  private configLoaded = false;
  /** Plugin of each tag, from the metadata TensorBoard writes on a tag's first value only. */
  private readonly plugins = new Map<string, string>();

  constructor(src: RunSource, opts: ReaderOptions) {
    super(src, opts);
    this.states = [...src.files].sort().map((path) => ({ path, offset: 0, stopped: false }));
  }

  async update(): Promise<boolean> {
    if (!this.configLoaded) {
      await loadConfigs(this.run, this.src.configFiles, this.sink);
      this.configLoaded = true;
    }
    await this.discover();
    let changed = false;
    // Two passes at most: when a file shrank, everything is dropped and read again from the start, because the
    // metric series interleave points from every file of the run.
    for (let pass = 0; pass < 2; pass++) {
      let truncated = false;
      for (const st of [...this.states]) {
        const res = await this.readFile(st);
        if (res === 'truncated') {
          truncated = true;
          break;
        }
        changed = res || changed;
      }
      if (!truncated) break;
      this.resetAll();
      changed = true;
    }
    if (changed) deriveScale(this.run, this.opts);
    return changed;
  }

  /** A restarted job writes a new event file into the same folder: pick it up without a rescan. */
  private async discover(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.src.dir);
    } catch {
      return; // the folder went away; reading the files reports it
    }
    const known = new Set(this.states.map((s) => s.path));
    const fresh = names
      .filter((n) => TF_EVENTS.test(n))
      .map((n) => join(this.src.dir, n))
      .filter((p) => !known.has(p));
    if (!fresh.length) return;
    this.states = [...this.states, ...fresh.map((path) => ({ path, offset: 0, stopped: false }))].sort((a, b) =>
      a.path < b.path ? -1 : 1,
    );
    setLogFiles(
      this.run,
      this.states.map((s) => s.path),
    );
  }

  private resetAll(): void {
    for (const st of this.states) {
      st.offset = 0;
      st.stopped = false;
      this.sink.reset(st.path);
    }
    this.run.metrics.clear();
    this.plugins.clear();
  }

  /** Reads the records appended since the last call; 'truncated' when the file is now shorter than our offset. */
  private async readFile(st: FileState): Promise<boolean | 'truncated'> {
    let changed = false;
    let fh;
    try {
      fh = await open(st.path, 'r');
    } catch (e) {
      this.sink.add(st.path, `cannot read: ${errorMessage(e)}`, undefined, 'error');
      this.states = this.states.filter((s) => s !== st); // do not report a vanished file on every update
      return false;
    }
    try {
      const { size } = await fh.stat();
      if (size < st.offset) return 'truncated';
      if (st.stopped) return false;
      const r = new ChunkedReader(fh, size);
      let pos = st.offset;
      while (pos + HEADER <= size) {
        const head = r.peek(pos, HEADER) ?? (await r.bytes(pos, HEADER));
        if (!head) break;
        if (maskedCrc32c(head.subarray(0, 8)) !== head.readUInt32LE(8)) {
          this.sink.add(
            st.path,
            'record length checksum mismatch: the file is damaged or not an event file; the rest of it is not read',
            `byte ${pos}`,
            'error',
          );
          st.stopped = true;
          break;
        }
        const len = head.readUInt32LE(4) * 2 ** 32 + head.readUInt32LE(0);
        const total = HEADER + len + FOOTER;
        if (pos + total > size) break; // still being written: resume here next time
        if (len <= MAX_DECODED) {
          const body = r.peek(pos + HEADER, len + FOOTER) ?? (await r.bytes(pos + HEADER, len + FOOTER));
          if (!body) break;
          const data = body.subarray(0, len);
          if (maskedCrc32c(data) !== body.readUInt32LE(len)) {
            this.sink.add(
              st.path,
              `record data checksum mismatch; this record (${len} bytes) is skipped`,
              `byte ${pos}`,
            );
          } else changed = this.record(data, st.path, pos) || changed;
        }
        pos += total;
        st.offset = pos; // per record, so an I/O error below never makes a record count twice
      }
    } catch (e) {
      this.sink.add(st.path, `cannot read: ${errorMessage(e)}`, `byte ${st.offset}`, 'error');
    } finally {
      await fh.close();
    }
    return changed;
  }

  private record(data: Uint8Array, file: string, pos: number): boolean {
    let ev;
    try {
      ev = decodeEvent(data);
    } catch (e) {
      this.sink.add(file, `event does not decode (${errorMessage(e)}); record skipped`, `byte ${pos}`);
      return false;
    }
    for (const o of ev.others) if (o.plugin) this.plugins.set(o.tag, o.plugin);
    let any = false;
    for (const s of ev.scalars) {
      if (s.plugin) this.plugins.set(s.tag, s.plugin);
      const plugin = this.plugins.get(s.tag);
      if ((plugin && NON_SCALAR_PLUGINS.has(plugin)) || s.tag.startsWith('_hparams_/')) continue;
      this.run.metrics.get(s.tag).push(ev.step, s.value, NaN, ev.wallTime);
      any = true;
    }
    return any;
  }
}

export const tensorboardFormat: FormatDef = {
  format: 'tensorboard',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const folders = new RunFolders();
    for (const f of pool) if (TF_EVENTS.test(f.name)) folders.add(f.dir, f.path);
    // Event file names start with their creation time: sorted, they are in the order they were written.
    return folders.sources('tensorboard', ctx, { sortFiles: true });
  },
  open: (src, opts) => new TensorBoardReader(src, opts),
};
