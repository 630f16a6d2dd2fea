// Browser suite for the legcramps web app, on Debian's chromium (never a downloaded browser).
// The server is the real binary: LEGCRAMPS_BIN, or the debug build from `cargo build`.
const { defineConfig } = require('@playwright/test');
const path = require('path');

const port = process.env.E2E_PORT || '8799';
const bin = process.env.LEGCRAMPS_BIN || path.join(__dirname, '..', 'target', 'debug', 'legcramps');
// A fresh diary for every run, never the person's own.
const dataDir = path.join(__dirname, 'test-results', 'diary-data');
// A second server with accounts on, at http://localhost:PORT (a domain name, so passkeys work;
// browsers treat localhost as a secure context).
const accountsPort = process.env.E2E_ACCOUNTS_PORT || '8798';
const accountsDir = path.join(__dirname, 'test-results', 'accounts-data');

const launchOptions = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

module.exports = defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions,
  },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: `rm -rf '${dataDir}' && '${bin}' serve --addr 127.0.0.1:${port} --data-dir '${dataDir}'`,
      url: `http://127.0.0.1:${port}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { RUST_LOG: 'warn' },
    },
    {
      command: `rm -rf '${accountsDir}' && '${bin}' serve --accounts --public-url http://localhost:${accountsPort} --addr 127.0.0.1:${accountsPort} --data-dir '${accountsDir}'`,
      url: `http://127.0.0.1:${accountsPort}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: { RUST_LOG: 'warn' },
    },
  ],
});
