/** Word lists for seeded display names; fixed order so a seed always yields the same people. */
export const FIRST_NAMES = [
  "Mia", "Emma", "Liam", "Noah", "Olivia", "Ava", "Lucas", "Sofia", "Ethan", "Isla", "Mateo", "Chloe", "Arjun",
  "Yuki", "Amara", "Kofi", "Elena", "Jonas", "Priya", "Diego", "Hana", "Omar", "Freya", "Tariq", "Lena", "Ravi",
  "Ingrid", "Malik", "Nora", "Felix", "Zara", "Hugo", "Aisha", "Theo", "Maya", "Pablo", "Keiko", "Sven", "Leila",
  "Ivan",
];

export const LAST_NAMES = [
  "Krystof", "Richards", "Nguyen", "Garcia", "Smith", "Okafor", "Tanaka", "Müller", "Rossi", "Silva", "Kowalski",
  "Haddad", "Patel", "Johansson", "Dubois", "Mensah", "Ivanova", "Kim", "Fischer", "Costa", "Moreau", "Hughes",
  "Novak", "Lindqvist", "Sato", "Ahmed", "Bianchi", "Schmidt", "O'Brien", "Petrov", "Chen", "Larsen", "Reyes",
  "Walsh", "Yilmaz", "Berg", "Alvarez", "Murphy", "Singh", "Weber",
];

export const APP_NAMES = [
  "Automation for Jira", "Slack", "Jira Cloud for Sheets", "Tempo Timesheets", "Microsoft Teams", "GitHub for Jira",
  "Opsgenie", "Statuspage", "Zendesk Support", "ScriptRunner", "Rovo Agent", "Trello",
];

export const TIME_ZONES = [
  "Australia/Sydney", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Tokyo",
  "Asia/Kolkata", "America/Sao_Paulo", "Africa/Lagos", "Etc/UTC",
];

export const LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP", "es_ES", "pt_BR"];

export const TEAM_GROUPS = ["team-platform", "team-mobile", "team-data", "team-support", "team-sales", "team-marketing"];

export const ISSUE_WORDS = [
  "Login", "page", "fails", "export", "report", "slow", "dashboard", "crash", "on", "upload", "invoice", "search",
  "timeout", "mobile", "sync", "broken", "billing", "webhook", "retry", "permissions", "layout", "API", "token",
];
