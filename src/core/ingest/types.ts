import type { Diagnostic, FormatName, Run } from '../model/run';
import type { AliasTable } from '../config/aliases';

/** A file found while walking a results folder. */
export interface FileEntry {
  path: string; // absolute
  name: string; // basename
  dir: string; // absolute parent folder
  /** Bytes; NaN when the walk did not stat the file (a regular file: see Listing), as a listing of many is not. */
  size: number;
}

/** What a detector claims: the files of one run and how to read them. */
export interface RunSource {
  id: string;
  format: FormatName;
  dir: string;
  files: string[];
  /** Config files found beside the run (read by the generic config loader), absolute paths. */
  configFiles: string[];
  /** Files under the run's folder that belong to other runs (a checkpoint of another training): never read here. */
  othersFiles?: string[];
}

export interface ScanContext {
  /** The folder the scan started at; run ids are relative to it. */
  root: string;
  /** First bytes of a file (cached), for content sniffing. */
  head(path: string, bytes?: number): Promise<Buffer>;
  /** A finding of detection itself (hidden deleted runs, a log-like folder that yields no run). */
  report(d: Diagnostic): void;
  /**
   * The names of the files in a folder: from the walk when the folder was walked (no system call), else listed
   * once and cached. Detectors look for companions (configs) through it rather than stat-ing guessed names.
   */
  filesIn(dir: string): Promise<ReadonlySet<string>>;
  /** filesIn without waiting: the names when the folder was listed already (by the walk), else undefined. */
  listedFilesIn?(dir: string): ReadonlySet<string> | undefined;
}

/**
 * A reader owns the runs of one source (one run; a summary table or an MLflow database may hold several)
 * and keeps them current. `update()` reads what is new since the last call
 * (the first call reads everything) and returns whether the run changed. A reader never throws for
 * bad input: it records a diagnostic, skips the bad part and keeps the rest.
 */
export interface RunReader {
  readonly runs: Run[];
  readonly diagnostics: Diagnostic[];
  update(): Promise<boolean>;
}

export interface ReaderOptions {
  aliases?: AliasTable;
  countEmbeddings?: boolean;
  /** Points kept per metric series before it is thinned (default DEFAULT_MAX_POINTS in model/series). */
  maxPointsPerSeries?: number;
}

/** One log family: how to find its runs in a folder tree, and how to read one. */
export interface FormatDef {
  format: FormatName;
  /**
   * Claims runs among the files not yet claimed by an earlier format. Every file in a returned source's
   * `files` is removed from the pool handed to later formats; config files stay (several runs may share one).
   */
  detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]>;
  open(src: RunSource, opts: ReaderOptions): RunReader;
}
