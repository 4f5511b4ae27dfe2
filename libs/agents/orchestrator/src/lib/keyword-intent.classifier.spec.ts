import { classifyIntentByKeywords } from './keyword-intent.classifier';

describe('classifyIntentByKeywords', () => {
  it.each([
    ['Analyze my energy usage', 'architect'],
    ['What devices do I have in the kitchen?', 'librarian'],
    ['Make me a dashboard', 'dashboard-designer'],
    ['Discover my home', 'librarian'],
    ['Turn off the kitchen lights at 23:00', 'architect'],
    ['Design a Lovelace view with an energy card', 'dashboard-designer'],
    ['Which devices use the most energy?', 'architect'],
    ['Good morning!', 'architect'],
  ])('%s → %s', (message, agent) => {
    expect(classifyIntentByKeywords(message).agent).toBe(agent);
  });

  it('grows confidence with the evidence and names it', () => {
    expect(classifyIntentByKeywords('Make me a dashboard')).toEqual({
      agent: 'dashboard-designer',
      confidence: 0.7,
      reason: 'Keyword evidence: "dashboard".',
    });
    expect(classifyIntentByKeywords('What devices do I have in the kitchen?').confidence).toBe(0.85);
    expect(classifyIntentByKeywords('Analyze my energy usage and automations').confidence).toBe(0.95);
  });

  it('is unsure about contested or unknown requests', () => {
    const contested = classifyIntentByKeywords('Show me the dashboard of my energy');
    expect(contested.agent).toBe('dashboard-designer');
    expect(contested.confidence).toBe(0.55);
    expect(contested.reason).toContain('also architect');
    expect(classifyIntentByKeywords('Good morning!')).toMatchObject({ agent: 'architect', confidence: 0.5 });
  });
});
