import type { PlayInput } from './definition.ts';

/**
 * The brief's plays (§3-§5) as definitions. `tend.config.ts` can replace any of them by id or
 * turn one off with `false`. Figures come from the brief: onboarding check-ins at 7, 14 and 30
 * days with a 60-day review, the renewal run from day -90 to -14, save outreach within 24
 * hours with daily watching, low adoption under 30% after 60 days, re-engagement after 7
 * days without a login.
 */
export const BUILTIN_PLAYS: Record<string, PlayInput> = {
  onboarding: {
    id: 'onboarding',
    description: 'Welcome, check-ins at day 7, 14 and 30, and a 60-day review; nudges stop once the account reaches first value.',
    trigger: { on: 'account.created' },
    anchor: 'startDate',
    steps: [
      {
        id: 'welcome',
        day: 1,
        catchUp: 'skip',
        graceHours: 7 * 24,
        do: [{ email: 'welcome', category: 'onboarding' }, { stage: 'onboarding' }],
        highTouch: { task: { title: 'Kickoff call: agree goals and the first use case', priority: 'high', dueDays: 2 } },
      },
      {
        id: 'day-7',
        day: 7,
        catchUp: 'skip',
        when: { activated: false },
        choose: [
          { when: { active: true }, do: { email: 'checkin-active', category: 'onboarding' } },
          { do: { email: 'checkin-inactive', category: 'onboarding' } },
        ],
      },
      {
        id: 'day-14',
        day: 14,
        catchUp: 'skip',
        when: { activated: false },
        choose: [
          { when: { active: true }, do: { email: 'checkin-active', category: 'onboarding' } },
          { do: { email: 'checkin-inactive', category: 'onboarding' } },
        ],
      },
      {
        id: 'day-30',
        day: 30,
        choose: [
          { when: { active: true }, do: [{ email: 'checkin-active', category: 'onboarding' }, { stage: 'adoption' }] },
          {
            do: [
              { email: 'checkin-inactive', category: 'onboarding' },
              { task: { title: 'Day 30 and not active: call to find what blocks them', priority: 'high' } },
            ],
          },
        ],
      },
      {
        id: 'review',
        day: 60,
        catchUp: 'skip',
        do: { email: 'onboarding-review', category: 'onboarding' },
        highTouch: { task: { title: '60-day review: goals met, baseline against today', priority: 'medium', dueDays: 7 } },
      },
    ],
  },
  renewal: {
    id: 'renewal',
    description: 'From 90 days before the renewal date: health review, value review, notice and close; the approach follows the health tier.',
    trigger: { on: 'date', field: 'renewalDate', daysBefore: 90 },
    anchor: 'renewalDate',
    // A recorded outcome ends the run at once; without one, a renewal date moved on says renewed.
    exitWhen: [
      { reason: 'renewed', when: { renewalOutcome: ['renewed'] } },
      { reason: 'churned', when: { renewalOutcome: ['churned'] } },
      { reason: 'renewed', when: { renewed: true } },
    ],
    steps: [
      {
        id: 'health-review',
        day: -90,
        choose: [
          {
            when: { tier: ['red'] },
            do: [
              { task: { title: 'Renewal in 90 days and at risk: start a save plan', priority: 'urgent', dueDays: 2 } },
              { event: 'renewal-at-risk' },
              { stage: 'at-risk' },
            ],
          },
          { do: [{ task: { title: 'Renewal in 90 days: review health and stakeholders', priority: 'medium', dueDays: 7 } }, { stage: 'retention' }] },
        ],
      },
      {
        id: 'value-review',
        day: -60,
        catchUp: 'skip',
        choose: [
          {
            when: { tier: ['green'] },
            do: [
              { email: 'renewal-value-review', category: 'success' },
              { task: { title: 'Healthy renewal: open the expansion conversation', priority: 'medium', dueDays: 14 } },
            ],
          },
          { when: { tier: ['yellow'] }, do: { email: 'renewal-value-review', category: 'success' } },
          { do: { task: { title: 'Renewal at risk: value review call with the champion', priority: 'urgent', dueDays: 3 } } },
        ],
        highTouch: { task: { title: 'Business review (QBR): usage, ROI and success stories', priority: 'high', dueDays: 14 } },
      },
      {
        id: 'notice',
        day: -30,
        choose: [
          {
            when: { tier: ['red'] },
            do: [
              { email: 'renewal-notice', category: 'renewal', to: 'executive-sponsor' },
              { task: { title: 'Renewal in 30 days and at risk: escalate', priority: 'urgent', dueDays: 2 } },
            ],
          },
          { do: { email: 'renewal-notice', category: 'renewal', to: 'executive-sponsor' } },
        ],
        highTouch: { task: { title: 'Send the renewal proposal', priority: 'high', dueDays: 5 } },
      },
      {
        id: 'close',
        day: -14,
        choose: [
          { when: { tier: ['green'] }, do: { task: { title: 'Close the renewal', priority: 'medium', dueDays: 7 } } },
          {
            do: [
              { task: { title: 'Renewal in 14 days and not healthy: executive escalation', priority: 'urgent', dueDays: 1 } },
              { event: 'renewal-escalated' },
            ],
          },
        ],
      },
    ],
  },
  save: {
    id: 'save',
    description:
      'When an account turns red: champion outreach within 24 hours, an urgent review (escalated to the CS lead when not done in 3 days), then a daily watch until it has recovered for 7 days; escalation after 14 days, a graceful exit after 60.',
    trigger: { on: 'tier.changed', to: ['red'] },
    anchor: 'trigger',
    cooldownDays: 7,
    exitWhen: [
      { reason: 'recovered', when: { notRedForDays: 7 } },
      // Saved where it counts: the renewal was signed while the play ran.
      { reason: 'renewed', when: { renewalOutcome: ['renewed'] } },
    ],
    steps: [
      {
        id: 'outreach',
        day: 0,
        do: [{ email: 'save-outreach', category: 'success', to: 'champion', priority: 'critical' }, { stage: 'at-risk' }],
        highTouch: { task: { title: 'Call the champion within 24 hours', priority: 'urgent', dueDays: 1 } },
      },
      {
        id: 'review',
        day: 0,
        hour: 1,
        do: [
          { task: { title: 'Urgent review: diagnose (days 1-3), plan (days 4-7), execute (days 8-30)', priority: 'urgent', dueDays: 3 } },
          { event: 'save-started' },
        ],
      },
      {
        // Plays read task state: the review waits for its CSM, and escalates when not done in 3 days.
        id: 'review-check',
        day: 0,
        hour: 2,
        waitFor: { until: { taskDone: 'review' }, upToDays: 3 },
        choose: [
          { when: { taskDone: 'review' }, do: { event: 'save-review-done' } },
          {
            do: [
              { task: { title: 'Save review not done in 3 days: escalate to the CS lead', priority: 'urgent', dueDays: 1 } },
              { event: 'save-review-overdue' },
            ],
          },
        ],
      },
      {
        id: 'watch',
        day: 1,
        watch: {
          everyDays: 1,
          escalateAfterDays: 14,
          escalate: [{ task: { title: 'Not recovered after 14 days: executive escalation', priority: 'urgent', dueDays: 2 } }, { event: 'save-escalated' }],
          giveUpAfterDays: 60,
          giveUp: [{ task: { title: 'Not recovered after 60 days: plan a graceful exit (churn can be the right outcome)', priority: 'high', dueDays: 14 } }],
        },
      },
    ],
  },
  adoption: {
    id: 'adoption',
    description: 'Under 30% of features used after 60 days: spotlight unused features, offer training, follow up; ends at 70% adoption.',
    trigger: { on: 'flag.started', flags: ['low-adoption'] },
    anchor: 'trigger',
    cooldownDays: 60,
    exitWhen: [{ reason: 'adopted', when: { adoptionAtLeast: 70 } }],
    steps: [
      { id: 'spotlight', day: 0, do: { email: 'feature-spotlight', category: 'tips' } },
      { id: 'training', day: 7, when: { adoptionBelow: 30 }, do: { email: 'training-offer', category: 'tips' } },
      { id: 'spotlight-2', day: 21, when: { adoptionBelow: 50 }, do: { email: 'feature-spotlight', category: 'tips' } },
      {
        id: 'follow-up',
        day: 45,
        when: { adoptionBelow: 30 },
        do: { task: { title: 'Adoption still under 30%: agree an adoption goal', priority: 'medium', dueDays: 7 } },
      },
    ],
  },
  expansion: {
    id: 'expansion',
    description:
      'Strong health and an expansion signal (near the seat limit, premium interest, several departments); the flags already hold back when upselling is wrong.',
    trigger: { on: 'flag.started', flags: ['near-seat-limit', 'premium-interest', 'several-departments'] },
    anchor: 'trigger',
    cooldownDays: 90,
    exitWhen: [{ reason: 'no-longer-healthy', when: { tier: ['yellow', 'red'] } }],
    steps: [
      {
        id: 'offer',
        day: 1,
        do: { email: 'expansion-offer', category: 'tips' },
        highTouch: { task: { title: 'Expansion conversation: seats, premium features or a new team', priority: 'medium', dueDays: 7 } },
      },
      {
        id: 'follow-up',
        day: 14,
        when: { tier: ['green'] },
        do: { task: { title: 'Follow up the expansion offer', priority: 'low', dueDays: 7 } },
        catchUp: 'skip',
      },
    ],
  },
  advocacy: {
    id: 'advocacy',
    description: 'A promoter with a healthy account: ask for a review or a referral, at most once every 180 days.',
    trigger: { on: 'flag.started', flags: ['promoter'] },
    anchor: 'trigger',
    cooldownDays: 180,
    steps: [
      {
        id: 'ask',
        day: 2,
        when: { tier: ['green'] },
        do: { email: 'referral-request', category: 'success' },
        highTouch: { task: { title: 'Promoter: ask for a case study or a reference call', priority: 'medium', dueDays: 14 } },
      },
    ],
  },
  reengagement: {
    id: 'reengagement',
    description: 'Nobody logged in for 7 days: a value reminder, then a CSM check-in a week later if still quiet.',
    trigger: { on: 'flag.started', flags: ['no-login-7d'] },
    anchor: 'trigger',
    cooldownDays: 14,
    exitWhen: [{ reason: 'back-in-product', when: { active: true } }],
    steps: [
      { id: 'reminder', day: 0, do: { email: 'reengagement', category: 'tips' } },
      { id: 'check-in', day: 7, do: { task: { title: 'No login for 14 days: check in and find the blocker', priority: 'high', dueDays: 3 } } },
    ],
  },
};
