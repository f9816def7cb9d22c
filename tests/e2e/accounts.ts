/** The demo password the webServer of playwright.config.ts seeds (DEMO_PASSWORD, else the default). */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'ordos-demo';
