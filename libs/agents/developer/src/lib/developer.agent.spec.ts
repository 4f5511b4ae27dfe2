import { AgentError } from '@aether/core';
import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { Test } from '@nestjs/testing';
import { DeveloperAgent, DEVELOPER_NOT_AVAILABLE } from './developer.agent';
import { DeveloperAgentModule } from './developer-agent.module';

describe('DeveloperAgent', () => {
  it('fails every request with a clear not_implemented error', async () => {
    const events = new DeveloperAgent().run({ message: 'hello', history: [], context: { conversationId: 'c1', userId: 'u1' } }, new AbortController().signal);
    await expect(events[Symbol.asyncIterator]().next()).rejects.toEqual(new AgentError('not_implemented', DEVELOPER_NOT_AVAILABLE, 'developer'));
    expect(DEVELOPER_NOT_AVAILABLE).toMatch(/ is not available yet in this version of Aether\.$/);
  });

  it('is provided with its card by DeveloperAgentModule', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LocalAgentsModule, DeveloperAgentModule] }).compile();
    expect(moduleRef.get(LocalAgentRegistry).get('developer').agent).toBeInstanceOf(DeveloperAgent);
    const card = moduleRef.get(LocalAgentRegistry).get('developer').card;
    expect(card.name).toBe('developer');
    expect(card.skills.map((s) => s.id)).toEqual(['automation_deployment', 'rollback', 'yaml_generation']);
  });
});
