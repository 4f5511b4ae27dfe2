import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HomeAssistantClient, HomeAssistantError } from './home-assistant.client';
import { HomeAssistantModule } from './home-assistant.module';
import { HttpHomeAssistantClient } from './http-home-assistant.client';

const HA_URL = Symbol('ha-url');

describe('HomeAssistantModule', () => {
  let server: Server;
  let url: string;
  const seenTokens: string[] = [];

  beforeAll(async () => {
    // Just enough of HA's REST API to prove the wiring: the client reaches this URL with this token.
    server = createServer((req, res) => {
      seenTokens.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'API running.' }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('forRoot provides the HTTP client for the given HA, and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HomeAssistantModule.forRoot({ url, token: 'root-token', timeoutMs: 2_000 })],
    }).compile();
    const client = moduleRef.get(HomeAssistantClient);
    expect(client).toBeInstanceOf(HttpHomeAssistantClient);
    expect(await client.ping()).toEqual({ message: 'API running.' });
    expect(seenTokens).toContain('Bearer root-token');

    await moduleRef.close();
    const afterShutdown = client.getEnergyPrefs();
    await expect(afterShutdown).rejects.toBeInstanceOf(HomeAssistantError);
    await expect(afterShutdown).rejects.toThrow(/is closed/);
  });

  it('forRootAsync resolves the connection from injected providers', async () => {
    @Module({ providers: [{ provide: HA_URL, useFactory: () => url }], exports: [HA_URL] })
    class HaUrlModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        HomeAssistantModule.forRootAsync({
          imports: [HaUrlModule],
          inject: [HA_URL],
          useFactory: (haUrl: string) => ({ url: haUrl, token: 'async-token', timeoutMs: 2_000 }),
        }),
      ],
    }).compile();
    expect(await moduleRef.get(HomeAssistantClient).ping()).toEqual({ message: 'API running.' });
    expect(seenTokens).toContain('Bearer async-token');
    await moduleRef.close();
  });
});
