import type { TemplateContext } from './render.ts';

/** A realistic context with every field set: what tests, benches and docs render templates against. */
export function exampleTemplateContext(): TemplateContext {
  return {
    product: { name: 'Acme Analytics', url: 'https://app.acme.example' },
    sender: { name: 'Acme Customer Success' },
    account: { id: 'globex', name: 'Globex Corporation' },
    contact: { firstName: 'Ana', email: 'ana@globex.example' },
    step: { id: 'day-7', day: 7 },
    usage: {
      seats: 12,
      activeUsers: 5,
      featuresUsed: 2,
      featuresAvailable: 6,
      suggestedFeature: 'alerts',
      adoptionPercent: 33,
      seatUsePercent: 42,
      unusedFeatures: 'alerts, sharing and api',
      trend: 'up 12%',
      lastActive: '3 March 2026',
    },
    year: { activeUsers: 9, userDays: 1240, featuresUsed: 4, busiestMonth: 'October 2026' },
    renewal: { date: '1 February 2027', daysLeft: 30 },
    unsubscribeUrl: 'https://api.tend.example/v1/unsubscribe?token=abc.def',
  };
}
