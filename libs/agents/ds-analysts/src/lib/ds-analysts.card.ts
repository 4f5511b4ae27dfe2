import type { AgentCardSpec } from '@aether/core';

export const DS_ANALYSTS_CARD: AgentCardSpec = {
  name: 'ds-analysts',
  description:
    'Data science specialists for a Home Assistant home. Call with data.specialist = energy | behavioral | diagnostic | custom and data.hours (1–8784) or data.period. The energy analyst computes consumption figures from Home Assistant history; the behavioral analyst finds habits, routines, automation candidates and how well automations work in its logbook; the diagnostic analyst finds unavailable entities, failing integrations, stale sensors and low batteries; the custom analysis runs an analysis script in a sandbox for what the others do not cover.',
  skills: [
    {
      id: 'energy_analysis',
      name: 'Energy analysis',
      description:
        'Computes consumption per meter, share of total, untracked consumption, daily totals, the peak hour and the night baseload from Home Assistant energy history.',
      tags: ['energy', 'consumption', 'kwh', 'analysis'],
      examples: ['Analyze my energy usage over the last 7 days', 'Which device uses the most electricity?'],
    },
    {
      id: 'behavioral_analysis',
      name: 'Behavioral analysis',
      description:
        'Finds what people do by hand at about the same time (automation candidates, each with a suggested automation), who changes the devices (people, automations, switches), entities that change together, weekday/weekend routines and device usage, from the Home Assistant logbook (default window 30 days).',
      tags: ['behavior', 'patterns', 'routines', 'automations'],
      examples: ['What are my daily routines?', 'What could I automate?', 'Which lights do I switch on by hand every evening?'],
    },
    {
      id: 'diagnostic_analysis',
      name: 'Diagnostic analysis',
      description:
        'Finds unavailable entities with the time of day their outages recur at and what they share (device, integration, area), integrations not loaded (setup_retry, setup_error) with their error-log lines, stale sensors, low batteries and config-check errors, from Home Assistant states, registries, config entries, error log and history (default window 7 days); answers "why is X unavailable?" for a named entity.',
      tags: ['diagnostics', 'health', 'errors', 'integrations'],
      examples: ['Why is my garage sensor unavailable?', 'Are any integrations failing?', 'Which batteries are low?'],
    },
    {
      id: 'custom_analysis',
      name: 'Custom analysis',
      description:
        'Answers a question the other analysts do not cover with a Python (pandas) script run in a sandbox (gVisor or bubblewrap; refused without one) over data exported from Home Assistant; its findings are checked like any analyst\'s and its charts returned as file parts. Scripts come from built-in templates (how a meter\'s daily energy follows the outdoor temperature).',
      tags: ['analysis', 'sandbox', 'custom'],
      examples: ['Does the heat pump run more on cold days?'],
    },
  ],
};
