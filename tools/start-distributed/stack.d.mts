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

export interface DistributedStack {
  gateway: StartedApp;
  agents: Record<string, StartedApp>;
  ha: { url: string; token?: string };
  serviceToken: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const AGENTS: Record<string, [number, string]>;
export const GATEWAY_PORT: number;
export const HA_DEMO_PORT: number;
export const HA_DEMO_TOKEN: string;
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
}): Promise<DistributedStack>;
