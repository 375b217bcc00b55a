/**
 * Seat prices, to turn idle seats into money. Optional everywhere (a component argument, a CLI flag, a small JSON
 * file): Atlassian's API does not expose what a site pays, and list prices depend on the tier and billing cycle.
 * Pure.
 */
import { z } from "zod";

export interface SeatPricing {
  /** ISO 4217 code, e.g. "USD": every figure is in it, and the reports print it. */
  currency: string;
  /** Product key (`jira-software`, `jira-servicedesk`, …) → price of one seat per month. */
  monthlyPerSeat: Record<string, number>;
}

const PRODUCT_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

const pricingSchema = () =>
  z
    .object({
      currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 currency code in capitals, such as USD or EUR"),
      monthlyPerSeat: z
        .record(z.string().regex(PRODUCT_KEY, "a Jira product key such as jira-software"), z.number().finite().nonnegative().max(100_000))
        .refine((prices) => Object.keys(prices).length > 0, "at least one product's price"),
    })
    .strict();

export class PricingError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "PricingError";
  }
}

/**
 * Validates prices given as `{ currency, monthlyPerSeat: { <productKey>: <amount> } }`; every problem is named with
 * its path under `field` (e.g. `pricing.monthlyPerSeat.jira-software: expected a number`).
 */
export function parsePricing(value: unknown, field = "pricing"): SeatPricing {
  const parsed = pricingSchema().safeParse(value);
  if (parsed.success) return parsed.data;
  throw new PricingError(
    parsed.error.issues.map((issue) => {
      const where = [field, ...issue.path.map(String)].join(".");
      // zod reports a bad record key as "Invalid key in record", with the reason one level down.
      const message = issue.code === "invalid_key" ? "not a Jira product key such as jira-software" : issue.message;
      return `${where}: ${message}; expected { "currency": "USD", "monthlyPerSeat": { "jira-software": 8.6 } }`;
    }),
  );
}

/**
 * `--price jira-software=8.60 --price jira-servicedesk=23.50 --currency USD` → SeatPricing. Pure; the CLI's flags.
 */
export function pricingFromPairs(pairs: readonly string[], currency: string | undefined): SeatPricing {
  const monthlyPerSeat: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const match = /^([^=\s]+)=(.+)$/.exec(pair.trim());
    if (!match) {
      problems.push(`--price ${JSON.stringify(pair)}: expected <product-key>=<monthly price per seat>, e.g. jira-software=8.60`);
      continue;
    }
    const amount = Number(match[2]);
    monthlyPerSeat[match[1]!] = Number.isFinite(amount) ? amount : match[2];
  }
  if (problems.length > 0) throw new PricingError(problems);
  return parsePricing({ currency: currency ?? "", monthlyPerSeat }, "--price");
}

/** Rounded to cents for display and totals: prices are per seat, sums of many seats should not drift. */
export function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}
