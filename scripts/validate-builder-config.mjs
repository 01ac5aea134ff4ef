// Checks electron-builder.yml against electron-builder's own schema, offline. Packaging itself needs the
// Electron zip from the internet, so this is what can be proven here.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';

const projectDir = new URL('..', import.meta.url).pathname;
const config = await getConfig(projectDir, 'electron-builder.yml', null);
await validateConfiguration(config, new DebugLogger(false));
const targets = ['linux', 'win', 'mac'].map((os) => `${os}: ${[config[os]?.target ?? []].flat().join(', ')}`);
console.log(`electron-builder.yml is valid (${config.appId}; ${targets.join('; ')})`);
