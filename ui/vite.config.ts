/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The UI is served by Tauri from the embedded `dist/` folder (src-tauri/tauri.conf.json,
// build.frontendDist). Nothing here may load from the network: the app's CSP forbids it.
export default defineConfig({
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK 2.4x and WebView2 are evergreen enough for ES2022.
    target: 'es2022',
    // Keep every script in a file: the CSP has no 'unsafe-inline'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
  },
});
