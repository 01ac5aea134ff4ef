// Loaded (node --import) into Electron's own install.js by electron-binary.mjs, to learn where the download
// goes and why it failed. install.js prints only the error's stack, and for a network failure that is
// undici's "TypeError: fetch failed": the reason (refused, not found, a certificate) is in its `cause`
// (https://undici.nodejs.org/#/docs/api/Errors). @electron/get downloads with the global fetch
// (its FetchDownloader), so each fetch it makes is reported here, one marked JSON line on stderr.
// Should a later @electron/get stop using fetch, nothing is reported and the stack's first line is used.

import { downloadReportLine } from './download-report.mjs';

const report = (event) => process.stderr.write(downloadReportLine(event));

const realFetch = globalThis.fetch;
if (typeof realFetch === 'function') {
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    report({ kind: 'started', url });
    try {
      const response = await realFetch(input, init);
      report(response.ok ? { kind: 'responded', url } : { kind: 'http-error', url, status: response.status, statusText: response.statusText });
      return response;
    } catch (error) {
      const cause = error?.cause;
      report({ kind: 'failed', url, code: cause?.code ?? error?.code ?? null, message: cause?.message ?? error?.message ?? String(error) });
      throw error;
    }
  };
}
