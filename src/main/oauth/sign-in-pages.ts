/** The pages the browser shows after the loopback redirect (seed 003: "you can close your browser"). */
const page = (title: string, body: string, colour: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#f4f6f9;color:#1d2733;display:grid;place-items:center;min-height:90vh;margin:0}
main{background:#fff;border-radius:8px;box-shadow:0 2px 12px #0002;padding:32px 40px;max-width:460px}
h1{font-size:20px;margin:0 0 8px;color:${colour}}</style></head>
<body><main><h1>${title}</h1><p>${body}</p></main></body></html>`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const signInPages = {
  success: page(
    'Mail Settings has your account',
    'You are signed in. You can close this browser tab and return to Mail Settings.',
    '#1f7a3a',
  ),
  failure: (message: string) => page('Sign-in not completed', escapeHtml(message), '#b3261e'),
};
