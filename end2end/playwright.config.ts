import { defineConfig } from "@playwright/test";

// The portal under test: the release server binary with a fresh database,
// demo data and a fixed "today", on loopback only — one server and one
// database per project, so the JavaScript and the no-JavaScript runs never
// use up each other's records. The test command builds the binary and the
// site first (see .ci/test).
const firstPort = Number(process.env.E2E_PORT ?? 3100);
// Kept in the environment so test workers (other processes) find the same
// directories, e.g. to ask the server command for a demo record's identity.
const dataRoot = (process.env.E2E_DATA_DIR ??= `/tmp/hegang-e2e-${process.pid}`);
process.env.E2E_PORT ??= String(firstPort);
// With E2E_POSTGRES (a PostgreSQL server, `postgres://user@host:port`), the
// JavaScript project's portal runs on a fresh database there, so the browser
// tests cover both databases in one run (the other project stays on SQLite).
const postgres = process.env.E2E_POSTGRES;
const portals = [
  { project: "js", port: firstPort, javaScriptEnabled: true, postgres },
  { project: "nojs", port: firstPort + 1, javaScriptEnabled: false, postgres: undefined },
];
for (const p of portals) {
  const key = `E2E_DATABASE_URL_${p.project}`;
  if (p.postgres) process.env[key] ??= `${p.postgres}/hegang_e2e_${p.project}_${process.pid}`;
}
// The first administrator, created with the server command before the
// portal starts (there is no default account). Test-only.
export const ADMIN_PASSWORD = "Hegang-Console-2026!";

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    launchOptions: chromium,
    trace: "off",
  },
  projects: portals.map((p) => ({
    name: p.project,
    use: { baseURL: `http://127.0.0.1:${p.port}`, javaScriptEnabled: p.javaScriptEnabled },
  })),
  webServer: portals.map((p) => {
    const dataDir = `${dataRoot}/${p.project}`;
    const databaseUrl = process.env[`E2E_DATABASE_URL_${p.project}`];
    // A fresh UTF-8 database for a PostgreSQL portal, made with psql.
    const fresh = databaseUrl
      ? (() => {
          const name = databaseUrl.split("/").pop();
          const admin = `${p.postgres}/postgres`;
          return (
            `psql -q '${admin}' -c 'drop database if exists ${name}' ` +
            `-c "create database ${name} template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'" && `
          );
        })()
      : "";
    return {
      command:
        fresh +
        `rm -rf ${dataDir} && mkdir -p ${dataDir} && ` +
        `printf '%s\\n' '${ADMIN_PASSWORD}' | ../target/release/server staff add --role admin --username admin --name 管理员（演示） && ` +
        `../target/release/server`,
      url: `http://127.0.0.1:${p.port}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe" as const,
      env: {
        PORTAL_ADDR: `127.0.0.1:${p.port}`,
        PORTAL_DATA_DIR: dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        PORTAL_DEMO: "1",
        PORTAL_TODAY: "2026-11-26",
        PORTAL_DEMO_RECORDS: "1500",
        LEPTOS_SITE_ROOT: "../target/site",
        RUST_LOG: "warn",
      },
    };
  }),
});
