import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { HomeAssistantClient, HomeAssistantError } from '@aether/home-assistant';
import { LlmModule } from '@aether/llm';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DsAnalystsAgent } from './ds-analysts.agent';
import { DsAnalystsAgentModule } from './ds-analysts-agent.module';

describe('DsAnalystsAgentModule', () => {
  it("provides the DS analysts agent wired to the application's Home Assistant client, plus its card", async () => {
    const unreachable = () => Promise.reject(new HomeAssistantError('unreachable', 'Home Assistant at http://127.0.0.1:1 is unreachable'));
    const homeAssistant = { getConfig: unreachable, getEnergyPrefs: unreachable, getStates: unreachable } as unknown as HomeAssistantClient;
    @Module({ providers: [{ provide: HomeAssistantClient, useValue: homeAssistant }], exports: [HomeAssistantClient] })
    class AppProviders {}

    const moduleRef = await Test.createTestingModule({ imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LlmModule.forRoot({ chatModels: false }), LocalAgentsModule, { module: AppProviders, global: true }, DsAnalystsAgentModule] }).compile();
    const agent = moduleRef.get(LocalAgentRegistry).get('ds-analysts').agent;
    expect(agent).toBeInstanceOf(DsAnalystsAgent);
    expect(moduleRef.get(LocalAgentRegistry).get('ds-analysts').card.skills.map((s) => s.id)).toEqual([
      'energy_analysis',
      'behavioral_analysis',
      'diagnostic_analysis',
      'custom_analysis',
    ]);

    const run = async () => {
      for await (const _event of agent.run({ message: 'energy', history: [], data: { specialist: 'energy' }, context: { conversationId: 'c', userId: 'u' } }, new AbortController().signal)) {
        /* drain */
      }
    };
    // The injected client is the one used: its failure surfaces as upstream_error.
    await expect(run()).rejects.toMatchObject({ code: 'upstream_error', message: 'Home Assistant at http://127.0.0.1:1 is unreachable' });
  });
});
