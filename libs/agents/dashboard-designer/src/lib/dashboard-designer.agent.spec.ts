import { AgentError } from '@aether/core';
import { LocalAgentRegistry, LocalAgentsModule } from '@aether/a2a';
import { AetherConfigModule, loadConfig } from '@aether/config';
import { Test } from '@nestjs/testing';
import { DashboardDesignerAgent, DASHBOARD_DESIGNER_NOT_AVAILABLE } from './dashboard-designer.agent';
import { DashboardDesignerAgentModule } from './dashboard-designer-agent.module';

describe('DashboardDesignerAgent', () => {
  it('fails every request with a clear not_implemented error', async () => {
    const events = new DashboardDesignerAgent().run({ message: 'hello', history: [], context: { conversationId: 'c1', userId: 'u1' } }, new AbortController().signal);
    await expect(events[Symbol.asyncIterator]().next()).rejects.toEqual(new AgentError('not_implemented', DASHBOARD_DESIGNER_NOT_AVAILABLE, 'dashboard-designer'));
    expect(DASHBOARD_DESIGNER_NOT_AVAILABLE).toMatch(/ is not available yet in this version of Aether\.$/);
  });

  it('is provided with its card by DashboardDesignerAgentModule', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AetherConfigModule.forRoot(loadConfig({ NODE_ENV: 'test' })), LocalAgentsModule, DashboardDesignerAgentModule] }).compile();
    expect(moduleRef.get(LocalAgentRegistry).get('dashboard-designer').agent).toBeInstanceOf(DashboardDesignerAgent);
    const card = moduleRef.get(LocalAgentRegistry).get('dashboard-designer').card;
    expect(card.name).toBe('dashboard-designer');
    expect(card.skills.map((s) => s.id)).toEqual(['dashboard_design', 'dashboard_deployment']);
  });
});
