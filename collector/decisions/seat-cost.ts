/** Idle seats in money: per product and in total, per month and per year. Pure. */
import { roundMoney, type SeatPricing } from "./pricing";

export interface ProductCost {
  monthlyPerSeat: number;
  /** Seats of inactive holders (a page-view source shows them idle). */
  idleMonthly: number;
  idleYearly: number;
  /** Seats of holders no configured source can classify: money at stake, not proven idle. */
  unverifiedMonthly: number;
  unverifiedYearly: number;
}

export interface CostSummary {
  currency: string;
  idleMonthly: number;
  idleYearly: number;
  unverifiedMonthly: number;
  unverifiedYearly: number;
  /** Billable products that hold not-active seats but have no price: their seats are not in the figures. */
  unpricedProducts: string[];
  /** Priced products on a FREE plan: never counted. */
  freeProducts: string[];
}

/** What one person's seats cost a month: the priced products summed, rounded to cents; null when none is priced. */
export function seatsMonthlyCost(pricing: SeatPricing | undefined, productKeys: readonly string[]): number | null {
  const prices = productKeys.map((key) => pricing?.monthlyPerSeat[key]).filter((p): p is number => p !== undefined);
  return prices.length === 0 ? null : roundMoney(prices.reduce((a, b) => a + b, 0));
}

/** Cost of one product's idle seats; null when it has no price or is not billable (FREE). Yearly = 12 × monthly. */
export function productCost(pricing: SeatPricing | undefined, productKey: string, billable: boolean, seats: { inactive: number; unknown: number }): ProductCost | null {
  const price = pricing?.monthlyPerSeat[productKey];
  if (price === undefined || !billable) return null;
  return {
    monthlyPerSeat: price,
    idleMonthly: roundMoney(price * seats.inactive),
    idleYearly: roundMoney(price * seats.inactive * 12),
    unverifiedMonthly: roundMoney(price * seats.unknown),
    unverifiedYearly: roundMoney(price * seats.unknown * 12),
  };
}

export function costSummary(
  pricing: SeatPricing | undefined,
  products: readonly { productKey: string; billable: boolean; cost: ProductCost | null; notActiveSeats: number }[],
): CostSummary | null {
  if (!pricing) return null;
  const priced = products.filter((p) => p.cost !== null);
  const total = (pick: (c: ProductCost) => number) => roundMoney(priced.reduce((sum, p) => sum + pick(p.cost!), 0));
  return {
    currency: pricing.currency,
    idleMonthly: total((c) => c.idleMonthly),
    idleYearly: total((c) => c.idleYearly),
    unverifiedMonthly: total((c) => c.unverifiedMonthly),
    unverifiedYearly: total((c) => c.unverifiedYearly),
    unpricedProducts: products.filter((p) => p.billable && p.cost === null && p.notActiveSeats > 0).map((p) => p.productKey),
    freeProducts: products.filter((p) => !p.billable && pricing.monthlyPerSeat[p.productKey] !== undefined).map((p) => p.productKey),
  };
}
