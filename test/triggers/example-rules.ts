/**
 * The full example of docs/rules.md. parse.test.ts checks that the doc's first JSON block is exactly this value and
 * that it parses, so the documentation and the parser cannot drift apart.
 */
export const EXAMPLE_RULES = {
  version: 1,
  rules: [
    {
      id: 'cart-help',
      match: 'all',
      conditions: [
        { type: 'agents_online', value: true },
        { type: 'page_url', operator: 'contains', value: '/cart' },
        { type: 'time_on_page', seconds: 30 },
        { type: 'since_last_invitation', seconds: 600 },
      ],
      actions: [{ type: 'show_invitation', text: "Questions about your order? We're here to help.", department_id: 3 }],
      once_per_day: true,
    },
    {
      id: 'pricing-welcome',
      enabled: true,
      match: 'any',
      conditions: [
        { type: 'page_url', operator: 'glob', value: 'https://shop.example/pricing*' },
        { type: 'time_on_site', seconds: 180 },
      ],
      actions: [{ type: 'show_invitation', text: 'Hi! Can I help you choose a plan?' }],
      once_per_session: true,
    },
    {
      id: 'after-hours',
      match: 'all',
      conditions: [
        { type: 'agents_online', value: false },
        { type: 'time_on_site', seconds: 120 },
        { type: 'since_window_closed', seconds: 300 },
      ],
      actions: [{ type: 'open_offline_form' }],
      once_per_session: true,
    },
    {
      id: 'callback-on-contacts',
      match: 'all',
      conditions: [
        { type: 'page_url', operator: 'starts_with', value: 'https://shop.example/contacts' },
        { type: 'time_on_page', seconds: 45 },
      ],
      actions: [{ type: 'open_callback_form' }],
      once_per_day: true,
    },
    {
      id: 'quiet-checkout',
      enabled: false,
      match: 'any',
      conditions: [{ type: 'page_url', operator: 'equals', value: 'https://shop.example/checkout/pay' }],
      actions: [{ type: 'hide_widget' }],
    },
  ],
} as const;
