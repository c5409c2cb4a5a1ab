/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './tools/precompress.mjs';

// The C++ server serves web/dist; `npm run dev` proxies the API to a local server.
export default defineConfig({
  // precompress: .br and .gz next to every text file, sent by the server as they are.
  plugins: [react(), precompress()],
  build: {
    target: 'es2020',
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:18080' },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
