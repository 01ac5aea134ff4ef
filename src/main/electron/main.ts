import { runApp } from './lifecycle';

// The Electron entry point (out/main/index.js).
void runApp();
