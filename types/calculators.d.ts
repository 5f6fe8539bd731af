// The data that crosses files in the calculators' page scripts, declared once for
// TypeScript's checker (make lint, tsconfig.json); what passes between the page and the
// worker is in runtime.d.ts. Shapes made by Python name where they are made; the scripts
// name these in JSDoc. Only ours: the theme's internals are not typed (document$ is all the
// page uses of it).

// --- a calculator's answer (calc/engine.py, calc/registry.py) -------------------------------

/** One line of a result's checks (calc.engine._line). */
interface CalcCheck {
  id: string;
  clause: string;
  kind: "requirement" | "exclusion" | "info";
  status: "ok" | "fail" | "n/a" | "info";
  verdict: string;
  label: string;
  actual: unknown;
  required: unknown;
  text: string;
}

/** What would change the answer (calc.engine.change): the next better outcome and each
 *  thing that would have to be different, with the clause that requires it. */
interface CalcChange {
  better: string;
  needs: { clause: string; text: string }[];
}

/** The version of the document applied (calc.parameters.document). */
interface CalcPolicy {
  document: string;
  title: string;
  version: string;
  effective?: string | null;
  as_of?: string | null;
  /** Before the first version takes effect. */
  note?: string | null;
}

/** Who may release a blocked order, and on what ground (calc/credit_check.py). */
interface CalcRelease {
  by: string;
  clause: string;
  ground: string;
  ground_clause: string;
}

/** A calculator's answer (calc.engine.result); run_form adds form_input, the values as read. */
interface CalcResult {
  error?: undefined;
  calculator: string;
  policy: CalcPolicy;
  headline: string;
  reason: string;
  checks: CalcCheck[];
  what_would_change: CalcChange | null;
  release?: CalcRelease | null;
  form_input?: Record<string, unknown>;
  /** customer-tiering's ranked list (form-handoff.js trims a long one). */
  customers?: unknown[];
  // The calculators' other outputs (the main answer, OUTCOME, among them) are read by the
  // name in data-outcome-field: not listed here.
}

/** A field's problem, for the page to mark it (field: its JSON path, or null for the input). */
interface CalcFieldError {
  field: string | null;
  message: string;
}

/** Bad input refused (calc.registry): one Chinese line; run_form lists every bad field. */
interface CalcRefusal extends CalcFieldError {
  error: string;
  errors?: CalcFieldError[];
}

type CalcAnswer = CalcResult | CalcRefusal;

/** A customer list uploaded (calc/tiering_csv.py): the tiering and the ranked list as the
 *  CSV to download, or the file refused with each cause. */
interface TieringAnswer {
  error?: string;
  problems?: { message: string }[];
  result?: CalcResult;
  csv?: string;
  csv_sha256?: string;
  rows?: number;
  encoding?: string;
  ignored_columns?: string[];
}

// --- the engine (calc-runtime.js; its messages with the worker: runtime.d.ts) --------------

/** The build's runtime configuration, carried by each calculator page (handbook/runtime.py
 *  prepare, written by overrides/main.html as data-calc-runtime). */
interface RuntimeBuild {
  runtime: string;
  plainStdlib: string;
  wheel: string;
  snapshot: string | null;
  register: string;
  worker: string;
  memoryBytes: number | null;
  buildId: string | null;
  files: Record<string, RuntimeFile>;
  settings: { bootStallMs: number; requestTimeoutMs: number; firstVisitSnapshotMs: number };
}

/** The engine's state as the page shows it. */
type RuntimeState = "loading" | "ready" | "error";

/** The engine's download: bytes received of the total this boot fetches, and the files
 *  still on their way. */
interface RuntimeProgress {
  received: number;
  total: number;
  pending: string[];
}

/** window.HandbookRuntime (calc-runtime.js). */
interface HandbookRuntime {
  boot(): Promise<void>;
  send(message: WorkerRequest, transfer?: Transferable[]): Promise<any>;
  call(name: string, input: unknown): Promise<any>;
  upload(name: string, file: File): Promise<TieringAnswer>;
  retry(): Promise<void>;
  onState(fn: (state: RuntimeState, error: string) => void): void;
  onProgress(fn: (progress: RuntimeProgress) => void): void;
  state(): RuntimeState;
  error(): string;
  progress(): RuntimeProgress;
  info(): Record<string, unknown>;
}

// --- the calculators' scripts (calculator-*.js, window.HandbookCalc) -----------------------

