import type { ChildProcess } from 'node:child_process';

export interface StartedApp {
  app: string;
  url: string;
  port: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  env?: Record<string, string>;
  port: number;
  healthPath?: string;
  healthHeaders?: Record<string, string>;
  timeoutMs?: number;
  onOutput?: (app: string, text: string) => void;
}

export interface StartedDatabaseServer extends Omit<StartedApp, 'app'> {
  app: 'database';
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** The PGlite directory: `<AETHER_DATA_DIR>/database/pglite`. */
  dataDir: string;
  /** Whether this start created the database. */
  created: boolean;
}

/** The stack's database: the one embedded server it started, or the PostgreSQL that DATABASE_URL names. */
export type StackDatabase =
  | { kind: 'embedded'; url: string; dataDir: string; server: StartedDatabaseServer }
  | { kind: 'postgres'; url: string; server: undefined };

export interface DistributedStack {
  gateway: StartedApp;
  agents: Record<string, StartedApp>;
  ha: { url: string; token?: string };
  serviceToken: string;
  env: Record<string, string>;
  database: StackDatabase;
  /** Services and gateway, then the database server. */
  stop(): Promise<void>;
  /** Stops every service, the gateway and the database server, and starts them again (same ports and env); updates this object. */
  restart(): Promise<DistributedStack>;
  /** Restarts only the named services (agent names, or 'gateway'), on the same ports and environment. */
  restartServices(names: string[]): Promise<DistributedStack>;
}

export const AGENTS: Record<string, [number, string]>;
export const GATEWAY_PORT: number;
export const HA_DEMO_PORT: number;
export const HA_DEMO_TOKEN: string;
export const DATABASE_PORT: number;
export function buildDatabaseServer(): Promise<string>;
export function describeDatabaseUrl(url: string): string;
export function startDatabaseServerProcess(options: {
  port: number;
  env?: Record<string, string>;
  timeoutMs?: number;
  onOutput?: (app: string, text: string) => void;
}): Promise<StartedDatabaseServer>;
export function freePort(): Promise<number>;
export function startApp(app: string, options: StartAppOptions): Promise<StartedApp>;
export function startDemoHomeApp(options: { port: number; env?: Record<string, string>; onOutput?: (app: string, text: string) => void }): Promise<StartedApp>;
export function startDistributedStack(options?: {
  randomPorts?: boolean;
  env?: Record<string, string>;
  haUrl?: string;
  haToken?: string;
  onOutput?: (app: string, text: string) => void;
  timeoutMs?: number;
  /** The stack's own lines (which database it uses); default console.log. */
  log?: (line: string) => void;
}): Promise<DistributedStack>;
