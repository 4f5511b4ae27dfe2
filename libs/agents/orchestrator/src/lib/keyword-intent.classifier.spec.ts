import { classifyIntentByKeywords } from './keyword-intent.classifier';

describe('classifyIntentByKeywords', () => {
  it.each([
    ['Analyze my energy usage', 'architect'],
    ['What devices do I have in the kitchen?', 'librarian'],
    ['Make me a dashboard', 'dashboard-designer'],
    ['Design a dashboard for my energy', 'dashboard-designer'],
    ['Discover my home', 'librarian'],
    ['List my sensors', 'librarian'],
    ['What lights do I have?', 'librarian'],
    ['How many sensors are there?', 'librarian'],
    ['Turn off the kitchen lights at 23:00', 'architect'],
    ['Design a Lovelace view with an energy card', 'dashboard-designer'],
    ['Which devices use the most energy?', 'architect'],
    ['Good morning!', 'architect'],
    ['What are my routines?', 'architect'],
    ['What could I automate?', 'architect'],
    ['Which lights do I switch on by hand?', 'architect'],
    ['Why is my garage sensor unavailable?', 'architect'],
    ['Why is the porch light not working?', 'architect'],
  ])('%s → %s', (message, agent) => {
    expect(classifyIntentByKeywords(message).agent).toBe(agent);
  });

  it('routes a diagnostic question to the Architect on its own evidence, not as the fallback', () => {
    expect(classifyIntentByKeywords('Why is my garage sensor unavailable?')).toMatchObject({ agent: 'architect', confidence: 0.7 });
  });

  it.each([
    'What lights are on?',
    'Which lights are on?',
    'which lights are currently on in the kitchen?',
    'How many lights are on?',
    'Is the front door locked?',
    'Are any windows open?',
    'Is the garage door closed?',
    "What's the temperature in the bedroom?",
    'what’s the living room temperature?',
    'What is the humidity in the bathroom?',
    'How warm is it in the office?',
  ])('routes the state question "%s" to the architect', (message) => {
    const route = classifyIntentByKeywords(message);
    expect(route.agent).toBe('architect');
    expect(route.confidence).toBeGreaterThanOrEqual(0.7);
    expect(route.reason).toMatch(/"current state"|"measurement"/);
  });

  it('grows confidence with the evidence and names it', () => {
    expect(classifyIntentByKeywords('Open my dashboard')).toEqual({
      agent: 'dashboard-designer',
      confidence: 0.7,
      reason: 'Keyword evidence: "dashboard".',
    });
    expect(classifyIntentByKeywords('What devices do I have in the kitchen?').confidence).toBe(0.85);
    expect(classifyIntentByKeywords('Analyze my energy usage and automations').confidence).toBe(0.95);
    expect(classifyIntentByKeywords('What lights are on?')).toEqual({ agent: 'architect', confidence: 0.7, reason: 'Keyword evidence: "current state".' });
  });

  it('is unsure about contested or unknown requests', () => {
    const contested = classifyIntentByKeywords('Show me the dashboard of my energy');
    expect(contested.agent).toBe('dashboard-designer');
    expect(contested.confidence).toBe(0.55);
    expect(contested.reason).toContain('also architect');
    expect(classifyIntentByKeywords('Good morning!')).toMatchObject({ agent: 'architect', confidence: 0.5 });
  });

  describe('period-only follow-ups', () => {
    it('go where the question they continue went, saying it is a follow-up', () => {
      expect(classifyIntentByKeywords('and yesterday?', ['Hi', 'Analyze my energy usage over the last 7 days'])).toEqual({
        agent: 'architect',
        confidence: 0.6,
        reason: 'Follow-up naming only a period: it continues the previous question "Analyze my energy usage over the last 7 days", routed to architect (Keyword evidence: "energy", "analysis").',
      });
      // Back through earlier follow-ups to the question itself.
      expect(classifyIntentByKeywords('what about last week?', ['What devices do I have in the kitchen?', 'and yesterday?'])).toMatchObject({
        agent: 'librarian',
        reason: expect.stringContaining('"What devices do I have in the kitchen?", routed to librarian'),
      });
    });

    it('go to the architect as a follow-up when the history does not show where the conversation was', () => {
      for (const history of [[], ['Hello!']]) {
        expect(classifyIntentByKeywords('And the last 3 days?', history)).toEqual({
          agent: 'architect',
          confidence: 0.6,
          reason: 'Follow-up naming only a period: the Architect answers it in the context of the conversation.',
        });
      }
    });

    it('are only messages that name nothing but a period', () => {
      expect(classifyIntentByKeywords('and the kitchen?', ['Make me a dashboard']).reason).not.toContain('Follow-up');
      expect(classifyIntentByKeywords('How much energy yesterday?', ['Make me a dashboard']).agent).toBe('architect');
    });
  });
});
