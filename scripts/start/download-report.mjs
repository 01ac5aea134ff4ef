// What download-watch.mjs (inside Electron's install.js) tells electron-binary.mjs: one line per event on
// stderr, marked so that it is told apart from install.js's own output.

const marker = 'mail-settings-electron-download ';

/** The line download-watch.mjs writes for one event. */
export function downloadReportLine(event) {
  return `${marker}${JSON.stringify(event)}\n`;
}

/** Splits install.js's stderr into the events reported and the rest (its own words). */
export function readDownloadReports(stderr) {
  const events = [];
  const rest = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith(marker)) {
      if (line.trim() !== '') rest.push(line);
      continue;
    }
    try {
      events.push(JSON.parse(line.slice(marker.length)));
    } catch {
      rest.push(line);
    }
  }
  return { events, rest };
}
