// Electron's windows need a graphical display. On Linux and the BSDs that is an X server (DISPLAY) or a
// Wayland compositor (WAYLAND_DISPLAY); without either, as over ssh or on a server, Electron exits at
// start ("Missing X server or $DISPLAY"). macOS and Windows always have one for a signed-in user.

/** Why no window can open here, in words for a sentence; null when a display is there. */
export function missingDisplay(env, platform = process.platform) {
  if (platform === 'darwin' || platform === 'win32') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'there is no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}
