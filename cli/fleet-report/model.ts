/**
 * The fleet report's model from the fleet views' rows. Pure: `load.ts` runs the queries, this shapes them — per site
 * and product seats and idle cost, people holding seats on several sites (account IDs are global), people not
 * shown active on any site where they hold a seat, and seats used per snapshot.
 */

export interface ProductRow {
  connector: string;
  product_key: string;
  product_name: string | null;
  billable: boolean | null;
  seats_purchased: number | null;
  seats_used: number | null;
  inactive_holders: number | null;
  unknown_holders: number | null;
}
export interface HolderRow {
  connector: string;
  account_id: string;
  display_name: string | null;
}
export interface InactiveRow {
  connector: string;
  account_id: string;
  evidence: string;
  person_monthly_cost: number | null;
}
export interface TrendRow {
  connector: string;
  collected_at: string;
  seats_used: number | null;
  seats_purchased: number | null;
}

export interface FleetPerson {
  accountId: string;
  displayName: string | null;
  sites: string[];
}

export interface FleetReportModel {
  connectors: string[];
  products: ProductRow[];
  /** Per site: the monthly cost of inactive holders (NULL: no prices in that snapshot), and the unknown holders'. */
  idleCost: { connector: string; inactiveMonthly: number | null; unknownMonthly: number | null }[];
  multiSite: FleetPerson[];
  /** Not shown active on every site where they hold a seat; `evidence` is `inactive` only when every site proves it. */
  idleEverywhere: (FleetPerson & { evidence: "inactive" | "unknown" })[];
  trend: TrendRow[];
}

export function fleetReportModel(input: { products: ProductRow[]; holders: HolderRow[]; inactive: InactiveRow[]; trend: TrendRow[] }): FleetReportModel {
  const people = new Map<string, FleetPerson>();
  for (const h of input.holders) {
    const person = people.get(h.account_id) ?? { accountId: h.account_id, displayName: h.display_name, sites: [] };
    if (!person.sites.includes(h.connector)) person.sites.push(h.connector);
    people.set(h.account_id, person);
  }
  for (const p of people.values()) p.sites.sort();
  // One person, one cost per site: inactive_seats repeats the person's cost on each of their seats.
  const perSitePerson = new Map<string, InactiveRow>();
  for (const row of input.inactive) perSitePerson.set(`${row.connector}\u0000${row.account_id}`, row);
  const idleSites = new Map<string, Map<string, string>>();
  for (const row of perSitePerson.values()) {
    const sites = idleSites.get(row.account_id) ?? new Map<string, string>();
    sites.set(row.connector, row.evidence);
    idleSites.set(row.account_id, sites);
  }
  const connectors = [...new Set(input.products.map((p) => p.connector))].sort();
  const sum = (connector: string, evidence: string): number | null => {
    const rows = [...perSitePerson.values()].filter((r) => r.connector === connector && r.evidence === evidence);
    if (rows.some((r) => r.person_monthly_cost === null)) return null;
    return rows.reduce((total, r) => total + (r.person_monthly_cost ?? 0), 0);
  };
  const byName = (a: FleetPerson, b: FleetPerson) => (a.displayName ?? "").localeCompare(b.displayName ?? "") || a.accountId.localeCompare(b.accountId);
  return {
    connectors,
    products: input.products,
    idleCost: connectors.map((connector) => ({ connector, inactiveMonthly: sum(connector, "inactive"), unknownMonthly: sum(connector, "unknown") })),
    multiSite: [...people.values()].filter((p) => p.sites.length > 1).sort(byName),
    idleEverywhere: [...people.values()]
      .filter((p) => p.sites.every((site) => idleSites.get(p.accountId)?.has(site)))
      .map((p) => ({ ...p, evidence: p.sites.every((site) => idleSites.get(p.accountId)!.get(site) === "inactive") ? ("inactive" as const) : ("unknown" as const) }))
      .sort(byName),
    trend: input.trend,
  };
}
