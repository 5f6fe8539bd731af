// What passes between the page (calc-runtime.js) and the calculators' worker
// (calc-worker.mjs), declared once for TypeScript's checker (make lint: tsconfig.json and
// tsconfig.worker.json both read this file). No DOM here: the worker has none.

/** A file of the runtime: its size, and where the worker checks it, its SHA-256. */
interface RuntimeFile {
  bytes: number;
  integrity?: string;
}

type BootMode = "auto" | "bytecode" | "plain";

/** The boot order: one boot per worker, carried in the worker's name. */
interface BootOrder {
  type: "boot";
  mode: BootMode;
  standIn: boolean;
  indexURL: string;
  plainStdlib: string;
  snapshotURL: string | null;
  memoryBytes: number | null;
  controlled: boolean;
  snapshotBudgetMs: number;
  wheelURL: string;
  registerURL: string;
  /** By absolute address. */
  files: Record<string, RuntimeFile>;
}

/** A request to the booted worker (calc.registry.run_json, run_form, run_upload; the
 *  redline); `id` is set by HandbookRuntime.send, and the answer is JSON text. */
type WorkerRequest =
  | { id?: number; type: "run" | "form"; name: string; input: string }
  | { id?: number; type: "upload"; name: string; data: ArrayBuffer }
  | { id?: number; type: "compare"; old: string; new: string; oldLabel: string; newLabel: string };

/** How the first visit decided on the snapshot. */
interface SnapshotDecision {
  taken: boolean;
  ms: number;
  budgetMs: number;
}

/** What the worker posts to the page. */
type WorkerMessage =
  | { type: "progress"; stage: string; received: number; total: number; pending: string[]; mode: string | null }
  | { type: "ready"; mode: string; snapshotFrom: "cache" | "network" | null; snapshotDecision: SnapshotDecision | null;
      ms: number; timings: Record<string, number> }
  | { type: "boot-error"; message: string; fatal: boolean; snapshotAtFault: boolean; standIn?: boolean; stdlib?: boolean }
  | { type: "snapshot-cached" }
  | { type: "result"; id: number; json: string }
  /** An upload's answer, parsed in the worker (off the page's main thread); size: its JSON's length. */
  | { type: "result"; id: number; answer: unknown; size: number };