/** The form's values as typed: strings, booleans, lists of codes; by field name. */
type RawForm = Record<string, string | boolean | string[]>;

/** What a tiering adds to the last answer (tiering.js). */
interface TieringShown {
  file: string;
  encoding: string;
  rows: number;
  list: { text: string; size: number; header: string[]; row(k: number): string[]; column(name: string): number; first(name: string): string };
  ignored: string[];
  sha256: string;
  download: string;
}

/** The answer shown under a calculator, with the inputs it answered (form-handoff.js and
 *  the printed record read it). */
interface LastAnswer {
  result: CalcResult;
  raw: RawForm;
  at: Date;
  file?: string;
  tiering?: TieringShown;
}

/** A calculator's root element ([data-calculator]) and what the scripts keep on it. */
interface CalculatorRoot extends HTMLElement {
  /** Its parts are the template's HTML elements (overrides/partials/calculator.html). */
  querySelector<K extends keyof HTMLElementTagNameMap>(selectors: K): HTMLElementTagNameMap[K] | null;
  querySelector<E extends Element = HTMLElement>(selectors: string): E | null;
  querySelectorAll<K extends keyof HTMLElementTagNameMap>(selectors: K): NodeListOf<HTMLElementTagNameMap[K]>;
  querySelectorAll<E extends Element = HTMLElement>(selectors: string): NodeListOf<E>;
  lastAnswer: LastAnswer | null;
  pendingRaw?: RawForm | null;
  dirtyDuringRun?: boolean;
  busyTimer?: ReturnType<typeof setTimeout>;
  busyFocus?: boolean;
}

/** The clauses a calculator may cite, by id (handbook/calculator_form.py, data-clauses). */
type ClauseLinks = Record<string, { id: string; label: string; href: string }>;

/** window.HandbookCalc: the calculator-*.js files' shared parts. */
interface HandbookCalc {
  el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string | null, text?: unknown): HTMLElementTagNameMap[K];
  clauseLink(clauses: ClauseLinks, id: string): HTMLSpanElement | HTMLAnchorElement;
  shown(value: unknown): string;
  columnsTable(className: string, headings: string[], rows: Node[]): HTMLElement;
  policyText(policy: CalcPolicy): string;
  outcomeText(value: unknown): string;
  showError(root: CalculatorRoot, message: string, list?: string[]): void;
  hideError(root: CalculatorRoot): void;
  unmarkField(control: Element | null): void;
  clearFieldErrors(root: CalculatorRoot): void;
  markFieldErrors(root: CalculatorRoot, errors: CalcFieldError[]): number;
  showState(root: CalculatorRoot, state: RuntimeState, error: string): void;
  setBusy(root: CalculatorRoot, busy: boolean, doing?: string): void;
  fields(root: CalculatorRoot): HTMLElement[];
  readForm(root: CalculatorRoot): RawForm;
  writeForm(root: CalculatorRoot, raw: Record<string, string | boolean | string[]>): void;
  sharedInputs(root: CalculatorRoot): Record<string, string> | null;
  shareControls(root: CalculatorRoot): HTMLElement[];
  printRecord(root: CalculatorRoot): void;
  clearResult(root: CalculatorRoot): void;
  markStale(root: CalculatorRoot): void;
  showResult(root: CalculatorRoot, result: CalcResult): void;
  submitUpload(root: CalculatorRoot): void;
}

/** window.HandbookTiering (tiering.js). */
interface HandbookTiering {
  show(root: CalculatorRoot, answer: TieringAnswer, fileName: string,
       page: { showResult: HandbookCalc["showResult"]; markFieldErrors: HandbookCalc["markFieldErrors"] }): void;
  record(last: LastAnswer, columnsTable: HandbookCalc["columnsTable"]): DocumentFragment;
  cells(line: string): string[];
  PRINT_ROWS: number;
}

interface Window {
  HandbookRuntime: HandbookRuntime;
  HandbookCalc: HandbookCalc;
  HandbookTiering: HandbookTiering;
  /** calc-progress.js */
  HandbookDownload?: { text(): string };
  /** calculator.js: a 案例's 试算 (examples.js) fills a calculator's form and computes. */
  HandbookCalculator: { fill(root: CalculatorRoot, raw: RawForm): void };
  /** clause-peek.js */
  HandbookClausePeek?: { open(a: HTMLAnchorElement): void };
  /** The theme's page observable: emits on every page (instant navigation included). */
  document$?: { subscribe(fn: () => void): unknown };
}
