import { TaskState, type Task } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import { randomUUID } from 'node:crypto';
import { AGENTS, freePort, HA_DEMO_TOKEN, startApp, type StartedApp } from '../../../tools/start-distributed/stack.mjs';
import { a2aUserMessage } from './support/a2a-message';
import { databasesUnderTest } from './support/database';
import { startDemoHomeApp } from './support/demo-home';

describe.each(databasesUnderTest())('A2A GetTask after the agent service restarts (%s)', (_kind, openDatabase) => {
  let home: StartedApp;
  let service: StartedApp | undefined;
  let drop: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await service?.stop();
    await home?.stop();
    await drop?.();
  });

  it('answers GetTask for a finished task with its final state and answer after a restart', async () => {
    home = await startDemoHomeApp();
    const database = await openDatabase();
    drop = () => database.drop();
    const port = await freePort();
    const token = randomUUID();
    // Distributed mode wants every other agent's URL; this test calls only ds-analysts, so they
    // point at a free loopback port nothing listens on.
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const agentUrls = Object.fromEntries(Object.values(AGENTS).map(([, variable]) => [variable, nobody]));
    const env = {
      ...database.env,
      ...agentUrls,
      DEPLOYMENT_MODE: 'distributed',
      DS_ANALYSTS_URL: `http://127.0.0.1:${port}`,
      AETHER_SERVICE_TOKEN: token,
      HA_URL: home.url,
      HA_TOKEN: HA_DEMO_TOKEN,
    };
    const auth = { serviceParameters: { Authorization: `Bearer ${token}` } };

    service = await startApp('ds-analysts', { port, env });
    const client = await new ClientFactory().createFromUrl(service.url);
    const sent = (await client.sendMessage(a2aUserMessage('How much energy did I use?', { specialist: 'energy', hours: 24 }), auth)) as Task;
    expect(sent.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);

    await service.stop();
    service = await startApp('ds-analysts', { port, env });
    const restarted = await new ClientFactory().createFromUrl(service.url);
    const loaded = await restarted.getTask({ tenant: '', id: sent.id, historyLength: undefined }, auth);
    expect(loaded.id).toBe(sent.id);
    expect(loaded.contextId).toBe(sent.contextId);
    expect(loaded.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(loaded.artifacts).toEqual(sent.artifacts);
  });
});
