/// <reference types="vite/client" />
// Vite's client types: the renderer imports its stylesheet as a module (bundled by electron-vite).
