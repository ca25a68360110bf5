import dcmjs from 'dcmjs';

/**
 * dcmjs reports what it finds odd in a file ("Invalid length for fixed length
 * tag, vr AS, length 4 != 6") through its loglevel logger, straight to the
 * console. Every reader here runs dcmjs through captureDcmjsMessages, which
 * keeps those lines for the caller to report once per file.
 */

type LogMethod = (...args: unknown[]) => void;
type MethodFactory = (methodName: string, level: number, loggerName: string | symbol | undefined) => LogMethod;

/**
 * The part of loglevel's Logger used here (dcmjs exports its logger as `log`; this project's dcmjs types leave it out).
 */
interface Logger {
  methodFactory: MethodFactory;
  rebuild?(): void;
  getLoggers?(): Record<string, Logger>;
}

/** The lines dcmjs logs while a capture runs; null between captures (then they go where dcmjs sends them). */
let capturing: string[] | null = null;
let installed = false;

const text = (args: readonly unknown[]): string =>
  args
    .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : (JSON.stringify(a) ?? String(a))))
    .join(' ')
    .trim();

/** Wraps the method factory of dcmjs's logger and of its child loggers once, then rebuilds their methods. */
function install(): void {
  if (installed) return;
  installed = true;
  const root = (dcmjs as unknown as { log?: Logger }).log;
  if (!root) return;
  const loggers = [root, ...Object.values(root.getLoggers?.() ?? {})];
  for (const logger of loggers) {
    const original = logger.methodFactory;
    logger.methodFactory = (methodName, level, loggerName) => {
      const toConsole = original(methodName, level, loggerName);
      return (...args) => {
        if (capturing) capturing.push(text(args));
        else toConsole(...args);
      };
    };
  }
  // The root's rebuild also rebuilds every child logger with its (now wrapped) factory.
  root.rebuild?.();
}

/**
 * Runs a synchronous dcmjs call and returns what dcmjs logged during it,
 * without duplicates. dcmjs reads synchronously, so no other file's read can
 * interleave: one module-level buffer is safe under concurrent async callers.
 */
export function captureDcmjsMessages<T>(call: () => T): { result: T; messages: string[] } {
  install();
  const outer = capturing;
  const lines: string[] = [];
  capturing = lines;
  try {
    const result = call();
    return { result, messages: [...new Set(lines.filter((l) => l !== ''))] };
  } finally {
    capturing = outer;
  }
}
