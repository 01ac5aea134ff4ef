import type * as NodeSqlite from 'node:sqlite';

/**
 * node:sqlite (the records database), loaded when it is first needed, without the line Node 22 prints on
 * stderr the first time a thread loads it: "ExperimentalWarning: SQLite is an experimental feature and
 * might change at any time". For the CLI that line is noise in every script's and cron job's stderr, and
 * says nothing the user can act on.
 *
 * Loaded by call (process.getBuiltinModule), not by a static import: an ES module's imports, builtins
 * included, all load (and this one warns) before any of its code runs, so no filter set up in code could
 * come first, in the CLI or in the retrieval worker thread (each thread has its own process object and
 * its own warning printer).
 */
export function loadNodeSqlite(): typeof NodeSqlite {
  hideSqliteExperimentalWarning();
  return process.getBuiltinModule('node:sqlite');
}

/**
 * Only that one warning is hidden: Node's own printer (the 'warning' listener Node adds at start-up unless
 * warnings are off) is wrapped, so every other warning, deprecations included, still prints as Node prints
 * it. Node has no runtime switch for one warning (`--disable-warning` is a start-up flag, and it names a
 * whole type such as ExperimentalWarning); `process.on('warning')` alone would add a listener, not replace
 * the printer.
 */
function hideSqliteExperimentalWarning(target: NodeJS.Process = process): void {
  for (const printer of target.listeners('warning')) {
    if (isFilter(printer)) continue;
    target.off('warning', printer);
    const filter = Object.assign((warning: Error) => {
      if (!isSqliteExperimentalWarning(warning)) printer(warning);
    }, { [filterMark]: true });
    target.on('warning', filter);
  }
}

const filterMark = Symbol('mail-settings sqlite warning filter');

function isFilter(listener: unknown): boolean {
  return typeof listener === 'function' && filterMark in listener;
}

/** Node's wording (lib/sqlite.js: emitExperimentalWarning('SQLite')). */
function isSqliteExperimentalWarning(warning: Error): boolean {
  return warning.name === 'ExperimentalWarning' && /^SQLite is an experimental feature\b/.test(warning.message);
}
