import type { Page } from 'playwright-core';
import { channels, eventNames } from '../../src/shared/contract';
import type { RuntimeHost } from './runtime-host';

const bindingName = '__mailSettingsE2eInvoke';
const deliverKey = 'mail-settings-e2e:deliver';

/**
 * What src/preload/index.ts exposes in Electron, rebuilt for a plain browser page: `window.mailSettings`
 * with one method per contract channel and `on(event, listener)`, nothing generic. Every call goes to the
 * REAL dispatcher in the test process. Arguments are structured-cloned in the page first, as
 * `ipcRenderer.invoke` does (so a value IPC could not carry fails here too), then cross to Node.
 *
 * Written as a plain string: a function would be re-serialised by Playwright after the test transform,
 * which may add helpers the page does not have.
 */
const preloadScript = (channelNames: readonly string[], events: readonly string[]): string => `(() => {
  const channelNames = ${JSON.stringify(channelNames)};
  const eventNames = ${JSON.stringify(events)};
  const bindingName = ${JSON.stringify(bindingName)};
  const listeners = new Map();
  const api = {};
  for (const channel of channelNames) {
    api[channel] = (request) => {
      let cloned;
      try {
        cloned = structuredClone(request);
      } catch (error) {
        return Promise.reject(error);
      }
      // Looked up per call: Playwright installs the binding independently of this script.
      return window[bindingName](channel, cloned);
    };
  }
  api.on = (event, listener) => {
    if (!eventNames.includes(event)) throw new Error('Unknown event ' + String(event));
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener);
    return () => { set.delete(listener); };
  };
  Object.defineProperty(window, Symbol.for(${JSON.stringify(deliverKey)}), {
    value: (event, payload) => {
      for (const listener of listeners.get(event) ?? []) listener(structuredClone(payload));
    },
  });
  Object.defineProperty(window, 'mailSettings', { value: Object.freeze(api), enumerable: true });
})();`;

/**
 * Installs the bridge for this page (it survives reloads) and forwards the runtime's events into it.
 * Returns a function that stops forwarding.
 */
export async function installMailSettingsBridge(page: Page, host: RuntimeHost): Promise<() => void> {
  await page.exposeBinding(bindingName, (_source, channel: unknown, payload: unknown) => host.dispatch(String(channel), payload));
  await page.addInitScript(preloadScript(channels, eventNames));
  return host.onEvent((event, payload) => {
    // A page that is reloading or closed simply misses the event, as a closed window would.
    page
      .evaluate(
        ([key, name, value]) => {
          const deliver = (window as unknown as Record<symbol, ((e: string, p: unknown) => void) | undefined>)[Symbol.for(key)];
          deliver?.(name, value);
        },
        [deliverKey, event, payload] as const,
      )
      .catch(() => undefined);
  });
}
